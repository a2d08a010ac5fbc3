// RemoteMessage → MessageContent. Raw MIME goes through mailparser; parsed provider fields are
// normalised the same way. Nothing here throws: a message that cannot be read fully is returned
// with what could be read, `malformed: true` and a short reason, so one bad message never
// stops a page (or a whole first sync) from being stored.
import { simpleParser, type AddressObject, type Attachment, type EmailAddress, type ParsedMail } from 'mailparser';
import type { RemoteAddress, RemoteAttachment, RemoteMessage } from '../providers/sync-types';
import { addressesFromHeader } from './addresses';
import { mimeProblem } from './check';
import { normalizeAddresses, normalizeMessageId, normalizeReferences, snippetOf, validDate } from './normalize';
import { sanitizeMailHtml } from './sanitize';
import type { MessageContent } from './types';

const PARSER_OPTIONS = {
  // cid: links stay links (the client resolves them); the default inlines every image as data:.
  keepCidLinks: true,
  skipImageLinks: true,
  // textAsHtml, link detection and attachment checksums are work nobody reads.
  skipTextToHtml: true,
  skipTextLinks: true,
  checksumAlgo: false as const,
  // HTML → text conversion of a huge newsletter is slow; such a message gets the cheap converter.
  maxHtmlLengthToParse: 2_000_000,
};

const NO_HEADERS = new Set(['the message is empty', 'the message has no header section']);

export function safeReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\s+/g, ' ').trim().slice(0, 200) || 'unknown error';
}

function flattenAddresses(value: AddressObject | AddressObject[] | undefined): RemoteAddress[] {
  const out: RemoteAddress[] = [];
  const visit = (entries: EmailAddress[]) => {
    for (const entry of entries) {
      if (entry.group) visit(entry.group);
      else if (entry.address) out.push({ name: entry.name, address: entry.address });
    }
  };
  for (const header of Array.isArray(value) ? value : value ? [value] : []) visit(header.value || []);
  return normalizeAddresses(out);
}

function isInline(attachment: Attachment): boolean {
  return attachment.related === true || (attachment.contentDisposition === 'inline' && Boolean(attachment.cid));
}

function attachmentOf(attachment: Attachment, index: number): RemoteAttachment {
  // A raw message's attachments have no provider id: the MIME part number finds them again
  // in the raw message ("part:2", "part:1.3").
  const meta: RemoteAttachment = {
    remoteId: `part:${attachment.partId ?? index + 1}`,
    filename: attachment.filename ?? '',
    contentType: attachment.contentType || 'application/octet-stream',
    size: attachment.size ?? attachment.content?.length ?? 0,
    inline: isInline(attachment),
  };
  if (attachment.cid) meta.contentId = attachment.cid;
  return meta;
}

/** The Date header as written; mailparser replaces an unreadable one with "now". */
function sentDateOf(mail: ParsedMail): Date | undefined {
  const line = mail.headerLines?.find((h) => h.key === 'date')?.line;
  return line ? validDate(line.slice(line.indexOf(':') + 1).trim()) : undefined;
}

function content(fields: Partial<MessageContent> & { html?: string; text?: string }): MessageContent {
  const sanitized = sanitizeMailHtml(fields.html, { withText: !fields.text });
  const text = fields.text || sanitized.text || '';
  const attachments = fields.attachments ?? [];
  return {
    references: [],
    subject: '',
    to: [],
    cc: [],
    bcc: [],
    replyTo: [],
    size: 0,
    malformed: false,
    ...fields,
    text,
    html: sanitized.html,
    hasRemoteImages: sanitized.hasRemoteImages,
    snippet: snippetOf(fields.snippet || text),
    attachments,
    // A provider that lists attachments only on demand (Graph) still says whether there are any.
    hasAttachments: attachments.some((a) => !a.inline) || fields.hasAttachments === true,
  };
}

interface ReadAs {
  size: number;
  problem?: string;
  /** The body as text, when mailparser saw only the headers. */
  body?: string;
}

function fromParsedMail(mail: ParsedMail, { size, problem, body }: ReadAs): MessageContent {
  return content({
    messageId: normalizeMessageId(mail.messageId),
    inReplyTo: normalizeMessageId(mail.inReplyTo),
    references: normalizeReferences(mail.references),
    subject: mail.subject ?? '',
    from: flattenAddresses(mail.from)[0],
    to: flattenAddresses(mail.to),
    cc: flattenAddresses(mail.cc),
    bcc: flattenAddresses(mail.bcc),
    replyTo: flattenAddresses(mail.replyTo),
    sentAt: sentDateOf(mail),
    text: body ?? mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : '',
    attachments: (mail.attachments || []).map(attachmentOf),
    size,
    malformed: Boolean(problem),
    parseError: problem,
  });
}

