// Sending: sendMail (JSON or base64 MIME), reply/replyAll/forward, their create* draft forms,
// drafts (POST /messages, JSON or base64 MIME) and sending a draft. Sent mail is saved to Sent
// Items and delivered to the inbox of every seeded recipient, before the 202, so tests can look
// at once. Request bodies over 4 MB answer 413 (pipeline.ts); larger attachments go through
// upload sessions (graph-attachments.ts).
import { simpleParser, type AddressObject } from 'mailparser';
import type { Address, MessageContent, RequestContext, SandboxState, SandboxUser } from '../core/types';
import { GraphError, badRequest } from './errors';
import { folderOfKind } from './folders';
import { formatMessage } from './format';
import type { GraphApi, GraphContext } from './pipeline';
import { requireMessage } from './graph-messages';
import {
  buildMime, draftMessageId, fromGraphMessage, newMessageId, quotedBody, replyRecipients, replySubject, stripBcc,
  type GraphMessageInput, type Outgoing, type ReplyKind,
} from './compose';

/** Delivers `raw` to every seeded recipient's inbox (any provider) and optionally to Sent Items. */
export async function deliver(state: SandboxState, sender: SandboxUser, raw: Buffer, recipients: string[], options: { saveToSentItems: boolean; threadId?: string }) {
  const mailbox = state.mailbox(sender.email);
  const sent = mailbox && options.saveToSentItems
    ? await mailbox.insert({ raw, folderId: folderOfKind(mailbox, 'sent').id, read: true, threadId: options.threadId })
    : undefined;
  const delivered = stripBcc(raw);
  for (const address of new Set(recipients.map((r) => r.toLowerCase()))) {
    const target = state.mailbox(address);
    const inbox = target?.folders.find((f) => f.kind === 'inbox');
    if (target && inbox) await target.insert({ raw: delivered, folderId: inbox.id, read: false });
  }
  return sent;
}

function allRecipients(mail: { to: Address[]; cc: Address[]; bcc: Address[] }) {
  return [...mail.to, ...mail.cc, ...mail.bcc].map((a) => a.address);
}

function me(user: SandboxUser): Address {
  return { name: user.name, address: user.email };
}

function addresses(value: AddressObject | AddressObject[] | undefined) {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((entry) => entry.value).map((a) => a.address).filter((a): a is string => Boolean(a));
}

/** A MIME body as Graph takes it (base64 text/plain), with Message-ID and Date added when missing. */
async function readMime(ctx: RequestContext, g: GraphContext) {
  const text = (await ctx.body()).toString('utf8').replace(/\s+/g, '');
  if (!text || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw badRequest('Invalid base64 string for MIME content.', 'ErrorMimeContentInvalidBase64String');
  let raw = Buffer.from(text, 'base64');
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextLinks: true, skipImageLinks: true });
  const extra: string[] = [];
  if (!parsed.messageId) extra.push(`Message-ID: ${newMessageId(g.user)}`);
  if (!parsed.date) extra.push(`Date: ${new Date().toUTCString().replace('GMT', '+0000')}`);
  if (extra.length) raw = Buffer.concat([Buffer.from(extra.join('\r\n') + '\r\n'), raw]);
  return { raw, parsed };
}

/** sendMail with a MIME body. Threads by In-Reply-To/References like any delivered mail. */
async function sendMime(ctx: RequestContext, g: GraphContext) {
  const { raw, parsed } = await readMime(ctx, g);
  const recipients = [...addresses(parsed.to), ...addresses(parsed.cc), ...addresses(parsed.bcc)];
  if (!recipients.length) throw badRequest('At least one recipient is required, but none were found.', 'ErrorInvalidRecipients');
  await deliver(g.state, g.user, raw, recipients, { saveToSentItems: true });
  g.send(202);
}

async function sendMail(ctx: RequestContext, g: GraphContext) {
  const type = String(ctx.req.headers['content-type'] || '');
  if (type.startsWith('text/plain')) return sendMime(ctx, g);
  const body = await ctx.json<{ message?: GraphMessageInput; saveToSentItems?: unknown }>();
  if (!body.message || typeof body.message !== 'object') throw badRequest("Empty Payload. JSON content expected.", 'ErrorInvalidRequest');
  const parts = fromGraphMessage(body.message, g.user);
  if (!allRecipients(parts).length) throw badRequest('At least one recipient is required, but none were found.', 'ErrorInvalidRecipients');
  const mail: Outgoing = { ...parts, from: me(g.user), messageId: newMessageId(g.user), date: new Date() };
  const raw = await buildMime(mail, true);
  await deliver(g.state, g.user, raw, allRecipients(mail), { saveToSentItems: body.saveToSentItems !== false });
  g.send(202);
}

