// Outgoing mail: Graph message JSON → MIME (nodemailer's MailComposer), and the recipients,
// subject, threading headers and quoted body of replies and forwards as Outlook writes them.
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Address, AttachmentContent, MessageContent, SandboxUser } from '../core/types';
import { GraphError, badRequest } from './errors';
import { escapeHtml } from './format';

export interface Outgoing {
  from: Address;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  replyTo?: Address[];
  subject: string;
  text?: string;
  html?: string;
  attachments: AttachmentContent[];
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  headers?: { key: string; value: string }[];
  date: Date;
}

interface GraphRecipient {
  emailAddress?: { address?: unknown; name?: unknown };
}

export interface GraphMessageInput {
  subject?: unknown;
  body?: { contentType?: unknown; content?: unknown };
  toRecipients?: GraphRecipient[];
  ccRecipients?: GraphRecipient[];
  bccRecipients?: GraphRecipient[];
  replyTo?: GraphRecipient[];
  from?: GraphRecipient;
  attachments?: { '@odata.type'?: unknown; name?: unknown; contentType?: unknown; contentBytes?: unknown; isInline?: unknown; contentId?: unknown }[];
  internetMessageHeaders?: { name?: unknown; value?: unknown }[];
  internetMessageId?: unknown;
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;

/** Exchange-style Message-ID: random and upper case, under the sender's domain. */
export function newMessageId(user: SandboxUser) {
  const domain = user.email.split('@')[1] || 'sandbox.example';
  return `<${randomBytes(15).toString('hex').toUpperCase()}@${domain}>`;
}

/** A draft's internetMessageId may be set ("updatable only if isDraft is true"); conversationId may not. */
export function draftMessageId(value: unknown, user: SandboxUser) {
  if (value === undefined || value === null) return newMessageId(user);
  if (typeof value !== 'string' || !/^<[^<>\s@]+@[^<>\s@]+>$/.test(value.trim())) throw badRequest("Invalid value for property 'internetMessageId'.", 'ErrorInvalidProperty');
  return value.trim();
}

export function sameAddress(a: string, b: string) {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function recipients(list: GraphRecipient[] | undefined, property: string): Address[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw badRequest(`Invalid value for property '${property}'.`, 'ErrorInvalidProperty');
  return list.map((r) => {
    const address = r?.emailAddress?.address;
    if (typeof address !== 'string' || !ADDRESS.test(address.trim())) {
      throw badRequest(`At least one recipient is not valid., Recipient '${String(address)}' is not resolved. All recipients must be resolved before a message can be submitted.`, 'ErrorInvalidRecipients');
    }
    const name = r.emailAddress?.name;
    return { address: address.trim(), ...(typeof name === 'string' && name ? { name } : {}) };
  });
}

/** The parts of a Graph message JSON that make up an outgoing mail. */
export function fromGraphMessage(input: GraphMessageInput | undefined, user: SandboxUser) {
  const message = input || {};
  if (message.from?.emailAddress?.address !== undefined && !sameAddress(String(message.from.emailAddress.address), user.email)) {
    throw new GraphError(403, 'ErrorSendAsDenied', 'The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account.');
  }
  const type = String(message.body?.contentType ?? 'text').toLowerCase();
  if (type !== 'text' && type !== 'html') throw badRequest(`Invalid value '${type}' for property 'contentType'.`, 'ErrorInvalidProperty');
  const content = message.body?.content === undefined ? '' : String(message.body.content);
  const headers = (message.internetMessageHeaders || []).map((h) => {
    const key = String(h?.name ?? '');
    if (!/^x-/i.test(key)) throw badRequest(`The internet message header name '${key}' should start with 'x-' or 'X-'.`, 'InvalidInternetMessageHeader');
    return { key, value: String(h?.value ?? '') };
  });
  const attachments: AttachmentContent[] = (message.attachments || []).map((a) => {
    if (a?.['@odata.type'] !== undefined && a['@odata.type'] !== '#microsoft.graph.fileAttachment') {
      throw badRequest('Only file attachments are supported by the sandbox.', 'ErrorInvalidRequest');
    }
    if (typeof a?.contentBytes !== 'string') throw badRequest("The property 'contentBytes' is required.", 'ErrorInvalidRequest');
    return {
      filename: String(a.name ?? 'attachment'),
      contentType: String(a.contentType ?? 'application/octet-stream'),
      content: Buffer.from(a.contentBytes, 'base64'),
      cid: typeof a.contentId === 'string' ? a.contentId : undefined,
      inline: a.isInline === true,
    };
  });
  return {
    subject: message.subject === undefined ? '' : String(message.subject),
    to: recipients(message.toRecipients, 'toRecipients'),
    cc: recipients(message.ccRecipients, 'ccRecipients'),
    bcc: recipients(message.bccRecipients, 'bccRecipients'),
    replyTo: message.replyTo ? recipients(message.replyTo, 'replyTo') : undefined,
    ...(type === 'html' ? { html: content } : { text: content }),
    attachments,
    headers,
  };
}

function format(a: Address) {
  return a.name ? { name: a.name, address: a.address } : a.address;
}

export async function buildMime(mail: Outgoing, keepBcc: boolean): Promise<Buffer> {
  const composer = new MailComposer({
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    date: mail.date,
    subject: mail.subject,
    from: format(mail.from),
    to: mail.to.map(format),
    cc: mail.cc.map(format),
    bcc: mail.bcc.map(format),
    replyTo: mail.replyTo?.map(format),
    text: mail.text,
    html: mail.html,
    headers: mail.headers,
    attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content, cid: a.cid, contentDisposition: a.inline ? ('inline' as const) : ('attachment' as const) })),
  });
  const compiled = composer.compile();
  compiled.keepBcc = keepBcc;
  return new Promise((resolve, reject) => compiled.build((err, message) => (err ? reject(err) : resolve(message))));
}

