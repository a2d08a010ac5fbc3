// MessageState (+ MessageContent when a requested property needs it) → Graph message JSON,
// honouring $select. Properties that the state alone answers never build the content, so a
// delta page with a narrow $select stays cheap at 100k messages.
import { createHash } from 'node:crypto';
import type { Address, AttachmentContent, Folder, Mailbox, MessageContent, MessageState } from '../core/types';
import { badRequest } from './errors';
import { graphDate } from './odata';

/** Graph's default message properties, in the order Graph writes them. */
const DEFAULT_PROPERTIES = [
  'createdDateTime', 'lastModifiedDateTime', 'changeKey', 'categories', 'receivedDateTime', 'sentDateTime',
  'hasAttachments', 'internetMessageId', 'subject', 'bodyPreview', 'importance', 'parentFolderId',
  'conversationId', 'conversationIndex', 'isDeliveryReceiptRequested', 'isReadReceiptRequested', 'isRead',
  'isDraft', 'webLink', 'inferenceClassification', 'body', 'sender', 'from', 'toRecipients', 'ccRecipients',
  'bccRecipients', 'replyTo', 'flag',
];
/** Returned only when $select names them. */
const SELECT_ONLY = ['internetMessageHeaders', 'uniqueBody'];
const KNOWN = new Set(['id', ...DEFAULT_PROPERTIES, ...SELECT_ONLY]);
const NEEDS_CONTENT = new Set(['sentDateTime', 'internetMessageId', 'body', 'uniqueBody', 'toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo']);

export interface FormatOptions {
  select?: string[];
  bodyContentType?: 'text' | 'html';
  /** Set on delta items, as Graph does. */
  odataType?: boolean;
  /** Per-message extras the state does not hold (flag "complete"). */
  flagStatus?: (m: MessageState) => string | undefined;
}

/** Validates $select against the message type (Graph answers 400 for unknown properties). */
export function checkSelect(select: string[] | undefined) {
  for (const name of select || []) {
    if (!KNOWN.has(name)) throw badRequest(`Could not find a property named '${name}' on type 'microsoft.graph.message'.`, 'RequestBroker--ParseUri');
  }
}

export function needsContent(select: string[] | undefined) {
  return !select || select.some((p) => NEEDS_CONTENT.has(p));
}

export function changeKey(m: MessageState) {
  return 'CQAAABYAAAA' + createHash('sha1').update(`${m.id}|${m.seq}`).digest('base64').slice(0, 28);
}

export function recipient(a: Address) {
  return { emailAddress: { name: a.name || a.address, address: a.address } };
}

export function htmlToText(html: string) {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|tr|h\d|li)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function escapeHtml(text: string) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Exchange stores plain-text mail as text and converts on request, as here. */
export function messageBody(content: MessageContent, want?: 'text' | 'html') {
  if (want === 'text') return { contentType: 'text', content: content.text ?? htmlToText(content.html || '') };
  if (content.html !== undefined) return { contentType: 'html', content: content.html };
  if (want === 'html') {
    const html = escapeHtml(content.text || '').replace(/\r?\n/g, '<br>\r\n');
    return { contentType: 'html', content: `<html><head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><div>${html}</div></body></html>` };
  }
  return { contentType: 'text', content: content.text || '' };
}

/** The body without the quoted history Outlook appends under its <hr> separator. */
function uniqueBody(body: { contentType: string; content: string }) {
  const cut = body.contentType === 'html' ? body.content.search(/<hr[^>]*tabindex="-1"[^>]*>\s*<div id="divRplyFwdMsg"/) : body.content.search(/\r?\n_{10,}\r?\nFrom: /);
  if (cut < 0) return body;
  return { contentType: body.contentType, content: body.contentType === 'html' ? `${body.content.slice(0, cut)}</body></html>` : body.content.slice(0, cut) };
}

/** The header block of a raw message as Graph's internetMessageHeaders. */
export function parseHeaders(raw: Buffer) {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const block = end < 0 ? text : text.slice(0, end);
  const headers: { name: string; value: string }[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && headers.length) headers[headers.length - 1].value += ' ' + line.trim();
    else {
      const colon = line.indexOf(':');
      if (colon > 0) headers.push({ name: line.slice(0, colon), value: line.slice(colon + 1).trim() });
    }
  }
  return headers;
}

