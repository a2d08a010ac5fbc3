// The HTTP contract for sending mail: uploads, the outbox (tracking) and drafts. Only the owner
// of an account sends from it; another user's account, draft, upload or outbox row answers 404
// (the all-mail grant reads mail, it never sends). Every failure leaves the draft or the outbox
// row in place, so nothing the user wrote is lost.
import type { MailAddress, MailAttachmentDTO } from './mail';

export type ComposeMode = 'new' | 'reply' | 'replyAll' | 'forward';

/** Plugin options (server) with these defaults; `mailOutbox:limits` tells the client. */
export const SEND_DEFAULTS = {
  /** maxAttachmentMB: all attachments of one message together (uploads + forwarded files). */
  maxAttachmentMB: 25,
  /** maxBulkRecipients: recipients of one "one message per recipient" send. */
  maxBulkRecipients: 100,
} as const;

/** `mailOutbox:limits` (any signed-in user). */
export interface SendLimitsDTO {
  maxAttachmentBytes: number;
  maxBulkRecipients: number;
}

/**
 * `POST mailUploads:create?filename=<name>` with the file as the raw request body
 * (Content-Type: the file's type, or application/octet-stream). Over the attachment limit it
 * answers 413 E_SEND_TOO_LARGE before the body is kept. `mailUploads:destroy?filterByTk=<id>`
 * removes an upload that is not yet sent. Uploads are referenced by id from drafts and sends.
 */
export interface MailUploadDTO {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

/** An attachment of the answered/forwarded message, carried along (forward). */
export interface ForwardedAttachmentRef {
  /** The remoteId of one of the source message's attachments (MailAttachmentDTO.remoteId). */
  remoteId: string;
}

/** What the composer holds: the body of `mailOutbox:send` and of `mailDrafts:save`. */
export interface ComposeInput {
  accountId: number | string;
  mode: ComposeMode;
  /** reply/replyAll/forward: the mailMessages id answered or forwarded (threading comes from it). */
  sourceMessageId?: number | string | null;
  /** "Name <address>" or a bare address. */
  to: string[];
  cc?: string[];
  bcc?: string[];
  subject: string;
  /** Rich text. Sanitised on the server; the plain-text alternative is generated from it. */
  html?: string;
  /** Plain text, when there is no html (then the html part is generated from it). */
  text?: string;
  /** mailUploads ids. */
  uploads?: string[];
  forwarded?: ForwardedAttachmentRef[];
  /** One separate message per address in `to` (cc/bcc must be empty). */
  perRecipient?: boolean;
}

/**
 * `POST mailOutbox:send` with `{ values: SendRequest }`. The idempotency key (8–100 chars,
 * a UUID from the client per message the user means to send) makes a double click or a retried
 * request send once: the same key answers the rows it created the first time.
 * A single message is attempted before the answer (status sent, pending with a retry time,
 * failed, or unknown); a per-recipient send answers at once with pending rows that the outbox
 * sends paced under the provider's limits.
 */
export interface SendRequest extends ComposeInput {
  idempotencyKey: string;
  /** A saved draft this send replaces; it is deleted once the message is accepted. */
  draftId?: number | string | null;
}

/**
 * pending: waiting (first try or a retry at nextAttemptAt); sending: at the provider now;
 * sent: accepted by the provider; failed: refused (error says why), nothing was sent;
 * unknown: the connection broke while the provider had it, so it may or may not have gone out.
 * The outbox never retries `unknown` by itself: the user decides (`mailOutbox:retry`).
 */
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'unknown'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * `mailOutbox:list` rows (own only; narrowed by the `bulkId` or `status` param; newest first; paged,
 * pageSize up to 200). With `bulkId`, `meta.byStatus` counts all of that send's rows by status.
 */
export interface OutboxDTO {
  id: number | string;
  accountId: number | string;
  /** Shared by the rows of one per-recipient send (the request's idempotency key). */
  bulkId?: string | null;
  mode: ComposeMode;
  status: OutboxStatus;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  subject: string;
  /** The RFC 5322 Message-ID the message carries. */
  messageId: string;
  /** The provider's id of the sent message, when the provider gives one (Gmail). */
  providerMessageId?: string | null;
  attempts: number;
  nextAttemptAt?: string | null;
  /** Why it failed (or the last temporary failure while pending): safe to show. */
  error?: { code: string; message: string } | null;
  attachmentCount: number;
  createdAt: string;
  sentAt?: string | null;
}

export interface SendResponse {
  bulkId?: string | null;
  items: OutboxDTO[];
}

/** `mailDrafts:save` (`values`: ComposeInput & { id? }) / `:list` / `:get` / `:destroy`. Own only. */
export interface DraftDTO extends ComposeInput {
  id: number | string;
  uploadsInfo: MailUploadDTO[];
  /**
   * The source message's attachments named in `forwarded` (filename, type, size), so a reopened
   * draft shows them and counts them against the limit. Optional: without it the client shows
   * the remoteId and counts 0 bytes.
   */
  forwardedInfo?: MailAttachmentDTO[];
  updatedAt: string;
}

export const SEND_ERRORS = {
  /** 400: addresses that are not valid; `message` names each, `field` is to/cc/bcc. */
  INVALID_ADDRESS: 'E_SEND_INVALID_ADDRESS',
  /** 400: no recipient at all. */
  NO_RECIPIENTS: 'E_SEND_NO_RECIPIENTS',
  /** 400: more recipients than maxBulkRecipients in a per-recipient send. */
  TOO_MANY_RECIPIENTS: 'E_SEND_TOO_MANY_RECIPIENTS',
  /** 413: the attachments together exceed maxAttachmentMB. Nothing was sent or kept. */
  TOO_LARGE: 'E_SEND_TOO_LARGE',
  /** 400: a request field is missing or malformed; the message names it. */
  INVALID: 'E_SEND_INVALID',
  /** 409: the account cannot send now (reauth_required, disabled). */
  ACCOUNT_UNAVAILABLE: 'E_SEND_ACCOUNT_UNAVAILABLE',
  /** 409: retry of a row that is not failed/unknown, or destroy of a row being sent. */
  WRONG_STATE: 'E_SEND_WRONG_STATE',
} as const;
