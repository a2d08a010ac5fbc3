// What Reply, Reply all, Forward and Write email put in the composer. Pure functions; the
// composer hands a ComposerDraft to compose-send.ts, which maps it onto the send contract.
import type { MailAddress, MailAttachmentDTO, MailMessageDTO } from '../../shared/mail';
import type { ComposeMode, MailUploadDTO } from '../../shared/send';
import { addressLine, fullDate, sameAddress } from './format';

export type { ComposeMode };

export interface ComposerDraft {
  mode: ComposeMode;
  /** The account it is sent from. */
  accountId?: number | string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  /** Rich text (HTML); the quote of the original sits below the cursor in a <blockquote>. */
  html: string;
  /** The message answered or forwarded: threading headers come from it when sending. */
  source?: { id: number | string; messageId?: string | null; references?: string[] };
  /** Forward: the original's attachments, sent along. */
  attachments: Array<{ messageId: number | string; attachment: MailAttachmentDTO }>;
  /** Bulk send ("Send email" on a table): one separate message per recipient in To. */
  perRecipient?: boolean;
  /** Files the user attached (already uploaded). */
  uploads?: MailUploadDTO[];
  /** The saved draft this composer edits (mailDrafts), once it has been saved. */
  draftId?: number | string | null;
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

const REPLY_PREFIX = /^\s*(re|aw|sv|antw|vs|ref|回复|答复)\s*(\[\d+\])?\s*[:：]/i;
const FORWARD_PREFIX = /^\s*(fwd?|fw|wg|doorst|tr|转发)\s*[:：]/i;

/** "Re: subject", unless it already starts with a reply prefix (in any common language). */
export function replySubject(subject: string) {
  const text = subject?.trim() ?? '';
  return REPLY_PREFIX.test(text) ? text : `Re: ${text}`;
}

/** "Fwd: subject", unless it already is one. */
export function forwardSubject(subject: string) {
  const text = subject?.trim() ?? '';
  return FORWARD_PREFIX.test(text) ? text : `Fwd: ${text}`;
}

function unique(addresses: MailAddress[], exclude: string[]) {
  const seen = new Set(exclude.map((a) => a.toLowerCase()));
  const out: string[] = [];
  for (const address of addresses) {
    const key = address?.address?.toLowerCase();
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(addressLine(address));
  }
  return out;
}

/**
 * Who a reply goes to: Reply-To, else From. A reply to one's own message goes to its
 * recipients instead. Reply all adds the other To and Cc, never the user's own addresses.
 */
export function replyRecipients(message: MailMessageDTO, own: string[], all: boolean) {
  const fromMe = own.some((address) => sameAddress(address, message.from?.address));
  let primary: MailAddress[];
  if (fromMe) primary = message.to;
  else if (message.replyTo?.length) primary = message.replyTo;
  else primary = message.from ? [message.from] : [];
  const to = unique(primary, fromMe ? own : []);
  if (!to.length && fromMe && message.from) to.push(addressLine(message.from));
  if (!all) return { to, cc: [] as string[] };
  const toAddresses = to.map((line) => /<([^<>]+)>$/.exec(line)?.[1] ?? line);
  const cc = unique([...(fromMe ? [] : message.to), ...message.cc], [...own, ...toAddresses]);
  return { to, cc };
}

/** The original's text: its plain part, or its sanitised HTML read as text (inert parse). */
export function messageText(message: Pick<MailMessageDTO, 'text' | 'html' | 'snippet'>) {
  if (message.text?.trim()) return message.text.replace(/\r\n/g, '\n');
  if (message.html) {
    const doc = new DOMParser().parseFromString(message.html, 'text/html');
    doc.querySelectorAll('style, script, title').forEach((node) => node.remove());
    doc.querySelectorAll('br').forEach((node) => node.replaceWith('\n'));
    doc.querySelectorAll('p, div, tr, li, h1, h2, h3, h4, h5, h6, blockquote').forEach((node) => node.append('\n'));
    return (doc.body.textContent ?? '').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  }
  return message.snippet ?? '';
}

function when(message: MailMessageDTO) {
  return message.sentAt || message.receivedAt;
}

export function escapeHtml(text: string) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text as HTML: escaped, line breaks kept. */
export function textToHtml(text: string) {
  return escapeHtml(text).replace(/\r?\n/g, '<br>');
}

/**
 * "On <date>, <name> wrote:" and the original in a <blockquote>. The original goes in as text,
 * never as its HTML: the composer is not a sandbox, and remote images would load there.
 */
export function quoteOf(message: MailMessageDTO, t: Translate, language: string) {
  const name = message.from ? addressLine(message.from) : t('Unknown sender');
  const header = t('On {{date}}, {{name}} wrote:', { date: fullDate(when(message), language), name, interpolation: { escapeValue: false } });
  return `<p>${escapeHtml(header)}</p><blockquote type="cite">${textToHtml(messageText(message))}</blockquote>`;
}

/** The forwarded message's header block and text (plain text; the composer shows it as HTML). */
export function forwardedOf(message: MailMessageDTO, t: Translate, language: string) {
  const lines = [
    t('---------- Forwarded message ----------'),
    `${t('From')}: ${message.from ? addressLine(message.from) : ''}`,
    `${t('Date')}: ${fullDate(when(message), language)}`,
    `${t('Subject')}: ${message.subject ?? ''}`,
    `${t('To')}: ${message.to.map(addressLine).join(', ')}`,
  ];
  if (message.cc.length) lines.push(`${t('Cc')}: ${message.cc.map(addressLine).join(', ')}`);
  return `${lines.join('\n')}\n\n${messageText(message)}`;
}

function sourceOf(message: MailMessageDTO): ComposerDraft['source'] {
  return { id: message.id, messageId: message.messageId, references: message.references };
}

/** The composer's content for Reply, Reply all or Forward of `message`. */
export function draftFor(mode: Exclude<ComposeMode, 'new'>, message: MailMessageDTO, own: string[], t: Translate, language: string): ComposerDraft {
  const base = { accountId: message.accountId, bcc: [] as string[], source: sourceOf(message) };
  if (mode === 'forward') {
    return {
      ...base,
      mode,
      to: [],
      cc: [],
      subject: forwardSubject(message.subject),
      html: `<p><br></p><p><br></p><div>${textToHtml(forwardedOf(message, t, language))}</div>`,
      attachments: message.attachments.filter((a) => !a.inline).map((attachment) => ({ messageId: message.id, attachment })),
    };
  }
  const { to, cc } = replyRecipients(message, own, mode === 'replyAll');
  return { ...base, mode, to, cc, subject: replySubject(message.subject), html: `<p><br></p><p><br></p>${quoteOf(message, t, language)}`, attachments: [] };
}

/** "Write email": empty, from the given account. */
export function emptyDraft(accountId?: number | string): ComposerDraft {
  return { mode: 'new', accountId, to: [], cc: [], bcc: [], subject: '', html: '', attachments: [] };
}