/** The copy recipients get: the same bytes without the Bcc header. */
export function stripBcc(raw: Buffer): Buffer {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  if (end < 0) return raw;
  const lines = text.slice(0, end).split(/\r?\n/);
  const kept: string[] = [];
  let dropping = false;
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      if (!dropping) kept.push(line);
      continue;
    }
    dropping = /^bcc:/i.test(line);
    if (!dropping) kept.push(line);
  }
  return Buffer.from(kept.join('\r\n') + text.slice(end), 'latin1');
}

export type ReplyKind = 'reply' | 'replyAll' | 'forward';

function dedupe(list: Address[], exclude: string[]) {
  const seen = new Set(exclude.map((e) => e.toLowerCase()));
  return list.filter((a) => {
    const key = a.address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Who a reply goes to, as Outlook fills it in (a reply to one's own sent mail goes to its recipients). */
export function replyRecipients(kind: ReplyKind, original: MessageContent, user: SandboxUser) {
  if (kind === 'forward') return { to: [], cc: [] };
  const own = sameAddress(original.from.address, user.email);
  const primary = own ? original.to : original.replyTo?.length ? original.replyTo : [original.from];
  if (kind === 'reply') return { to: dedupe(primary, []), cc: [] };
  const to = dedupe([...primary, ...original.to], [user.email]);
  const cc = dedupe(original.cc, [user.email, ...to.map((a) => a.address)]);
  return { to: to.length ? to : dedupe(primary, []), cc };
}

export function replySubject(kind: ReplyKind, subject: string) {
  const prefix = kind === 'forward' ? 'FW: ' : 'RE: ';
  const already = kind === 'forward' ? /^(fw|fwd):/i : /^re:/i;
  return already.test(subject) ? subject : prefix + subject;
}

function list(addresses: Address[]) {
  return addresses.map((a) => escapeHtml(a.name ? `${a.name} <${a.address}>` : a.address)).join('; ');
}

/** The new text above Outlook's header block and the original body. */
export function quotedBody(comment: string, original: MessageContent) {
  const originalHtml = original.html ?? `<div>${escapeHtml(original.text || '').replace(/\r?\n/g, '<br>')}</div>`;
  const header = [
    `<b>From:</b> ${list([original.from])}`,
    `<b>Sent:</b> ${escapeHtml(original.date.toUTCString())}`,
    `<b>To:</b> ${list(original.to)}`,
    ...(original.cc.length ? [`<b>Cc:</b> ${list(original.cc)}`] : []),
    `<b>Subject:</b> ${escapeHtml(original.subject)}`,
  ].join('<br>\r\n');
  return `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><div>${comment}</div>\r\n<hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr">${header}</div><br>\r\n${originalHtml}</body></html>`;
}