/** Text of a message that has no usable MIME: what a person would see opening it as a file. */
function bodyAsText(raw: Buffer, problem: string): MessageContent {
  return content({ text: raw.toString('utf8'), size: raw.length, malformed: true, parseError: problem });
}

/** When mailparser gives up on the body, the header block alone usually still parses. */
async function headersOnly(raw: Buffer, problem: string): Promise<MessageContent> {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  try {
    // latin1 maps bytes 1:1, so string offsets are byte offsets.
    const head = Buffer.from(`${end >= 0 ? text.slice(0, end) : text}\r\n\r\n`, 'latin1');
    const body = end >= 0 ? raw.subarray(end).toString('utf8').trim() : '';
    return fromParsedMail(await simpleParser(head, PARSER_OPTIONS), { size: raw.length, problem, body });
  } catch {
    return bodyAsText(raw, problem);
  }
}

async function fromMime(raw: Buffer): Promise<MessageContent> {
  const problem = mimeProblem(raw);
  if (problem && NO_HEADERS.has(problem)) return bodyAsText(raw, problem);
  try {
    return fromParsedMail(await simpleParser(raw, PARSER_OPTIONS), { size: raw.length, problem });
  } catch (err) {
    return headersOnly(raw, `the MIME structure could not be read: ${safeReason(err)}`);
  }
}

function attachmentFromProvider(a: RemoteAttachment): RemoteAttachment {
  const meta: RemoteAttachment = {
    remoteId: String(a.remoteId ?? ''),
    filename: String(a.filename ?? ''),
    contentType: String(a.contentType || 'application/octet-stream'),
    size: Number.isFinite(a.size) ? a.size : 0,
    inline: Boolean(a.inline),
  };
  if (a.contentId) meta.contentId = String(a.contentId).replace(/^<|>$/g, '');
  return meta;
}

type Parsed = NonNullable<RemoteMessage['parsed']>;

/** A message's addresses of one kind: from its header's text when the provider gave that. */
function addressesOf(parsed: Parsed, key: keyof NonNullable<Parsed['addressHeaders']>): RemoteAddress[] {
  const header = parsed.addressHeaders?.[key];
  const given = typeof header === 'string' ? addressesFromHeader(header) : key === 'from' ? (parsed.from ? [parsed.from] : []) : parsed[key];
  // From is one address: the first given, taken before normalising (which drops empty ones).
  return normalizeAddresses(key === 'from' ? given.slice(0, 1) : given);
}

function fromFields(parsed: Parsed): MessageContent {
  const attachments = (parsed.attachments || []).map(attachmentFromProvider);
  const bodyBytes = Buffer.byteLength(parsed.text || '') + Buffer.byteLength(parsed.html || '');
  return content({
    messageId: normalizeMessageId(parsed.messageId),
    inReplyTo: normalizeMessageId(parsed.inReplyTo),
    references: normalizeReferences(parsed.references),
    subject: typeof parsed.subject === 'string' ? parsed.subject : '',
    from: addressesOf(parsed, 'from')[0],
    to: addressesOf(parsed, 'to'),
    cc: addressesOf(parsed, 'cc'),
    bcc: addressesOf(parsed, 'bcc'),
    replyTo: addressesOf(parsed, 'replyTo'),
    sentAt: validDate(parsed.sentAt),
    text: typeof parsed.text === 'string' ? parsed.text : '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    snippet: parsed.snippet,
    attachments,
    hasAttachments: parsed.hasAttachments === true,
    size: Number.isFinite(parsed.size) && (parsed.size as number) > 0 ? (parsed.size as number) : bodyBytes + attachments.reduce((sum, a) => sum + a.size, 0),
  });
}

export async function parseMessage(message: RemoteMessage): Promise<MessageContent> {
  try {
    if (message.raw) return await fromMime(Buffer.isBuffer(message.raw) ? message.raw : Buffer.from(message.raw));
    if (message.parsed) return fromFields(message.parsed);
    return content({ malformed: true, parseError: 'the provider sent no content' });
  } catch (err) {
    // Not expected (the steps above catch their own failures), but ingest must go on.
    return content({ malformed: true, parseError: `the message could not be read: ${safeReason(err)}` });
  }
}
