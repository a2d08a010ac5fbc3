// Editing a draft: its MIME is rebuilt from its content with the change applied (attachments
// added or removed, or the properties a PATCH may change on a draft), its custom x- headers
// kept, and replaces the old bytes: the draft keeps its id and conversation, and sending it
// sends what it now holds.
import type { AttachmentContent, Mailbox, MessageContent, MessageState, SandboxUser } from '../core/types';
import { buildMime, draftMessageId, fromGraphMessage, type GraphMessageInput } from './compose';
import { GraphError, notFound } from './errors';
import { folderOfKind } from './folders';
import { parseHeaders } from './format';
import { MESSAGE_SIZE_LIMIT, messageTooLarge } from './limits';

export function requireDraft(mailbox: Mailbox, id: string): MessageState {
  const m = mailbox.get(id);
  if (!m) throw notFound();
  if (m.folderId !== folderOfKind(mailbox, 'drafts').id) {
    throw new GraphError(400, 'ErrorInvalidOperation', 'Attachments can be added to or removed from draft messages only.');
  }
  return m;
}

/** Refuses an attachment that would take the draft's attachments over the message size limit. */
export async function checkRoom(mailbox: Mailbox, draft: MessageState, adding: number) {
  const content = await mailbox.content(draft.id);
  const total = content.attachments.reduce((sum, a) => sum + a.content.length, 0) + adding;
  if (total > MESSAGE_SIZE_LIMIT) throw messageTooLarge();
}

/** Rebuilds the draft from `change(content)`; returns its new state and content. */
export async function rewriteDraft(mailbox: Mailbox, draft: MessageState, change: (content: MessageContent) => MessageContent) {
  const content = await mailbox.content(draft.id);
  const headers = parseHeaders(await mailbox.rawHeaders(draft.id))
    .filter((h) => /^x-/i.test(h.name))
    .map((h) => ({ key: h.name, value: h.value }));
  const raw = await buildMime({ ...change(content), headers }, true);
  const updated = await mailbox.replaceRaw(draft.id, raw);
  if (!updated) throw notFound();
  return { state: updated, content: await mailbox.content(draft.id) };
}

/** Adds one attachment; returns the draft and the attachment's index in the rebuilt content. */
export async function addAttachment(mailbox: Mailbox, draft: MessageState, attachment: AttachmentContent) {
  const { state, content } = await rewriteDraft(mailbox, draft, (c) => ({ ...c, attachments: [...c.attachments, attachment] }));
  let index = -1;
  content.attachments.forEach((a, i) => {
    if (a.filename === attachment.filename && a.content.length === attachment.content.length) index = i;
  });
  return { state, attachment: content.attachments[index] ?? attachment, index: Math.max(index, 0) };
}

/** What PATCH may change on a draft only ("updatable only if isDraft is true"). */
export const DRAFT_PROPERTIES = ['subject', 'body', 'toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo', 'internetMessageId', 'from'] as const;

/** Applies the draft properties present in a PATCH body; the others keep their values. */
export async function patchDraft(mailbox: Mailbox, draft: MessageState, input: GraphMessageInput, user: SandboxUser) {
  const parts = fromGraphMessage(input, user);
  const has = (name: keyof GraphMessageInput) => input[name] !== undefined;
  const messageId = has('internetMessageId') ? draftMessageId(input.internetMessageId, user) : undefined;
  return rewriteDraft(mailbox, draft, (c) => ({
    ...c,
    subject: has('subject') ? parts.subject : c.subject,
    ...(has('body') ? { text: 'text' in parts ? parts.text : undefined, html: 'html' in parts ? parts.html : undefined } : {}),
    to: has('toRecipients') ? parts.to : c.to,
    cc: has('ccRecipients') ? parts.cc : c.cc,
    bcc: has('bccRecipients') ? parts.bcc : c.bcc,
    replyTo: has('replyTo') ? parts.replyTo : c.replyTo,
    messageId: messageId ?? c.messageId,
  }));
}
