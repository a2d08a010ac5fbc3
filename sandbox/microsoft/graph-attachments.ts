// Attachments of drafts: POST /messages/{id}/attachments (a fileAttachment with base64
// contentBytes, the whole request under 4 MB), DELETE /messages/{id}/attachments/{id}, and
// POST /messages/{id}/attachments/createUploadSession for files from 2 MB (docs: 3 MB) up to
// the message size limit, uploaded through the session's uploadUrl (upload-session.ts).
import type { RequestContext } from '../core/types';
import { GraphError, badRequest, notFound } from './errors';
import { addAttachment, checkRoom, requireDraft, rewriteDraft } from './draft-edit';
import { attachmentIndex, formatAttachment } from './format';
import { UPLOAD_SESSION_MIN } from './limits';
import type { GraphApi, GraphContext } from './pipeline';
import type { UploadSessions } from './upload-session';

const FILE_ATTACHMENT = '#microsoft.graph.fileAttachment';

interface AttachmentInput {
  '@odata.type'?: unknown;
  name?: unknown;
  contentType?: unknown;
  contentBytes?: unknown;
  isInline?: unknown;
  contentId?: unknown;
}

async function create(ctx: RequestContext, g: GraphContext) {
  const draft = requireDraft(g.mailbox, ctx.params.id);
  const input = await ctx.json<AttachmentInput>();
  const type = input?.['@odata.type'];
  if (type !== undefined && type !== FILE_ATTACHMENT) throw badRequest('Only file attachments are supported by the sandbox.', 'ErrorInvalidRequest');
  if (typeof input.name !== 'string' || !input.name) throw badRequest("The property 'name' is required.", 'ErrorInvalidRequest');
  if (typeof input.contentBytes !== 'string' || !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(input.contentBytes)) throw badRequest("The property 'contentBytes' is required and must be base64.", 'ErrorInvalidRequest');
  const content = Buffer.from(input.contentBytes, 'base64');
  await checkRoom(g.mailbox, draft, content.length);
  const added = await addAttachment(g.mailbox, draft, {
    filename: input.name,
    contentType: typeof input.contentType === 'string' && input.contentType ? input.contentType : 'application/octet-stream',
    content,
    cid: typeof input.contentId === 'string' ? input.contentId : undefined,
    inline: input.isInline === true,
  });
  g.json(201, {
    '@odata.context': `${g.baseUrl}/v1.0/$metadata#users('${g.user.id}')/messages('${draft.id}')/attachments/$entity`,
    ...formatAttachment(added.state, added.attachment, added.index),
  });
}

async function remove(ctx: RequestContext, g: GraphContext) {
  const draft = requireDraft(g.mailbox, ctx.params.id);
  const index = attachmentIndex(draft.id, ctx.params.attachmentId);
  const content = await g.mailbox.content(draft.id);
  if (!content.attachments[index]) throw notFound();
  await rewriteDraft(g.mailbox, draft, (c) => ({ ...c, attachments: c.attachments.filter((_, i) => i !== index) }));
  g.send(204);
}

interface SessionInput {
  attachmentType?: unknown;
  name?: unknown;
  size?: unknown;
  contentType?: unknown;
  isInline?: unknown;
  contentId?: unknown;
}

async function createUploadSession(ctx: RequestContext, g: GraphContext, sessions: UploadSessions) {
  const draft = requireDraft(g.mailbox, ctx.params.id);
  const body = await ctx.json<{ AttachmentItem?: SessionInput; attachmentItem?: SessionInput }>();
  const item = body?.AttachmentItem ?? body?.attachmentItem;
  if (!item || typeof item !== 'object') throw badRequest("The parameter 'AttachmentItem' is required.", 'ErrorInvalidRequest');
  if (String(item.attachmentType ?? '').toLowerCase() !== 'file') throw badRequest("Only attachmentType 'file' is supported.", 'ErrorInvalidRequest');
  if (typeof item.name !== 'string' || !item.name) throw badRequest("The property 'name' is required.", 'ErrorInvalidRequest');
  if (typeof item.size !== 'number' || !Number.isSafeInteger(item.size) || item.size <= 0) throw badRequest("The property 'size' is required.", 'ErrorInvalidRequest');
  if (item.size < UPLOAD_SESSION_MIN) {
    throw new GraphError(400, 'ErrorAttachmentSizeShouldNotBeLessThanMinimumSize', 'Attachment size should not be less than the minimum size for an upload session; use POST attachments.');
  }
  await checkRoom(g.mailbox, draft, item.size);
  const session = sessions.create(g.user, {
    messageId: draft.id,
    name: item.name,
    size: item.size,
    contentType: typeof item.contentType === 'string' && item.contentType ? item.contentType : 'application/octet-stream',
    isInline: item.isInline === true,
    contentId: typeof item.contentId === 'string' ? item.contentId : undefined,
  });
  g.json(201, {
    '@odata.context': `${g.baseUrl}/v1.0/$metadata#microsoft.graph.uploadSession`,
    uploadUrl: sessions.uploadUrl(g.user, session),
    expirationDateTime: new Date(session.expires).toISOString(),
    nextExpectedRanges: ['0-'],
  });
}

export function mountAttachments(api: GraphApi, sessions: UploadSessions) {
  api.route('POST', '/messages/:id/attachments', 'graph.attachments.create', 'write', create);
  api.route('DELETE', '/messages/:id/attachments/:attachmentId', 'graph.attachments.delete', 'write', remove);
  for (const action of ['createUploadSession', 'microsoft.graph.createUploadSession']) {
    api.route('POST', `/messages/:id/attachments/${action}`, 'graph.attachments.createUploadSession', 'write', (ctx, g) => createUploadSession(ctx, g, sessions));
  }
}
