// RemoteMessage → a mailMessages row, and the fingerprint that lets ingest skip a message it
// already holds without parsing it again.
import { createHash } from 'node:crypto';
import { parseMessage } from '../mime/parse';
import { participantDomainsText, participantsText } from '../mime/normalize';
import type { RemoteAddress, RemoteAttachment, RemoteMessage } from '../providers/sync-types';

/**
 * Part of every fingerprint. Bump it when parsing or sanitising changes what is stored: each
 * message is then rewritten the next time a sync hands it over (a resync rewrites them all).
 */
export const CONTENT_VERSION = 1;

export const MAX_ID_LENGTH = 512;
const MAX_INT = 2 ** 31 - 1;

export type AccountId = string | number;

/** Read, starred and folders change without the content; they are compared on their own. */
export interface MessageFlags {
  read: boolean;
  starred: boolean;
  /** Sorted and distinct, so that equal sets compare equal. */
  folderIds: string[];
}

export interface MessageRow extends MessageFlags {
  accountId: AccountId;
  remoteId: string;
  threadKey: string;
  receivedAt: Date;
  contentHash: string;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  fromAddress: string | null;
  fromName: string | null;
  to: RemoteAddress[];
  cc: RemoteAddress[];
  bcc: RemoteAddress[];
  replyTo: RemoteAddress[];
  participants: string;
  participantDomains: string;
  sentAt: Date | null;
  snippet: string;
  text: string;
  html: string;
  hasRemoteImages: boolean;
  hasAttachments: boolean;
  attachments: RemoteAttachment[];
  size: number;
  malformed: boolean;
  parseError: string | null;
}

export function sortedIds(ids: ReadonlyArray<unknown> | null | undefined): string[] {
  return [...new Set((ids || []).filter((id): id is string => typeof id === 'string' && id !== ''))].sort();
}

export function flagsOf(message: RemoteMessage): MessageFlags {
  return { read: Boolean(message.read), starred: Boolean(message.starred), folderIds: sortedIds(message.folderIds) };
}

export function sameFlags(a: MessageFlags, b: MessageFlags): boolean {
  return a.read === b.read && a.starred === b.starred && a.folderIds.length === b.folderIds.length && a.folderIds.every((id, i) => id === b.folderIds[i]);
}

/** What the provider said about the content (not the flags), plus the parser's version. */
export function contentHashOf(message: RemoteMessage): string {
  const hash = createHash('sha1');
  const received = message.receivedAt instanceof Date ? message.receivedAt.getTime() : String(message.receivedAt);
  hash.update(`${CONTENT_VERSION}\0${message.threadKey ?? ''}\0${received}\0`);
  // Hashing the bytes was a fifth of the MIME workers' time on a Gmail first sync.
  if (message.contentTag) return hash.update(`tag\0${message.contentTag}`).digest('hex');
  if (message.raw) return hash.update(message.raw).digest('hex');
  // The bodies are hashed as they are: serialising them into the JSON would copy them twice.
  const { html, text, ...fields } = message.parsed ?? ({} as Partial<NonNullable<RemoteMessage['parsed']>>);
  return hash.update(JSON.stringify(fields)).update(`\0${html ?? ''}\0${text ?? ''}`).digest('hex');
}

/**
 * PostgreSQL refuses U+0000 in text and jsonb, and one such character would fail the whole
 * batch: mail (a bad header, a binary "text" part) can carry it, so it goes, everywhere. The
 * row and everything in it were just built here, so they are cleaned in place.
 */
function stripNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\0') ? value.replace(/\0/g, '') : value;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) object[key] = stripNul(object[key]);
  }
  return value;
}

/** `contentHash` when the caller already computed it (to decide the message needs a row); else computed here. */
export async function buildRow(accountId: AccountId, message: RemoteMessage, contentHash = contentHashOf(message)): Promise<MessageRow> {
  const content = await parseMessage(message);
  const people = [content.from, ...content.to, ...content.cc, ...content.bcc].filter((a): a is RemoteAddress => Boolean(a)).map((a) => a.address);
  // IMAP has no thread id: the root of References (else the message itself) stands in.
  const threadKey = message.threadKey || content.references[0] || content.inReplyTo || content.messageId || message.remoteId;
  const receivedAt = message.receivedAt instanceof Date && !Number.isNaN(message.receivedAt.getTime()) ? message.receivedAt : content.sentAt ?? new Date();
  const row: MessageRow = {
    accountId,
    remoteId: message.remoteId,
    threadKey: threadKey.slice(0, MAX_ID_LENGTH),
    ...flagsOf(message),
    receivedAt,
    contentHash,
    messageId: content.messageId ?? null,
    inReplyTo: content.inReplyTo ?? null,
    references: content.references,
    subject: content.subject,
    fromAddress: content.from?.address ?? null,
    fromName: content.from?.name ?? null,
    to: content.to,
    cc: content.cc,
    bcc: content.bcc,
    replyTo: content.replyTo,
    participants: participantsText(people),
    participantDomains: participantDomainsText(people),
    sentAt: content.sentAt ?? null,
    snippet: content.snippet,
    text: content.text,
    html: content.html,
    hasRemoteImages: content.hasRemoteImages,
    hasAttachments: content.hasAttachments,
    attachments: content.attachments,
    size: Math.min(Math.max(0, Math.round(content.size)), MAX_INT),
    malformed: content.malformed,
    parseError: content.parseError ?? null,
  };
  stripNul(row);
  return row;
}
