// The control API over HTTP: what tests, benchmarks and people use to drive the sandbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';

let sandbox: Sandbox;

async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sandbox.controlUrl}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 3, size: 60 });
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('sandbox control API', () => {
  it('describes the sandbox: urls, clients and users with their mailboxes', async () => {
    const { status, body } = await control('GET', '');
    expect(status).toBe(200);
    expect(body.googleUrl).toBe(sandbox.googleUrl);
    expect(body.microsoftUrl).toMatch(/^https:\/\/localhost:\d+$/);
    expect(body.users.map((u: { email: string; messages: number }) => [u.email, u.messages])).toEqual([
      ['alice@example.com', 60],
      ['bob@example.com', 40],
      ['carol@contoso.example', 60],
      ['dave@contoso.example', 40],
    ]);
    expect(body.clients).toHaveLength(2);
  });

  it('adds, changes and deletes mail live, each a change in the log', async () => {
    const mailbox = sandbox.state.mailbox('carol@contoso.example')!;
    const start = mailbox.seq;
    const added = await control('POST', '/users/carol@contoso.example/messages', {
      from: { name: 'Émile Zola', address: 'emile@example.fr' },
      subject: 'Réunion à 10h',
      text: 'À demain !',
      attachments: [{ filename: 'agenda.txt', contentType: 'text/plain', content: Buffer.from('1. Budget').toString('base64') }],
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ subject: 'Réunion à 10h', read: false, hasAttachments: true });
    const inbox = mailbox.folders.find((f) => f.wellKnownName === 'inbox')!;
    expect(added.body.folderId).toBe(inbox.id);

    const patched = await control('PATCH', `/users/carol@contoso.example/messages/${encodeURIComponent(added.body.id)}`, { read: true, folder: 'archive' });
    expect(patched.body).toMatchObject({ read: true, folderId: mailbox.folders.find((f) => f.kind === 'archive')!.id });
    expect((await control('DELETE', `/users/carol@contoso.example/messages/${encodeURIComponent(added.body.id)}`)).status).toBe(204);
    expect((await control('DELETE', `/users/carol@contoso.example/messages/${encodeURIComponent(added.body.id)}`)).status).toBe(404);
    expect(mailbox.changesSince(start).map((c) => c.type)).toEqual(['added', 'updated', 'deleted']);
  });

  it('refuses unknown users and bad input with a clear error', async () => {
    expect(await control('POST', '/users/nobody@example.com/messages', { subject: 'x' })).toMatchObject({ status: 404, body: { error: expect.stringContaining('nobody@example.com') } });
    expect(await control('POST', '/users/alice@example.com/messages', { folder: 'nowhere' })).toMatchObject({ status: 400, body: { error: expect.stringContaining('nowhere') } });
  });

  it('expires history, revokes grants and expires access tokens', async () => {
    const mailbox = sandbox.state.mailbox('alice@example.com')!;
    const old = mailbox.seq;
    mailbox.modify(mailbox.list()[0].id, { starred: true });
    expect((await control('POST', '/users/alice@example.com/expire-history')).body.retainedFrom).toBe(mailbox.seq);
    expect(() => mailbox.changesSince(old)).toThrow();

    const user = sandbox.state.findUser('alice@example.com')!;
    const grant = sandbox.state.tokens.issue('google', 'sandbox-google-client', user, ['https://mail.google.com/']);
    expect((await control('POST', '/tokens/expire')).body.expired).toBeGreaterThanOrEqual(1);
    expect(sandbox.state.tokens.verify(grant.accessToken)).toBeUndefined();
    expect(sandbox.state.tokens.refresh('google', 'sandbox-google-client', grant.refreshToken)).toBeDefined();
    expect((await control('POST', '/users/alice@example.com/revoke')).body.revoked).toBeGreaterThanOrEqual(1);
    expect(sandbox.state.tokens.refresh('google', 'sandbox-google-client', grant.refreshToken)).toBeUndefined();
  });

  it('stores fault rules, switches quota and latency, and reports counters', async () => {
    const added = await control('POST', '/faults', [{ provider: 'google', operation: 'gmail.users.messages.list', status: 503, times: 2 }]);
    expect(added.status).toBe(201);
    expect((await control('GET', '/faults')).body).toHaveLength(1);
    expect((await control('DELETE', '/faults')).status).toBe(204);
    expect((await control('GET', '/faults')).body).toEqual([]);

    expect((await control('POST', '/settings', { google: true, latencyMs: 5 })).body).toEqual({ quota: { google: true, microsoft: false }, latencyMs: 5 });
    expect(sandbox.state.quota.google).toBe(true);
    await control('POST', '/settings', { google: false, latencyMs: 0 });

    sandbox.state.counters.count('gmail.users.messages.get');
    expect((await control('GET', '/counters')).body.requests['gmail.users.messages.get']).toBeGreaterThanOrEqual(1);
    await control('DELETE', '/counters');
    expect((await control('GET', '/counters')).body.requests).toEqual({});
  });
});
