// Sending: what Gmail does to an outgoing RFC 822 message before it files and delivers it.
// The sender's copy goes to SENT (Bcc kept, as Gmail keeps it for the sender); every seeded
// recipient (To, Cc, Bcc, at either provider) gets a copy without Bcc in their inbox.
import { randomBytes } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import type { Mailbox, MessageState, SandboxState, SandboxUser } from '../core/types';
import { badRequest } from './errors';
import { messageRef } from './gmail-resource';
import type { GmailCall } from './gmail-route';
import { parseHeaders } from './mime';
import { libmime } from './vendor';

function headerEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  if (crlf >= 0) return crlf + 2;
  const lf = raw.indexOf('\n\n');
  return lf >= 0 ? lf + 1 : raw.length;
}

/** Drops every occurrence of a header (with its folded continuation lines) from the header block. */
export function removeHeader(raw: Buffer, name: string): Buffer {
  const end = headerEnd(raw);
  // latin1 maps bytes 1:1, so 8-bit header bytes survive the round trip.
  const head = raw.subarray(0, end).toString('latin1');
  const escaped = name.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&');
  const kept = head.replace(new RegExp(`^${escaped}:.*(?:\\r?\\n[ \\t].*)*(?:\\r?\\n|$)`, 'gim'), '');
  return Buffer.concat([Buffer.from(kept, 'latin1'), raw.subarray(end)]);
}

function prependHeaders(raw: Buffer, lines: string[]): Buffer {
  if (!lines.length) return raw;
  return Buffer.concat([Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'utf8'), raw]);
}

function formatAddress(user: SandboxUser): string {
  const name = /^[\x20-\x7e]*$/.test(user.name) ? `"${user.name.replace(/"/g, '\\"')}"` : libmime.encodeWord(user.name, 'Q');
  return `${name} <${user.email}>`;
}

export interface Outgoing {
  raw: Buffer;
  recipients: string[];
}

/**
 * Fills in what Gmail fills in: From (always the account: Gmail rewrites a From that is not
 * the user's own address), Date and Message-ID when missing. Refuses a message without recipients.
 */
export async function prepareOutgoing(user: SandboxUser, raw: Buffer): Promise<Outgoing | { error: string }> {
  const { headers } = await parseHeaders(raw);
  const values = (name: string) => headers.filter((h) => h.name.toLowerCase() === name).map((h) => h.value);
  const recipients = [...new Set(['to', 'cc', 'bcc'].flatMap((name) => values(name)).flatMap((v) => addressparser(v, { flatten: true })).map((a) => a.address.toLowerCase()).filter(Boolean))];
  if (!recipients.length) return { error: 'Recipient address required' };
  let out = raw;
  const add: string[] = [];
  const from = values('from').flatMap((v) => addressparser(v, { flatten: true }))[0];
  if (!from || from.address.toLowerCase() !== user.email.toLowerCase()) {
    out = removeHeader(out, 'From');
    add.push(`From: ${formatAddress(user)}`);
  }
  if (!values('date').length) add.push(`Date: ${new Date().toUTCString().replace('GMT', '+0000')}`);
  if (!values('message-id').length) add.push(`Message-ID: <${randomBytes(12).toString('base64url')}@mail.gmail.com>`);
  return { raw: prependHeaders(out, add), recipients };
}

/** Files the sender's copy in SENT and delivers to every seeded recipient's inbox. */
export async function sendMessage(state: SandboxState, mailbox: Mailbox, outgoing: Outgoing, threadId?: string): Promise<MessageState> {
  const sent = await mailbox.insert({ raw: outgoing.raw, folderId: 'SENT', read: true, threadId });
  const delivered = removeHeader(outgoing.raw, 'Bcc');
  for (const address of outgoing.recipients) {
    // A message to oneself lands in the inbox as a second copy; Gmail keeps one message with SENT and INBOX.
    const target = state.mailbox(address);
    const inbox = target?.folders.find((f) => f.kind === 'inbox');
    if (target && inbox) await target.insert({ raw: delivered, folderId: inbox.id, read: false });
  }
  return sent;
}

/** messages.send, whichever way the message came (`raw` in JSON or a media upload): answers { id, threadId, labelIds }. */
export async function sendRaw(call: GmailCall, raw: Buffer, threadId?: string): Promise<void> {
  const outgoing = await prepareOutgoing(call.user, raw);
  if ('error' in outgoing) return badRequest(call.ctx, outgoing.error);
  const sent = await sendMessage(call.state, call.mailbox, outgoing, threadId);
  call.ok(messageRef(call.mailbox, sent));
}
