// A messages.get?format=full answer's part tree → the port's parsed fields. Gmail has already
// split the MIME and undone its transfer encodings: headers arrive unfolded with encoded words
// decoded, a text part's body as base64url of its bytes (still in its own charset), and an
// attachment as its size and an attachmentId, without its bytes. Reading mail this way costs
// the sync no MIME parsing and no attachment downloads (a first sync of format=raw carries
// every attachment of the mailbox). Attachments keep the ids the raw reading gave them
// (mailparser's part numbers, "part:2"), which mail.ts finds again in the same tree.
import type { gmail_v1 } from '@googleapis/gmail';
import { decodedWords } from '../../mime/addresses';
import type { RemoteAttachment, RemoteMessage } from '../sync-types';

type Part = gmail_v1.Schema$MessagePart;
type Parsed = NonNullable<RemoteMessage['parsed']>;

/** Each part's headers by lower-cased name, first occurrence kept: a message asks its root for a dozen. */
const indexes = new WeakMap<Part, Map<string, string | undefined>>();

function header(part: Part, name: string): string | undefined {
  let index = indexes.get(part);
  if (!index) {
    index = new Map();
    for (const h of part.headers ?? []) {
      const key = h.name?.toLowerCase();
      if (key !== undefined && !index.has(key)) index.set(key, typeof h.value === 'string' ? h.value : undefined);
    }
    indexes.set(part, index);
  }
  return index.get(name);
}

/** Gmail's partId ("0.1", 0-based) as the raw reading's attachment id ("part:1.2", 1-based). */
export function attachmentRemoteId(partId: string): string {
  return `part:${partId === '' ? '' : partId.split('.').map((n) => Number(n) + 1).join('.')}`;
}

/** The inverse: an attachment id as Gmail's partId; the root is "" in both. */
export function gmailPartId(remoteId: string): string | undefined {
  if (!remoteId.startsWith('part:')) return undefined;
  const imap = remoteId.slice(5);
  if (imap === '') return '';
  const segments = imap.split('.').map(Number);
  if (segments.some((n) => !Number.isInteger(n) || n < 1)) return undefined;
  return segments.map((n) => n - 1).join('.');
}

function charsetOf(part: Part): string {
  return /charset\s*=\s*"?([^";\s]+)/i.exec(header(part, 'content-type') ?? '')?.[1] ?? 'utf-8';
}

function decodeText(part: Part): string {
  const bytes = Buffer.from(part.body?.data ?? '', 'base64url');
  try {
    return new TextDecoder(charsetOf(part)).decode(bytes);
  } catch {
    // A charset the runtime does not know: UTF-8 shows most of such a text.
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function dispositionOf(part: Part): string {
  return (header(part, 'content-disposition') ?? '').split(';')[0].trim().toLowerCase();
}

const ADDRESS_HEADERS = [
  ['from', 'from'],
  ['to', 'to'],
  ['cc', 'cc'],
  ['bcc', 'bcc'],
  ['replyTo', 'reply-to'],
] as const;

/** A header field name as RFC 5322 has it: printable ASCII, no space, no colon. */
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

/**
 * The parsed fields, or undefined when the tree cannot say everything the raw message would:
 * a header section Gmail could not read (none, or a "header" that is really a line of text:
 * the raw reading flags such a message malformed), or a text body kept out of line behind an
 * attachmentId. The caller then reads that message raw.
 */
export function parsedFromPayload(payload: Part | undefined, sizeEstimate?: number | null): Parsed | undefined {
  if (!payload?.headers?.length || !payload.headers.every((h) => FIELD_NAME.test(h.name ?? ''))) return undefined;
  const text: string[] = [];
  const html: string[] = [];
  const attachments: RemoteAttachment[] = [];
  let readable = true;
  const visit = (part: Part, inRelated: boolean) => {
    const type = (part.mimeType || 'text/plain').toLowerCase();
    if (part.parts?.length || type.startsWith('multipart/')) {
      for (const child of part.parts ?? []) visit(child, inRelated || type === 'multipart/related');
      return;
    }
    const disposition = dispositionOf(part);
    const isBody = !part.filename && disposition !== 'attachment' && (type === 'text/plain' || type === 'text/html');
    if (isBody) {
      if (part.body?.attachmentId && part.body.data === undefined) readable = false;
      else (type === 'text/html' ? html : text).push(decodeText(part));
      return;
    }
    const contentId = header(part, 'content-id')?.trim().replace(/^<|>$/g, '');
    const attachment: RemoteAttachment = {
      remoteId: attachmentRemoteId(part.partId ?? ''),
      filename: part.filename ?? '',
      contentType: type,
      size: part.body?.size ?? 0,
      inline: inRelated || (disposition === 'inline' && Boolean(contentId)),
    };
    if (contentId) attachment.contentId = contentId;
    attachments.push(attachment);
  };
  visit(payload, false);
  if (!readable) return undefined;
  const references = header(payload, 'references');
  const date = header(payload, 'date');
  // Address headers go as Gmail wrote them: the MIME parser splits them, off the main thread.
  const addressHeaders: NonNullable<Parsed['addressHeaders']> = {};
  for (const [key, name] of ADDRESS_HEADERS) {
    const value = header(payload, name);
    if (value !== undefined) addressHeaders[key] = value;
  }
  return {
    messageId: header(payload, 'message-id'),
    inReplyTo: header(payload, 'in-reply-to'),
    references: references ? [references] : [],
    // Gmail decodes encoded words in the values it lists; one it left encoded is decoded here.
    subject: decodedWords(header(payload, 'subject') ?? ''),
    to: [],
    cc: [],
    bcc: [],
    replyTo: [],
    addressHeaders,
    sentAt: date ? new Date(date) : undefined,
    text: text.join('\n'),
    html: html.join('\n'),
    attachments,
    size: sizeEstimate ?? undefined,
  };
}
