// Stored rows → the DTOs of shared/mail.ts, field by field (nothing stored leaks by accident:
// contentHash, sizes and the account's tokens never reach an answer). Rows are read raw, so
// every value is normalised here whatever the dialect gave (SQLite: JSON as text, 0/1 booleans).
import { attachmentPath, INLINE_SRC, type MailAddress, type MailAttachmentDTO, type MailMessageDTO, type MailThreadDTO } from '../../shared/mail';
import { asBoolean, asDate, asJson, type Row } from '../sync/ingest-db';

const iso = (value: unknown) => asDate(value)?.toISOString() ?? null;
const str = (value: unknown) => (typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value));
const addresses = (value: unknown): MailAddress[] => asJson<MailAddress[] | null>(value, []) ?? [];
const ids = (value: unknown): string[] => asJson<string[] | null>(value, []) ?? [];

/** Row ids come back as numbers (SQLite) or strings (PostgreSQL bigint): one shape for the client. */
const id = (value: unknown): number | string => (typeof value === 'number' ? value : /^\d{1,15}$/.test(str(value)) ? Number(value) : str(value));

export function toThreadDTO(row: Row): MailThreadDTO {
  return {
    id: id(row.id),
    accountId: id(row.accountId),
    threadKey: str(row.threadKey),
    subject: str(row.subject),
    snippet: str(row.snippet),
    lastMessageAt: iso(row.lastMessageAt) ?? new Date(0).toISOString(),
    messageCount: Number(row.messageCount) || 0,
    unreadCount: Number(row.unreadCount) || 0,
    hasAttachments: asBoolean(row.hasAttachments),
    starred: asBoolean(row.starred),
    participants: addresses(row.participants),
    folderIds: ids(row.folderIds),
  };
}

export function attachmentsOf(row: Row): MailAttachmentDTO[] {
  const list = asJson<MailAttachmentDTO[] | null>(row.attachments, []) ?? [];
  return list.map((a) => ({
    remoteId: str(a.remoteId),
    filename: str(a.filename),
    contentType: str(a.contentType) || 'application/octet-stream',
    size: Number(a.size) || 0,
    inline: Boolean(a.inline),
    ...(a.contentId ? { contentId: str(a.contentId) } : {}),
  }));
}

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function cidOf(reference: string): string {
  // RFC 2392: a cid: URL is the Content-ID without its brackets, %-encoded.
  try {
    return decodeURIComponent(reference).trim().toLowerCase();
  } catch {
    return reference.trim().toLowerCase();
  }
}

/**
 * Inline images: `src="cid:…"` (kept by the sanitiser, which writes every attribute in double
 * quotes) becomes INLINE_SRC with the attachment's action URL; a cid: that names no attachment
 * loses its src. See INLINE_SRC in shared/mail.ts for why these show without "Show images".
 */
export function resolveInlineImages(html: string, messageId: number | string, attachments: MailAttachmentDTO[]): string {
  if (!/src="cid:/i.test(html)) return html;
  const byCid = new Map(attachments.filter((a) => a.contentId).map((a) => [cidOf(a.contentId as string).replace(/^<|>$/g, ''), a]));
  return html.replace(/\bsrc="cid:([^"]*)"/gi, (_match, reference: string) => {
    const attachment = byCid.get(cidOf(reference.replace(/&amp;/g, '&')));
    return attachment ? `${INLINE_SRC}="${escapeAttribute(attachmentPath(messageId, attachment.remoteId, true))}"` : '';
  });
}

/** A message as a row of the block's list (`withBody` false) or in the thread view. */
export function toMessageDTO(row: Row, withBody: boolean): MailMessageDTO {
  const fromAddress = str(row.fromAddress);
  const attachments = attachmentsOf(row);
  const messageId = id(row.id);
  const dto: MailMessageDTO = {
    id: messageId,
    accountId: id(row.accountId),
    remoteId: str(row.remoteId),
    threadKey: str(row.threadKey),
    messageId: (row.messageId as string) || null,
    inReplyTo: (row.inReplyTo as string) || null,
    references: asJson<string[] | null>(row.references, []) ?? [],
    subject: str(row.subject),
    from: fromAddress ? { ...(row.fromName ? { name: str(row.fromName) } : {}), address: fromAddress } : null,
    to: addresses(row.to),
    cc: addresses(row.cc),
    bcc: addresses(row.bcc),
    replyTo: addresses(row.replyTo),
    sentAt: iso(row.sentAt),
    receivedAt: iso(row.receivedAt) ?? new Date(0).toISOString(),
    snippet: str(row.snippet),
    hasRemoteImages: asBoolean(row.hasRemoteImages),
    read: asBoolean(row.read),
    starred: asBoolean(row.starred),
    folderIds: ids(row.folderIds),
    attachments,
    malformed: asBoolean(row.malformed),
    parseError: (row.parseError as string) || null,
  };
  if (withBody) {
    dto.text = (row.text as string) ?? null;
    dto.html = row.html ? resolveInlineImages(str(row.html), messageId, attachments) : null;
  }
  return dto;
}