export async function formatMessage(mailbox: Mailbox, m: MessageState, options: FormatOptions = {}): Promise<Record<string, unknown>> {
  const select = options.select;
  const wanted = select ? DEFAULT_PROPERTIES.concat(SELECT_ONLY).filter((p) => select.includes(p)) : DEFAULT_PROPERTIES;
  const content = needsContent(select) ? await mailbox.content(m.id) : undefined;
  const raw = wanted.includes('internetMessageHeaders') ? await mailbox.rawHeaders(m.id) : undefined;
  const folder = mailbox.folders.find((f) => f.id === m.folderId);
  const key = changeKey(m);
  const out: Record<string, unknown> = {};
  if (options.odataType) out['@odata.type'] = '#microsoft.graph.message';
  out['@odata.etag'] = `W/"${key}"`;
  out.id = m.id;
  for (const name of wanted) out[name] = property(name, m, content, raw, folder, key, options);
  return out;
}

function property(name: string, m: MessageState, content: MessageContent | undefined, raw: Buffer | undefined, folder: Folder | undefined, key: string, options: FormatOptions): unknown {
  const c = content as MessageContent;
  switch (name) {
    case 'createdDateTime':
    case 'lastModifiedDateTime':
    case 'receivedDateTime':
      return graphDate(m.date);
    case 'sentDateTime':
      return graphDate(c.date);
    case 'changeKey':
      return key;
    case 'categories':
      // Outlook categories ride on the state's labels (always empty for seeded Graph mail).
      return [...m.labels];
    case 'hasAttachments':
      return m.hasAttachments;
    case 'internetMessageId':
      return c.messageId;
    case 'subject':
      return m.subject;
    case 'bodyPreview':
      return m.snippet.slice(0, 255);
    case 'importance':
      return 'normal';
    case 'parentFolderId':
      return m.folderId;
    case 'conversationId':
      return m.threadId;
    case 'conversationIndex':
      return createHash('sha1').update(m.threadId).digest().subarray(0, 16).toString('base64') + createHash('sha1').update(m.id).digest().subarray(0, 5).toString('base64');
    case 'isDeliveryReceiptRequested':
    case 'isReadReceiptRequested':
      return false;
    case 'isRead':
      return m.read;
    case 'isDraft':
      return folder?.kind === 'drafts';
    case 'webLink':
      return `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(m.id)}&exvsurl=1&viewmodel=ReadMessageItem`;
    case 'inferenceClassification':
      return 'focused';
    case 'body':
      return messageBody(c, options.bodyContentType);
    case 'uniqueBody':
      return uniqueBody(messageBody(c, options.bodyContentType));
    case 'sender':
    case 'from':
      return recipient(m.from);
    case 'toRecipients':
      return c.to.map(recipient);
    case 'ccRecipients':
      return c.cc.map(recipient);
    case 'bccRecipients':
      return c.bcc.map(recipient);
    case 'replyTo':
      return (c.replyTo || []).map(recipient);
    case 'flag':
      return { flagStatus: options.flagStatus?.(m) ?? (m.starred ? 'flagged' : 'notFlagged') };
    case 'internetMessageHeaders':
      return raw ? parseHeaders(raw) : [];
    default:
      return undefined;
  }
}

/** Attachment ids carry the message id and the attachment's position, so they can be resolved. */
export function attachmentId(messageId: string, index: number) {
  return 'AAMkADI1ATT' + Buffer.from(`${index}|${messageId}`).toString('base64url');
}

export function attachmentIndex(messageId: string, attachmentId: string) {
  if (!attachmentId.startsWith('AAMkADI1ATT')) return -1;
  const decoded = Buffer.from(attachmentId.slice(11), 'base64url').toString('utf8');
  const bar = decoded.indexOf('|');
  if (bar < 0 || decoded.slice(bar + 1) !== messageId) return -1;
  const index = Number(decoded.slice(0, bar));
  return Number.isInteger(index) ? index : -1;
}

export function formatAttachment(m: MessageState, a: AttachmentContent, index: number, withBytes = true) {
  return {
    '@odata.type': '#microsoft.graph.fileAttachment',
    '@odata.mediaContentType': a.contentType,
    id: attachmentId(m.id, index),
    lastModifiedDateTime: graphDate(m.date),
    name: a.filename,
    contentType: a.contentType,
    size: a.content.length,
    isInline: Boolean(a.inline),
    contentId: a.cid ?? null,
    contentLocation: null,
    ...(withBytes ? { contentBytes: a.content.toString('base64') } : {}),
  };
}
