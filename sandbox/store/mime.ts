// MIME in and out through postalsys' libraries: nodemailer's MailComposer builds, mailparser reads.
import MailComposer from 'nodemailer/lib/mail-composer';
import { simpleParser, type AddressObject } from 'mailparser';
import type { Address, MessageContent } from '../core/types';

function format(address: Address) {
  return address.name ? { name: address.name, address: address.address } : address.address;
}

/** `baseBoundary` makes the bytes reproducible: seeded messages must be identical on every build. */
export async function buildRaw(content: MessageContent, options: { textEncoding?: 'quoted-printable' | 'base64'; keepBcc?: boolean; baseBoundary?: string } = {}): Promise<Buffer> {
  const composer = new MailComposer({
    // Supported by MailComposer (passed to MimeNode) but missing from @types/nodemailer.
    ...({ baseBoundary: options.baseBoundary } as object),
    messageId: content.messageId,
    inReplyTo: content.inReplyTo,
    references: content.references,
    subject: content.subject,
    from: format(content.from),
    to: content.to.map(format),
    cc: content.cc.map(format),
    bcc: content.bcc.map(format),
    replyTo: content.replyTo?.map(format),
    date: content.date,
    text: content.text,
    html: content.html,
    textEncoding: options.textEncoding,
    attachments: content.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content, cid: a.cid, contentDisposition: a.inline ? 'inline' : 'attachment' })),
  });
  const mail = composer.compile();
  mail.keepBcc = Boolean(options.keepBcc);
  return new Promise((resolve, reject) => mail.build((err, message) => (err ? reject(err) : resolve(message))));
}

function addresses(value: AddressObject | AddressObject[] | undefined): Address[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((entry) => entry.value).filter((a) => a.address).map((a) => ({ name: a.name || undefined, address: a.address as string }));
}

export async function parseRaw(raw: Buffer): Promise<MessageContent> {
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextLinks: true, keepCidLinks: true });
  const references = typeof parsed.references === 'string' ? [parsed.references] : parsed.references;
  return {
    messageId: parsed.messageId || '',
    inReplyTo: parsed.inReplyTo || undefined,
    references: references?.length ? references : undefined,
    subject: parsed.subject || '',
    from: addresses(parsed.from)[0] || { address: '' },
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    bcc: addresses(parsed.bcc),
    replyTo: parsed.replyTo ? addresses(parsed.replyTo) : undefined,
    date: parsed.date || new Date(),
    text: parsed.text || undefined,
    html: typeof parsed.html === 'string' ? parsed.html : undefined,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename || 'attachment',
      contentType: a.contentType,
      content: a.content,
      cid: a.cid || undefined,
      inline: a.contentDisposition === 'inline',
    })),
  };
}
