// The HTTP contract for reading mail (the Email center, the top bar and the blocks). Every
// action answers only about the current user's own accounts, unless one of their roles is in
// MailSettingsDTO.allMailRoles (granted by an admin in Settings → Email settings; root always
// is); another user's mail answers 404 like missing mail.
import type { FolderKind } from './folders';
import type { ProviderName } from './types';

export interface MailAddress {
  name?: string;
  address: string;
}

/**
 * `mailFolders:list[?accountId=]`: the folders of the user's accounts, system folders first in
 * FOLDER_KINDS order, then the provider's own folders/labels by name.
 */
export interface MailFolderDTO {
  accountId: number | string;
  /** Gmail label id, Graph folder id: what `MailThreadQuery.folder` takes with an accountId. */
  remoteId: string;
  name: string;
  kind: FolderKind;
  parentRemoteId?: string | null;
  /** Conversations in the folder with at least one unread message. */
  unreadCount: number;
}

/**
 * `mailThreads:list` query. `folder` is a folder kind (inbox, sent, drafts, starred, archive,
 * spam, trash: across the chosen accounts), or a folder's remoteId together with `accountId`.
 * Omitted: every conversation except spam and trash. `q` searches subject, participants and
 * body, case-insensitively. Pages are 1-based; pageSize at most 200 (default 50).
 */
export interface MailThreadQuery {
  accountId?: number | string;
  folder?: string;
  q?: string;
  unread?: boolean;
  page?: number;
  pageSize?: number;
}

/** One conversation in a list. Answered as `{ data: MailThreadDTO[], meta: { count, page, pageSize, totalPage } }`, newest first. */
export interface MailThreadDTO {
  id: number | string;
  accountId: number | string;
  threadKey: string;
  subject: string;
  snippet: string;
  lastMessageAt: string;
  messageCount: number;
  unreadCount: number;
  hasAttachments: boolean;
  starred: boolean;
  /** Senders first, then recipients; at most 10. */
  participants: MailAddress[];
  folderIds: string[];
}

export interface MailAttachmentDTO {
  /** The provider's attachment id; with the message id it downloads the file. */
  remoteId: string;
  filename: string;
  contentType: string;
  size: number;
  inline: boolean;
  contentId?: string;
}

/**
 * Where the server puts an inline (`cid:`) image of a message's html: in this attribute of the
 * <img>, as the action URL of its attachment relative to the API root (`mailMessages:attachment?
 * filterByTk=…&attachmentId=…&inline=1`). Inline images are part of the message, not remote
 * content (loading them tells the sender nothing), so they show without "Show images": the
 * client resolves the URL against its API base with the user's credentials (fetch it through
 * the API client, or append `&token=`) and sets it as the image's `src`. A `cid:` that names no
 * attachment is dropped.
 */
export const INLINE_SRC = 'data-inline-src';

/** The action URL of one attachment, relative to the API root (what INLINE_SRC holds, and what a download link uses). */
export function attachmentPath(messageId: number | string, attachmentId: string, inline = false): string {
  return `${ATTACHMENT_ACTION}?filterByTk=${encodeURIComponent(String(messageId))}&attachmentId=${encodeURIComponent(attachmentId)}${inline ? '&inline=1' : ''}`;
}

/** One message as the thread view shows it. `html` is sanitised on the server; remote images sit in `data-remote-src`, inline ones in INLINE_SRC. */
export interface MailMessageDTO {
  id: number | string;
  accountId: number | string;
  remoteId: string;
  threadKey: string;
  /** The conversation (mailThreads id) for `mailThreads:get`; set in `mailMessages:list` rows. */
  threadId?: number | string | null;
  messageId?: string | null;
  inReplyTo?: string | null;
  references?: string[];
  subject: string;
  from?: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  replyTo: MailAddress[];
  sentAt?: string | null;
  receivedAt: string;
  snippet: string;
  text?: string | null;
  html?: string | null;
  hasRemoteImages: boolean;
  read: boolean;
  starred: boolean;
  folderIds: string[];
  attachments: MailAttachmentDTO[];
  malformed: boolean;
  parseError?: string | null;
}

