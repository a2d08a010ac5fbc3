// The control API under /__sandbox on the Google (http) server: drive live changes, inject
// faults, switch quota on, read counters. Tests may use the state object directly instead.
import type { FaultRule, Router, SandboxState } from '../core/types';
import { buildRaw } from '../store/mime';

export interface Urls {
  googleUrl: string;
  microsoftUrl: string;
  controlUrl: string;
  certFile: string;
}

export function mountControl(router: Router, state: SandboxState, urls: Urls) {
  const mailboxOf = (email: string) => {
    const mailbox = state.mailbox(email);
    if (!mailbox) throw Object.assign(new Error(`no seeded user ${email}`), { status: 404 });
    return mailbox;
  };
  const guard = (handler: Parameters<Router['on']>[2]): Parameters<Router['on']>[2] => async (ctx) => {
    try {
      await handler(ctx);
    } catch (err) {
      const status = (err as { status?: number }).status || 400;
      ctx.sendJson(status, { error: (err as Error).message });
    }
  };

  router.on('GET', '/__sandbox', guard((ctx) => {
    ctx.sendJson(200, {
      ...urls,
      seed: state.seed,
      quota: state.quota,
      latencyMs: state.latencyMs,
      clients: state.clients.map(({ provider, clientId, clientSecret }) => ({ provider, clientId, clientSecret })),
      users: state.users.map((u) => ({ ...u, messages: state.mailbox(u.email)?.count(), historyId: state.mailbox(u.email)?.seq })),
    });
  }));

  // Live mail: { from, to, cc, subject, text, html, folder ('inbox' | folder id), read } or { raw } (base64).
  router.on('POST', '/__sandbox/users/:email/messages', guard(async (ctx) => {
    const mailbox = mailboxOf(ctx.params.email);
    const body = await ctx.json();
    const folder = mailbox.folders.find((f) => f.id === body.folder || f.kind === (body.folder || 'inbox'));
    if (!folder) throw new Error(`unknown folder ${body.folder}`);
    const raw = body.raw
      ? Buffer.from(body.raw, 'base64')
      : await buildRaw({
          messageId: body.messageId || `<sbx.control.${Date.now()}.${Math.random().toString(36).slice(2)}@sandbox.example>`,
          inReplyTo: body.inReplyTo,
          references: body.references,
          subject: body.subject || '(no subject)',
          from: typeof body.from === 'string' ? { address: body.from } : body.from || { name: 'Sandbox Sender', address: 'sender@sandbox.example' },
          to: [{ name: mailbox.user.name, address: mailbox.user.email }],
          cc: [],
          bcc: [],
          date: new Date(),
          text: body.text ?? 'Hello from the sandbox.',
          html: body.html,
          attachments: (body.attachments || []).map((a: { filename: string; contentType: string; content: string }) => ({ ...a, content: Buffer.from(a.content, 'base64') })),
        });
    const message = await mailbox.insert({ raw, folderId: folder.id, read: Boolean(body.read) });
    ctx.sendJson(201, message);
  }));

  // { read, starred, folder, addLabels, removeLabels }
  router.on('PATCH', '/__sandbox/users/:email/messages/:id', guard(async (ctx) => {
    const mailbox = mailboxOf(ctx.params.email);
    const body = await ctx.json();
    const folder = body.folder && mailbox.folders.find((f) => f.id === body.folder || f.kind === body.folder);
    const message = mailbox.modify(ctx.params.id, { read: body.read, starred: body.starred, folderId: folder?.id, addLabels: body.addLabels, removeLabels: body.removeLabels });
    if (!message) throw Object.assign(new Error('no such message'), { status: 404 });
    ctx.sendJson(200, message);
  }));

  router.on('DELETE', '/__sandbox/users/:email/messages/:id', guard((ctx) => {
    if (!mailboxOf(ctx.params.email).remove(ctx.params.id)) throw Object.assign(new Error('no such message'), { status: 404 });
    ctx.send(204);
  }));

  router.on('GET', '/__sandbox/users/:email/messages', guard((ctx) => {
    const limit = Number(ctx.query.get('limit') || 50);
    ctx.sendJson(200, mailboxOf(ctx.params.email).list({ includeSpamTrash: true }).slice(0, limit));
  }));

  // History ids and delta links from before now answer 404 / 410.
  router.on('POST', '/__sandbox/users/:email/expire-history', guard((ctx) => {
    const mailbox = mailboxOf(ctx.params.email);
    mailbox.expireHistory();
    ctx.sendJson(200, { retainedFrom: mailbox.retainedFrom });
  }));

  // Consent withdrawn / password changed: every grant of the user answers invalid_grant.
  router.on('POST', '/__sandbox/users/:email/revoke', guard((ctx) => {
    ctx.sendJson(200, { revoked: state.tokens.revokeUser(ctx.params.email) });
  }));

  router.on('POST', '/__sandbox/tokens/expire', guard((ctx) => {
    ctx.sendJson(200, { expired: state.tokens.expireAccessTokens() });
  }));

  router.on('GET', '/__sandbox/faults', guard((ctx) => ctx.sendJson(200, state.faults.list())));
  router.on('POST', '/__sandbox/faults', guard(async (ctx) => {
    const body = await ctx.json();
    const rules: FaultRule[] = Array.isArray(body) ? body : [body];
    ctx.sendJson(201, rules.map((rule) => state.faults.add(rule)));
  }));
  router.on('DELETE', '/__sandbox/faults', guard((ctx) => {
    state.faults.clear();
    ctx.send(204);
  }));

  // { google?: boolean, microsoft?: boolean, latencyMs?: number }
  router.on('POST', '/__sandbox/settings', guard(async (ctx) => {
    const body = await ctx.json();
    if (typeof body.google === 'boolean') state.quota.google = body.google;
    if (typeof body.microsoft === 'boolean') state.quota.microsoft = body.microsoft;
    if (typeof body.latencyMs === 'number') state.latencyMs = body.latencyMs;
    ctx.sendJson(200, { quota: state.quota, latencyMs: state.latencyMs });
  }));

  router.on('GET', '/__sandbox/counters', guard((ctx) => {
    const { requests, quotaUnits, rateLimited, faults } = state.counters;
    ctx.sendJson(200, { requests, quotaUnits, rateLimited, faults });
  }));
  router.on('DELETE', '/__sandbox/counters', guard((ctx) => {
    state.counters.reset();
    ctx.send(204);
  }));
}
