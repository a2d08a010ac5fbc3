// users.drafts: create, update, get, list, send, delete. A draft is a message in DRAFT plus a
// stable draft id. Updating a draft replaces its message (new message id, same draft id), and
// sending files it in SENT and removes the draft, as Gmail does.
import type { Mailbox, MessageState, Router, SandboxState } from '../core/types';
import { badRequest, notFound } from './errors';
import { fromBase64Any, isTrue, pageSize } from './format';
import { search } from './gmail-query';
import { metadataHeadersOf, messageRef, messageResource, parseFormat } from './gmail-resource';
import { gmailMethod } from './gmail-route';
import { prepareOutgoing, sendMessage } from './gmail-send';
import { paginate } from './paging';

interface DraftBody {
  id?: string;
  message?: { raw?: string; threadId?: string };
}

// Draft ids of drafts whose message was replaced; others derive from the message id.
const registries = new WeakMap<Mailbox, { byDraft: Map<string, string>; byMessage: Map<string, string> }>();

function registry(mailbox: Mailbox) {
  let reg = registries.get(mailbox);
  if (!reg) registries.set(mailbox, (reg = { byDraft: new Map(), byMessage: new Map() }));
  return reg;
}

/** Gmail draft ids look like "r" followed by a decimal number; ours is the message id read as hex. */
function draftIdOf(mailbox: Mailbox, m: MessageState): string {
  return registry(mailbox).byMessage.get(m.id) ?? (/^[0-9a-f]{1,16}$/.test(m.id) ? `r${BigInt(`0x${m.id}`)}` : `r-${m.id}`);
}

function findDraft(mailbox: Mailbox, draftId: string): MessageState | undefined {
  const reg = registry(mailbox);
  let messageId = reg.byDraft.get(draftId);
  if (!messageId && /^r\d+$/.test(draftId)) messageId = BigInt(draftId.slice(1)).toString(16).padStart(16, '0');
  if (!messageId && draftId.startsWith('r-')) messageId = draftId.slice(2);
  const m = messageId ? mailbox.get(messageId) : undefined;
  return m && m.folderId === 'DRAFT' ? m : undefined;
}

function link(mailbox: Mailbox, draftId: string, messageId: string, previous?: string) {
  const reg = registry(mailbox);
  if (previous) reg.byMessage.delete(previous);
  reg.byDraft.set(draftId, messageId);
  reg.byMessage.set(messageId, draftId);
}

function unlink(mailbox: Mailbox, draftId: string, messageId: string) {
  const reg = registry(mailbox);
  reg.byDraft.delete(draftId);
  reg.byMessage.delete(messageId);
}

const draftOf = (mailbox: Mailbox, m: MessageState) => ({ id: draftIdOf(mailbox, m), message: messageRef(mailbox, m) });

export function mountDrafts(router: Router, state: SandboxState) {
  const on = gmailMethod(router, state);

  /** Replaces a draft's message with new content; returns the new message. */
  async function replace(mailbox: Mailbox, draftId: string, old: MessageState, message: { raw: string; threadId?: string }) {
    const next = await mailbox.insert({ raw: fromBase64Any(message.raw), folderId: 'DRAFT', read: true, threadId: message.threadId ?? old.threadId });
    link(mailbox, draftId, next.id, old.id);
    mailbox.remove(old.id);
    return next;
  }

  on('POST', '/drafts', 'gmail.users.drafts.create', 'compose', async (call) => {
    const body = await call.json<DraftBody>();
    if (!body) return;
    if (!body.message?.raw) return badRequest(call.ctx, 'Message content is required');
    const m = await call.mailbox.insert({ raw: fromBase64Any(body.message.raw), folderId: 'DRAFT', read: true, threadId: body.message.threadId });
    call.ok(draftOf(call.mailbox, m));
  });

  on('PUT', '/drafts/:id', 'gmail.users.drafts.update', 'compose', async (call) => {
    const body = await call.json<DraftBody>();
    if (!body) return;
    const old = findDraft(call.mailbox, call.ctx.params.id);
    if (!old) return notFound(call.ctx);
    if (!body.message?.raw) return badRequest(call.ctx, 'Message content is required');
    const next = await replace(call.mailbox, call.ctx.params.id, old, { raw: body.message.raw, threadId: body.message.threadId });
    call.ok(draftOf(call.mailbox, next));
  });

  on('GET', '/drafts/:id', 'gmail.users.drafts.get', 'read', async (call) => {
    const { ctx, mailbox } = call;
    const format = parseFormat(ctx.query.get('format'));
    if (!format) return badRequest(ctx, `Invalid value at 'format', "${ctx.query.get('format')}"`);
    const m = findDraft(mailbox, ctx.params.id);
    if (!m) return notFound(ctx);
    call.ok({ id: draftIdOf(mailbox, m), message: await messageResource(mailbox, m, format, metadataHeadersOf(ctx.query)) });
  });

  on('GET', '/drafts', 'gmail.users.drafts.list', 'read', (call) => {
    const { ctx, mailbox } = call;
    const found = search(mailbox, ctx.query.get('q') || '', { folderIds: ['DRAFT'], includeSpamTrash: isTrue(ctx.query.get('includeSpamTrash')) || undefined });
    const page = paginate(found, (m) => m, ctx.query.get('pageToken'), pageSize(ctx.query.get('maxResults'), 100, 500));
    if (!page) return badRequest(ctx, 'Invalid pageToken');
    call.ok({
      ...(page.items.length ? { drafts: page.items.map((m) => ({ id: draftIdOf(mailbox, m), message: { id: m.id, threadId: m.threadId } })) } : {}),
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      resultSizeEstimate: found.length,
    });
  });

  on('POST', '/drafts/send', 'gmail.users.drafts.send', 'compose', async (call) => {
    const { ctx, mailbox } = call;
    const body = await call.json<DraftBody>();
    if (!body) return;
    if (!body.id) return badRequest(ctx, 'Invalid draft');
    let draft = findDraft(mailbox, body.id);
    if (!draft) return notFound(ctx);
    // drafts.send may carry new content: the draft is updated first, then sent.
    if (body.message?.raw) draft = await replace(mailbox, body.id, draft, { raw: body.message.raw, threadId: body.message.threadId });
    const outgoing = await prepareOutgoing(call.user, await mailbox.raw(draft.id));
    if ('error' in outgoing) return badRequest(ctx, outgoing.error);
    const sent = await sendMessage(call.state, mailbox, outgoing, draft.threadId);
    unlink(mailbox, body.id, draft.id);
    mailbox.remove(draft.id);
    call.ok(messageRef(mailbox, sent));
  });

  on('DELETE', '/drafts/:id', 'gmail.users.drafts.delete', 'compose', (call) => {
    const m = findDraft(call.mailbox, call.ctx.params.id);
    if (!m) return notFound(call.ctx);
    unlink(call.mailbox, call.ctx.params.id, m.id);
    call.mailbox.remove(m.id);
    call.ctx.send(204);
  });
}
