// Gmail's MailActions. Read state is the UNREAD label (messages.batchModify, up to 1,000 ids a
// call). Attachments: the sync knows an attachment by its MIME part number ("part:2",
// mailparser's 1-based numbering, which the part-tree reading in payload.ts keeps), not by
// Gmail's attachmentId, which Gmail does not even keep stable between two reads. A download
// therefore reads the message's part tree (format=full), finds the part, and fetches its body.
// Gmail answers attachments.get as JSON with the bytes in base64url (attachments are at most
// 25 MB), so this one is decoded in memory: there is no byte stream to pass on.
import { Readable } from 'node:stream';
import type { gmail_v1 } from '@googleapis/gmail';
import { httpStatus } from '../errors';
import { AttachmentGoneError, type AttachmentDownload, type MailActions } from '../mail-types';
import type { RemoteAttachment, SyncSession } from '../sync-types';
import type { GmailCalls } from './calls';
import { GMAIL_COST } from './pacing';
import { gmailPartId } from './payload';

export const MAX_BATCH_MODIFY = 1000;

function* walk(part: gmail_v1.Schema$MessagePart | undefined): Generator<gmail_v1.Schema$MessagePart> {
  if (!part) return;
  yield part;
  for (const child of part.parts ?? []) yield* walk(child);
}

/** The part by its number; failing that (a numbering Gmail and mailparser disagree on), the one part with the same name and type. */
export function findPart(payload: gmail_v1.Schema$MessagePart | undefined, attachment: RemoteAttachment) {
  const parts = [...walk(payload)];
  const partId = gmailPartId(attachment.remoteId);
  const exact = partId === undefined ? undefined : parts.find((p) => (p.partId ?? '') === partId);
  if (exact && (exact.body?.attachmentId || exact.body?.data !== undefined)) return exact;
  const named = parts.filter((p) => p.filename && p.filename === attachment.filename && (p.mimeType || '').toLowerCase() === attachment.contentType.toLowerCase());
  return named.length === 1 ? named[0] : undefined;
}

const gone = (err: unknown) => httpStatus(err) === 404;

export class GmailMail implements MailActions {
  constructor(private readonly calls: GmailCalls) {}

  async setRead(session: SyncSession, remoteIds: string[], read: boolean): Promise<void> {
    const ids = [...new Set(remoteIds.filter(Boolean))];
    for (let i = 0; i < ids.length; i += MAX_BATCH_MODIFY) {
      const requestBody = read ? { ids: ids.slice(i, i + MAX_BATCH_MODIFY), removeLabelIds: ['UNREAD'] } : { ids: ids.slice(i, i + MAX_BATCH_MODIFY), addLabelIds: ['UNREAD'] };
      await this.calls.run(session, GMAIL_COST.messagesBatchModify, (api, options) => api.users.messages.batchModify({ userId: 'me', requestBody }, options));
    }
  }

  async downloadAttachment(session: SyncSession, messageRemoteId: string, attachment: RemoteAttachment): Promise<AttachmentDownload> {
    let message: gmail_v1.Schema$Message;
    try {
      ({ data: message } = await this.calls.run(session, GMAIL_COST.messagesGet, (api, options) => api.users.messages.get({ userId: 'me', id: messageRemoteId, format: 'full' }, options)));
    } catch (err) {
      if (gone(err)) throw new AttachmentGoneError('Gmail no longer has this message');
      throw err;
    }
    const part = findPart(message.payload, attachment);
    if (!part) throw new AttachmentGoneError('Gmail has no such attachment in this message');
    let data = part.body?.data ?? undefined;
    if (data === undefined) {
      try {
        const answer = await this.calls.run(session, GMAIL_COST.attachmentsGet, (api, options) =>
          api.users.messages.attachments.get({ userId: 'me', messageId: messageRemoteId, id: part.body?.attachmentId as string }, options),
        );
        data = answer.data.data ?? '';
      } catch (err) {
        if (gone(err)) throw new AttachmentGoneError('Gmail no longer has this attachment');
        throw err;
      }
    }
    const bytes = Buffer.from(data, 'base64url');
    return { body: Readable.from([bytes]), contentType: part.mimeType || undefined, size: bytes.length };
  }
}
