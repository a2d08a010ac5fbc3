// users.messages: list, get, attachments.get, modify, trash, untrash, delete, batchModify,
// batchDelete, send.
import type { Router, SandboxState } from '../core/types';
import { badRequest, notFound, sendGoogleError } from './errors';
import { fromBase64Any, isTrue, pageSize, toBase64Url } from './format';
import { search } from './gmail-query';
import { labelChange, moveToTrash, restoreFolder } from './gmail-labels-map';
import { metadataHeadersOf, messageRef, messageResource, parseFormat } from './gmail-resource';
import { gmailMethod, type GmailCall } from './gmail-route';
import { sendRaw } from './gmail-send';
import { parseAttachmentId, parseMessage } from './mime';
import { paginate } from './paging';

export const RAW_REQUIRED = "'raw' RFC822 payload message string or uploading message via /upload/* URL required";

/** The labelIds / q / includeSpamTrash / paging shared by messages.list and threads.list. */
export function listMessages(call: GmailCall) {
  const { ctx, mailbox } = call;
  const q = ctx.query.get('q') || '';
  if (q && call.metadataOnly) {
    sendGoogleError(ctx, 403, "Metadata scope does not support 'q' parameter", { reason: 'forbidden' });
    return undefined;
  }
  const labelIds = ctx.query.getAll('labelIds').flatMap((v) => v.split(',')).filter(Boolean);
  return search(mailbox, q, {
    labelIds: labelIds.length ? labelIds : undefined,
    includeSpamTrash: isTrue(ctx.query.get('includeSpamTrash')) || undefined,
  });
}

export function mountMessages(router: Router, state: SandboxState) {
  const on = gmailMethod(router, state);

  on('GET', '/messages', 'gmail.users.messages.list', 'read', (call) => {
    const found = listMessages(call);
    if (!found) return;
    const page = paginate(found, (m) => m, call.ctx.query.get('pageToken'), pageSize(call.ctx.query.get('maxResults'), 100, 500));
    if (!page) return badRequest(call.ctx, 'Invalid pageToken');
    call.ok({
      ...(page.items.length ? { messages: page.items.map((m) => ({ id: m.id, threadId: m.threadId })) } : {}),
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
      resultSizeEstimate: found.length,
    });
  });

  on('GET', '/messages/:id', 'gmail.users.messages.get', 'read', async (call) => {
    const { ctx, mailbox } = call;
    const format = parseFormat(ctx.query.get('format'));
    if (!format) return badRequest(ctx, `Invalid value at 'format' (type.googleapis.com/caribou.api.proto.MessageFormat), "${ctx.query.get('format')}"`);
    if (call.metadataOnly && (format === 'full' || format === 'raw')) {
      return sendGoogleError(ctx, 403, `Metadata scope doesn't allow format ${format.toUpperCase()}`, { reason: 'forbidden' });
    }
    const m = mailbox.get(ctx.params.id);
    if (!m) return notFound(ctx);
    call.ok(await messageResource(mailbox, m, format, metadataHeadersOf(ctx.query)));
  });

  on('GET', '/messages/:messageId/attachments/:id', 'gmail.users.messages.attachments.get', 'read', async (call) => {
    const { ctx, mailbox } = call;
    if (call.metadataOnly) return sendGoogleError(ctx, 403, "Metadata scope doesn't allow format FULL", { reason: 'forbidden' });
    const m = mailbox.get(ctx.params.messageId);
    const ref = parseAttachmentId(ctx.params.id);
    if (!m) return notFound(ctx);
    if (!ref || ref.messageId !== m.id) return badRequest(ctx, 'Invalid attachment token');
    const { contents } = await parseMessage(await mailbox.raw(m.id), m.id);
    const bytes = contents.get(ref.partId);
    if (!bytes) return badRequest(ctx, 'Invalid attachment token');
    call.ok({ size: bytes.length, data: toBase64Url(bytes) });
  });

  on('POST', '/messages/:id/modify', 'gmail.users.messages.modify', 'modify', async (call) => {
    const { ctx, mailbox } = call;
    const body = await call.json<{ addLabelIds?: string[]; removeLabelIds?: string[] }>();
    if (!body) return;
    const m = mailbox.get(ctx.params.id);
    if (!m) return notFound(ctx);
    const result = labelChange(mailbox, m, body.addLabelIds, body.removeLabelIds);
    if ('invalid' in result) return badRequest(ctx, `Invalid label: ${result.invalid}`);
    const updated = mailbox.modify(m.id, result.change);
    if (!updated) return notFound(ctx);
    call.ok(messageRef(mailbox, updated));
  });

  on('POST', '/messages/batchModify', 'gmail.users.messages.batchModify', 'modify', async (call) => {
    const { ctx, mailbox } = call;
    const body = await call.json<{ ids?: string[]; addLabelIds?: string[]; removeLabelIds?: string[] }>();
    if (!body) return;
    if (!body.ids?.length) return badRequest(ctx, 'No message ids specified');
    if (body.ids.length > 1000) return badRequest(ctx, 'Too many message ids specified (at most 1000)');
    for (const id of body.ids) {
      const m = mailbox.get(id);
      if (!m) continue;
      const result = labelChange(mailbox, m, body.addLabelIds, body.removeLabelIds);
      if ('invalid' in result) return badRequest(ctx, `Invalid label: ${result.invalid}`);
      mailbox.modify(id, result.change);
    }
    ctx.send(204);
  });

  on('POST', '/messages/:id/trash', 'gmail.users.messages.trash', 'modify', (call) => {
    const m = call.mailbox.get(call.ctx.params.id);
    if (!m) return notFound(call.ctx);
    const updated = moveToTrash(call.mailbox, m) ?? m;
    call.ok(messageRef(call.mailbox, updated));
  });

  on('POST', '/messages/:id/untrash', 'gmail.users.messages.untrash', 'modify', (call) => {
    const m = call.mailbox.get(call.ctx.params.id);
    if (!m) return notFound(call.ctx);
    const updated = m.folderId === 'TRASH' ? call.mailbox.modify(m.id, { folderId: restoreFolder(call.mailbox, m) }) ?? m : m;
    call.ok(messageRef(call.mailbox, updated));
  });

  // Permanent deletion needs the full https://mail.google.com/ scope, as in Gmail.
  on('DELETE', '/messages/:id', 'gmail.users.messages.delete', 'full', (call) => {
    if (!call.mailbox.remove(call.ctx.params.id)) return notFound(call.ctx);
    call.ctx.send(204);
  });

  on('POST', '/messages/batchDelete', 'gmail.users.messages.batchDelete', 'full', async (call) => {
    const body = await call.json<{ ids?: string[] }>();
    if (!body) return;
    if (!body.ids?.length) return badRequest(call.ctx, 'No message ids specified');
    for (const id of body.ids) call.mailbox.remove(id);
    call.ctx.send(204);
  });

  on('POST', '/messages/send', 'gmail.users.messages.send', 'send', async (call) => {
    const body = await call.json<{ raw?: string; threadId?: string }>();
    if (!body) return;
    if (!body.raw) return badRequest(call.ctx, RAW_REQUIRED);
    await sendRaw(call, fromBase64Any(body.raw), body.threadId);
  });
}
