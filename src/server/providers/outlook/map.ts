// Graph message JSON → the port's RemoteMessage. Graph parses the MIME for us, so messages
// arrive as `parsed` fields; the same $select serves delta pages and single fetches, so a
// message looks the same whichever path brought it.
import type { RemoteAddress, RemoteMessage } from '../sync-types';

export interface GraphRecipient {
  emailAddress?: { name?: string | null; address?: string | null } | null;
}

export interface GraphMessage {
  id: string;
  /** Delta only: the message left the folder (moved or deleted). */
  '@removed'?: { reason?: string };
  subject?: string | null;
  from?: GraphRecipient | null;
  toRecipients?: GraphRecipient[] | null;
  ccRecipients?: GraphRecipient[] | null;
  bccRecipients?: GraphRecipient[] | null;
  replyTo?: GraphRecipient[] | null;
  sentDateTime?: string | null;
  receivedDateTime?: string | null;
  internetMessageId?: string | null;
  conversationId?: string | null;
  parentFolderId?: string | null;
  isRead?: boolean | null;
  flag?: { flagStatus?: string | null } | null;
  hasAttachments?: boolean | null;
  bodyPreview?: string | null;
  body?: { contentType?: string | null; content?: string | null } | null;
  internetMessageHeaders?: { name: string; value: string }[] | null;
}

/**
 * What the engine stores, body included, so one delta request brings a page of whole messages.
 * internetMessageHeaders is the only way Graph gives In-Reply-To and References (replies
 * composed here need them); Graph returns it only when selected.
 */
export const MESSAGE_FIELDS = [
  'subject', 'from', 'toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo', 'sentDateTime', 'receivedDateTime',
  'internetMessageId', 'conversationId', 'parentFolderId', 'isRead', 'flag', 'hasAttachments', 'bodyPreview', 'body',
  'internetMessageHeaders',
];
export const MESSAGE_SELECT = MESSAGE_FIELDS.join(',');

/** Enough to tell where a message is now and its flags: used to check a delta `@removed`. */
export const PLACE_SELECT = 'parentFolderId,isRead,flag';

function address(recipient: GraphRecipient | null | undefined): RemoteAddress | undefined {
  const email = recipient?.emailAddress;
  const addr = email?.address?.trim();
  if (!addr) return undefined;
  const name = email?.name?.trim();
  // Exchange repeats the address as the name when there is none.
  return name && name.toLowerCase() !== addr.toLowerCase() ? { name, address: addr } : { address: addr };
}

function addresses(list: GraphRecipient[] | null | undefined): RemoteAddress[] {
  return (list || []).map(address).filter((a): a is RemoteAddress => Boolean(a));
}

function header(message: GraphMessage, name: string): string | undefined {
  return message.internetMessageHeaders?.find((h) => h.name.toLowerCase() === name)?.value;
}

/** The `<id@host>` tokens of an In-Reply-To or References header. */
export function messageIds(value: string | undefined): string[] {
  return value?.match(/<[^<>\s]+>/g) ?? [];
}

function date(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

export const isStarred = (message: GraphMessage) => message.flag?.flagStatus === 'flagged';

/**
 * `parsed` with `hasAttachments` always set: Graph lists attachments only through $expand, and on
 * delta that returns their bytes too, so pages bring the flag and the list is loaded when the
 * message is opened (providers/outlook/mail.ts).
 */
export type OutlookParsed = NonNullable<RemoteMessage['parsed']> & { hasAttachments: boolean };

export function toRemoteMessage(message: GraphMessage): RemoteMessage {
  const body = message.body?.content ?? undefined;
  const html = message.body?.contentType?.toLowerCase() === 'html';
  const references = messageIds(header(message, 'references'));
  const parsed: OutlookParsed = {
    messageId: message.internetMessageId || undefined,
    inReplyTo: messageIds(header(message, 'in-reply-to'))[0],
    references: references.length ? references : undefined,
    subject: message.subject ?? '',
    from: address(message.from),
    to: addresses(message.toRecipients),
    cc: addresses(message.ccRecipients),
    bcc: addresses(message.bccRecipients),
    replyTo: addresses(message.replyTo),
    sentAt: date(message.sentDateTime),
    html: html ? body : undefined,
    text: html ? undefined : body,
    snippet: message.bodyPreview || undefined,
    attachments: [],
    hasAttachments: Boolean(message.hasAttachments),
  };
  return {
    remoteId: message.id,
    threadKey: message.conversationId || message.id,
    folderIds: message.parentFolderId ? [message.parentFolderId] : [],
    read: Boolean(message.isRead),
    starred: isStarred(message),
    receivedAt: date(message.receivedDateTime) ?? date(message.sentDateTime) ?? new Date(0),
    parsed,
  };
}
