// Outlook's MailActions over Graph. Read state: PATCH isRead, 20 to a $batch (Graph's limit),
// laid out in chains so the mailbox never has more than 4 requests in flight. Attachments:
// Graph's sync pages carry only hasAttachments (listing them on delta would bring their bytes),
// so the list is read when a message is opened, and a file is streamed from
// /attachments/{id}/$value straight through to the browser.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ProviderOptions } from '../../../shared/types';
import { AttachmentGoneError, type AttachmentDownload, type MailActions } from '../mail-types';
import type { RemoteAttachment, SyncSession } from '../sync-types';
import { batchGet } from './graph-batch';
import { GraphSession, isGraphStatus } from './graph-session';
import { graphPacer, type GraphPacer } from './pacing';

interface GraphAttachment {
  id?: string;
  name?: string | null;
  contentType?: string | null;
  size?: number | null;
  isInline?: boolean | null;
  contentId?: string | null;
  '@odata.type'?: string;
}

// contentId belongs to fileAttachment; item and reference attachments have no bytes to download.
const ATTACHMENT_SELECT = 'id,name,contentType,size,isInline,contentId';
const FILE_ATTACHMENT = '#microsoft.graph.fileAttachment';
const message = (id: string) => `/me/messages/${encodeURIComponent(id)}`;
const notThere = (err: unknown) => isGraphStatus(err, 404) || isGraphStatus(err, 400);

export function toRemoteAttachment(a: GraphAttachment): RemoteAttachment | undefined {
  if (!a.id || (a['@odata.type'] && a['@odata.type'] !== FILE_ATTACHMENT)) return undefined;
  const out: RemoteAttachment = {
    remoteId: a.id,
    filename: a.name ?? '',
    contentType: a.contentType || 'application/octet-stream',
    size: a.size ?? 0,
    inline: Boolean(a.isInline),
  };
  // Graph gives the Content-ID as written, sometimes with its angle brackets; cid: URLs never have them.
  const cid = a.contentId?.replace(/^<|>$/g, '');
  if (cid) out.contentId = cid;
  return out;
}

export class OutlookMail implements MailActions {
  constructor(
    private readonly options: ProviderOptions,
    private readonly pacer: GraphPacer = graphPacer,
  ) {}

  private open(session: SyncSession): GraphSession {
    return GraphSession.open(this.options, this.pacer, session);
  }

  async setRead(session: SyncSession, remoteIds: string[], read: boolean): Promise<void> {
    const ids = [...new Set(remoteIds.filter(Boolean))];
    if (!ids.length) return;
    // A message gone at Graph (404) comes back as a missing answer: nothing to mark.
    await batchGet(
      this.open(session),
      ids.map((id) => ({ key: id, url: message(id), method: 'PATCH' as const, body: { isRead: read } })),
      this.pacer.limits.concurrency,
    );
  }

  async listAttachments(session: SyncSession, messageRemoteId: string): Promise<RemoteAttachment[]> {
    let answer: { value?: GraphAttachment[] };
    try {
      answer = await this.open(session).get(`${message(messageRemoteId)}/attachments?$select=${ATTACHMENT_SELECT}`);
    } catch (err) {
      if (notThere(err)) throw new AttachmentGoneError('Outlook no longer has this message');
      throw err;
    }
    return (answer.value ?? []).map(toRemoteAttachment).filter((a): a is RemoteAttachment => Boolean(a));
  }

  async downloadAttachment(session: SyncSession, messageRemoteId: string, attachment: RemoteAttachment): Promise<AttachmentDownload> {
    let response: Response;
    try {
      response = await this.open(session).raw(`${message(messageRemoteId)}/attachments/${encodeURIComponent(attachment.remoteId)}/$value`);
    } catch (err) {
      if (notThere(err)) throw new AttachmentGoneError('Outlook no longer has this attachment');
      throw err;
    }
    // fetch decodes a compressed body but keeps the compressed Content-Length: only a plain one is the file's size.
    const length = response.headers.get('content-encoding') ? NaN : Number(response.headers.get('content-length') ?? NaN);
    return {
      body: response.body ? Readable.fromWeb(response.body as unknown as WebReadableStream) : Readable.from([]),
      contentType: response.headers.get('content-type') || undefined,
      size: Number.isInteger(length) && length >= 0 ? length : undefined,
    };
  }
}