/** `mailThreads:get?filterByTk=<thread id>`: the conversation, its messages oldest first. */
export interface MailThreadDetailDTO {
  thread: MailThreadDTO;
  account: { id: number | string; provider: ProviderName; address: string; displayName?: string };
  messages: MailMessageDTO[];
  /**
   * True when the thread is another user's, seen through the all-mail grant. The grant reads,
   * it does not change anyone's mailbox: setRead leaves such messages as they are.
   */
  readOnly: boolean;
}

/**
 * `mailMessages:setRead` values: mark messages (or whole conversations) read or unread, here
 * and at the provider. Answers `{ updated }`, the number of messages whose state changed. A
 * provider failure keeps the local change and answers `{ updated, providerError }`: the next
 * sync settles it. An id the user cannot see answers 404 (nothing changes); messages of other
 * users' mailboxes, visible through the all-mail grant, are left alone (not counted). At most
 * 1,000 messages per call, conversations included.
 */
export interface SetReadRequest {
  messageIds?: Array<number | string>;
  threadIds?: Array<number | string>;
  read: boolean;
}
export interface SetReadResponse {
  updated: number;
  providerError?: string;
}

/**
 * `mailMessages:attachment?filterByTk=<message id>&attachmentId=<remoteId>[&inline=1]`: the file,
 * streamed from the provider, with Content-Type and Content-Disposition (attachment;
 * filename*=UTF-8''…). `inline=1` asks for `inline` instead, granted only to raster images
 * (never SVG or HTML, which could run script on this origin). Errors are JSON `{ errors }` with
 * a MAIL_ERRORS code.
 */
export const ATTACHMENT_ACTION = 'mailMessages:attachment';

/**
 * `mailMessages:list`: messages as rows, for the "Email messages" block. NocoBase's list
 * params: `filter` (only on subject, fromAddress, participants, participantDomains, receivedAt,
 * sentAt, read, starred, hasAttachments, accountId, threadKey; `$includes`/`$eq` on
 * participants and participantDomains compare case-insensitively), `sort` (receivedAt, sentAt,
 * subject; default -receivedAt), `page`, `pageSize` (≤ 200). `scope=all` asks for every user's
 * mail and needs the all-mail grant (403 otherwise). Rows are MailMessageDTO without `html`
 * and `text`; answered as `{ data, meta: { count, page, pageSize, totalPage } }`.
 */
export const MESSAGE_FILTER_FIELDS = ['subject', 'fromAddress', 'participants', 'participantDomains', 'receivedAt', 'sentAt', 'read', 'starred', 'hasAttachments', 'accountId', 'threadKey'] as const;

/** `mailAccounts:unread`: unread conversations for the top-bar badge (inbox only, all the user's accounts). */
export interface UnreadDTO {
  total: number;
  accounts: Array<{ id: number | string; unread: number }>;
  /** The newest lastSyncAt of the user's accounts: the badge refreshes when it changes. */
  lastSyncAt?: string | null;
}

/**
 * Error codes of the mail reading API (body `{ errors: [{ code, message }] }`); the client shows
 * a translated message per code, `message` is the English fallback.
 */
export const MAIL_ERRORS = {
  /** 404: no such thread, message, attachment, folder or account, or it is another user's. */
  NOT_FOUND: 'E_MAIL_NOT_FOUND',
  /** 400: a query parameter or value is malformed; the message names it. */
  INVALID_QUERY: 'E_MAIL_INVALID_QUERY',
  /** 400: `filter` uses a field or operator outside MESSAGE_FILTER_FIELDS, or is not an object. */
  INVALID_FILTER: 'E_MAIL_INVALID_FILTER',
  /** 403: `scope=all` without the all-mail grant. */
  ALL_MAIL_FORBIDDEN: 'E_MAIL_ALL_FORBIDDEN',
  /** 409: the provider no longer accepts the account's authorization; its owner must Reconnect. */
  REAUTH_REQUIRED: 'E_MAIL_REAUTH_REQUIRED',
  /** 502: the provider could not be reached or failed; try again later. */
  PROVIDER_UNAVAILABLE: 'E_MAIL_PROVIDER_UNAVAILABLE',
  /** 502: the provider refused the request (the message or file is gone there, or the provider is misconfigured). */
  PROVIDER_REJECTED: 'E_MAIL_PROVIDER_REJECTED',
} as const;
export type MailErrorCode = (typeof MAIL_ERRORS)[keyof typeof MAIL_ERRORS];
