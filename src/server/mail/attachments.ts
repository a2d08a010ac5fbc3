// Attachments: the list a provider gives only on demand (Graph), and downloads streamed from
// the provider through the server, so the browser never talks to a provider and never sees a
// provider token. Headers make the bytes safe to serve from NocoBase's own origin: a file is a
// download unless it is a raster image asked for inline, the type is never sniffed, and a
// sandbox CSP keeps an HTML or SVG file from running script here even if opened directly.
import type { Database } from '@nocobase/database';
import type { Readable } from 'node:stream';
import type { MailAttachmentDTO } from '../../shared/mail';
import { parseId } from '../accounts/store';
import type { Log } from '../log';
import { AttachmentGoneError } from '../providers/mail-types';
import type { RemoteAttachment } from '../providers/sync-types';
import type { Row } from '../sync/ingest-db';
import { attachmentsOf } from './dto';
import type { ProviderCalls } from './provider';
import { invalidQuery, notFound, type AccountRef, type MailScope, type Viewer } from './scope';

const INLINE_TYPES = /^image\/(png|jpeg|gif|webp|bmp|avif)$/;
const MIME_TYPE = /^[a-z0-9!#$&^_.+-]{1,64}\/[a-z0-9!#$&^_.+-]{1,128}$/;

export interface Download {
  body: Readable;
  headers: Record<string, string>;
}

/** RFC 6266 with an RFC 5987 `filename*` for the real name, and a plain ASCII fallback. */
export function contentDisposition(type: 'attachment' | 'inline', filename: string): string {
  const name = filename.replace(/[\r\n\\/]+/g, '_').trim() || 'attachment';
  const fallback = name.replace(/[^\x20-\x7e]|["%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

function contentTypeOf(stored: string, told?: string): string {
  for (const candidate of [stored, told]) {
    const type = candidate?.split(';')[0].trim().toLowerCase();
    if (type && MIME_TYPE.test(type) && type !== 'application/octet-stream') return type;
  }
  return 'application/octet-stream';
}

/** Messages whose attachments the sync could not list (Graph) but that have some, or refer to inline images. */
export function needsListing(row: Row): boolean {
  if (attachmentsOf(row).length) return false;
  const hasAttachments = row.hasAttachments === true || row.hasAttachments === 1 || row.hasAttachments === '1';
  return hasAttachments || (typeof row.html === 'string' && /src="cid:/i.test(row.html));
}

export class Attachments {
  constructor(
    private readonly db: Database,
    private readonly scope: MailScope,
    private readonly provider: ProviderCalls,
    private readonly log: Log,
  ) {}

  /**
   * Asks the provider for the attachments of these messages (when its adapter lists them apart
   * from the sync) and stores them, so they are asked for once. Best effort: a thread still
   * opens when the provider cannot answer. Returns the rows with the lists filled in.
   */
  async fillIn(account: AccountRef, rows: Row[]): Promise<Row[]> {
    const wanted = rows.filter(needsListing);
    if (!wanted.length) return rows;
    const listed = new Map<string, RemoteAttachment[]>();
    try {
      await this.provider.run(account, async (mail, session) => {
        if (!mail.listAttachments) return;
        const list = mail.listAttachments.bind(mail);
        // A message gone at the provider has none; any other failure fails the call, so that a
        // refused token is refreshed and the call repeated (ProviderCalls.run).
        const gone = (err: unknown) => (err instanceof AttachmentGoneError ? [] : Promise.reject(err));
        await Promise.all(wanted.map(async (row) => listed.set(String(row.id), await list(session, String(row.remoteId)).catch(gone))));
      });
    } catch (err) {
      this.log.warn('could not list a message\'s attachments at the provider', { accountId: account.id, error: (err as Error).message });
      return rows;
    }
    for (const [id, attachments] of listed) {
      await this.db.getModel('mailMessages').update({ attachments }, { where: { id } });
    }
    return rows.map((row) => (listed.has(String(row.id)) ? { ...row, attachments: listed.get(String(row.id)) } : row));
  }

  async download(viewer: Viewer, params: { filterByTk?: unknown; attachmentId?: unknown; inline?: unknown }): Promise<Download> {
    const messageId = parseId(params.filterByTk);
    if (!messageId) throw notFound('message');
    if (typeof params.attachmentId !== 'string' || !params.attachmentId || params.attachmentId.length > 1024) throw invalidQuery('attachmentId: the remoteId of one of the message\'s attachments');
    const row = (await this.db.getModel('mailMessages').findOne({ where: { id: messageId }, attributes: ['id', 'accountId', 'remoteId', 'attachments', 'hasAttachments', 'html'], raw: true })) as unknown as Row | null;
    const account = row ? (await this.scope.byIds(viewer, [String(row.accountId)])).get(String(row.accountId)) : undefined;
    if (!row || !account) throw notFound('message');
    const filled = needsListing(row) ? (await this.fillIn(account, [row]))[0] : row;
    const attachment: MailAttachmentDTO | undefined = attachmentsOf(filled).find((a) => a.remoteId === params.attachmentId);
    if (!attachment) throw notFound('attachment');

    const file = await this.provider.run(account, (mail, session) => mail.downloadAttachment(session, String(row.remoteId), attachment));
    const contentType = contentTypeOf(attachment.contentType, file.contentType);
    const inline = (params.inline === '1' || params.inline === 'true' || params.inline === true) && INLINE_TYPES.test(contentType);
    const headers: Record<string, string> = {
      'Content-Type': contentType,
      'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', attachment.filename),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'",
      // The user's own mail: never in a shared cache.
      'Cache-Control': 'private, max-age=300',
    };
    if (file.size !== undefined) headers['Content-Length'] = String(file.size);
    return { body: file.body, headers };
  }
}
