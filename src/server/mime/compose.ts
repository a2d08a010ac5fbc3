// Outgoing messages: the html the user wrote, sanitised (a composer is input like any other),
// its plain-text alternative, and the RFC 5322 message built by nodemailer's MailComposer with
// the threading headers of the message answered. The Bcc header stays in the bytes: Gmail and
// Graph deliver to it and drop it from what recipients get.
import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import sanitizeHtml from 'sanitize-html';
import type { OutgoingAttachment, OutgoingMail } from '../providers/send-types';
import { sanitizeMailHtml } from './sanitize';

const OUTGOING_TAGS = [...sanitizeHtml.defaults.allowedTags, 'img', 'u', 's', 'strike', 'del', 'ins', 'font', 'span', 'center', 'small', 'big'];
const OUTGOING: sanitizeHtml.IOptions = {
  allowedTags: OUTGOING_TAGS,
  allowedAttributes: {
    '*': ['style', 'dir', 'lang', 'title', 'align', 'width', 'height', 'color'],
    a: ['href', 'name', 'target', 'rel'],
    img: ['src', 'alt'],
    ol: ['start', 'type'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
    font: ['face', 'size', 'color'],
    blockquote: ['cite', 'type'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https', 'cid', 'data'] },
  allowProtocolRelative: false,
};

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The html and text parts of a body given as html, as text, or both. */
export function bodyParts(input: { html?: string | null; text?: string | null }): { html: string; text: string } {
  const given = input.html?.trim();
  if (given) {
    const html = sanitizeHtml(given, OUTGOING);
    const text = input.text?.trim() ? input.text : (sanitizeMailHtml(html, { withText: true }).text ?? '');
    return { html, text };
  }
  const text = (input.text ?? '').replace(/\r\n/g, '\n');
  const html = `<div>${escapeHtml(text).replace(/\n/g, '<br>\n')}</div>`;
  return { html, text };
}

/** A Message-ID in the sender's domain, as mail clients write them. */
export function newMessageId(fromAddress: string): string {
  const domain = fromAddress.split('@')[1] || 'localhost';
  return `<${randomUUID()}@${domain}>`;
}

export type ComposeParts = Omit<OutgoingMail, 'raw' | 'mode' | 'threadRemoteId' | 'sourceRemoteId'>;

/** The message's bytes. */
export async function buildMime(mail: ComposeParts, date = new Date()): Promise<Buffer> {
  const attachments = mail.attachments.map((a: OutgoingAttachment) => ({
    filename: a.filename,
    contentType: a.contentType,
    content: a.content,
    ...(a.contentId ? { cid: a.contentId, contentDisposition: 'inline' as const } : {}),
  }));
  const node = new MailComposer({
    from: mail.from,
    to: mail.to,
    cc: mail.cc,
    bcc: mail.bcc,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo,
    references: mail.references?.length ? mail.references : undefined,
    date,
    attachments,
  }).compile();
  // Kept for the provider, which delivers to Bcc and strips the header (see the file comment).
  (node as unknown as { keepBcc: boolean }).keepBcc = true;
  return node.build();
}