interface ReplyInput {
  comment?: unknown;
  toRecipients?: GraphMessageInput['toRecipients'];
  message?: GraphMessageInput;
}

/** Builds the reply or forward of message :id from the request's comment/message/toRecipients. */
async function composeReply(ctx: RequestContext, g: GraphContext, kind: ReplyKind) {
  const original = requireMessage(g, ctx.params.id);
  const content: MessageContent = await g.mailbox.content(original.id);
  const input = await ctx.json<ReplyInput>();
  const overrides = fromGraphMessage({ ...(input.message || {}), toRecipients: input.message?.toRecipients ?? input.toRecipients }, g.user);
  const defaults = replyRecipients(kind, content, g.user);
  const comment = input.message?.body?.content !== undefined
    ? String(input.message.body.content)
    : input.comment === undefined ? '' : String(input.comment);
  const mail: Outgoing = {
    from: me(g.user),
    to: overrides.to.length ? overrides.to : defaults.to,
    cc: overrides.cc.length ? overrides.cc : defaults.cc,
    bcc: overrides.bcc,
    subject: input.message?.subject !== undefined ? overrides.subject : replySubject(kind, content.subject),
    html: quotedBody(comment, content),
    attachments: [...(kind === 'forward' ? content.attachments : content.attachments.filter((a) => a.inline)), ...overrides.attachments],
    headers: overrides.headers,
    messageId: newMessageId(g.user),
    inReplyTo: content.messageId || undefined,
    references: [...(content.references || []), ...(content.messageId ? [content.messageId] : [])],
    date: new Date(),
  };
  return { original, mail };
}

async function reply(ctx: RequestContext, g: GraphContext, kind: ReplyKind) {
  const { original, mail } = await composeReply(ctx, g, kind);
  if (!allRecipients(mail).length) throw badRequest('At least one recipient is required, but none were found.', 'ErrorInvalidRecipients');
  const raw = await buildMime(mail, true);
  await deliver(g.state, g.user, raw, allRecipients(mail), { saveToSentItems: true, threadId: original.threadId });
  g.send(202);
}

async function saveDraft(g: GraphContext, mail: Outgoing | Buffer, threadId?: string) {
  const raw = Buffer.isBuffer(mail) ? mail : await buildMime(mail, true);
  const draft = await g.mailbox.insert({ raw, folderId: folderOfKind(g.mailbox, 'drafts').id, read: true, threadId });
  g.json(201, { '@odata.context': `${g.baseUrl}/v1.0/$metadata#users('${g.user.id}')/messages/$entity`, ...(await formatMessage(g.mailbox, draft)) });
}

export function mountSend(api: GraphApi) {
  api.route('POST', '/sendMail', 'graph.sendMail', 'send', sendMail);
  for (const kind of ['reply', 'replyAll', 'forward'] as const) {
    api.route('POST', `/messages/:id/${kind}`, `graph.messages.${kind}`, 'send', (ctx, g) => reply(ctx, g, kind));
    const create = `create${kind[0].toUpperCase()}${kind.slice(1)}`;
    api.route('POST', `/messages/:id/${create}`, `graph.messages.${create}`, 'write', async (ctx, g) => {
      const { original, mail } = await composeReply(ctx, g, kind);
      await saveDraft(g, mail, original.threadId);
    });
  }
  api.route('POST', '/messages', 'graph.messages.create', 'write', async (ctx, g) => {
    if (String(ctx.req.headers['content-type'] || '').startsWith('text/plain')) return saveDraft(g, (await readMime(ctx, g)).raw);
    const input = await ctx.json<GraphMessageInput>();
    const parts = fromGraphMessage(input, g.user);
    await saveDraft(g, { ...parts, from: me(g.user), messageId: draftMessageId(input?.internetMessageId, g.user), date: new Date() });
  });
  api.route('POST', '/messages/:id/send', 'graph.messages.send', 'send', async (ctx, g) => {
    const draft = requireMessage(g, ctx.params.id);
    if (draft.folderId !== folderOfKind(g.mailbox, 'drafts').id) throw new GraphError(400, 'ErrorInvalidOperation', 'Only draft messages can be sent.');
    const content = await g.mailbox.content(draft.id);
    const recipients = allRecipients(content);
    if (!recipients.length) throw badRequest('At least one recipient is required, but none were found.', 'ErrorInvalidRecipients');
    const raw = await g.mailbox.raw(draft.id);
    // The draft itself becomes the Sent Items copy, as in Outlook.
    g.mailbox.modify(draft.id, { folderId: folderOfKind(g.mailbox, 'sent').id, read: true });
    await deliver(g.state, g.user, raw, recipients, { saveToSentItems: false });
    g.send(202);
  });
}
