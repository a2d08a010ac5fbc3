// The sending half of the provider port. The plugin builds the whole RFC 5322 message itself
// (mime/compose.ts, nodemailer), so every provider sends the same bytes: Gmail takes them as they
// are; Graph takes them as MIME up to its 4 MB request limit and otherwise as a draft whose large
// attachments go up through an upload session. An adapter only says what became of a send;
// the outbox (send/) decides what to do about it.
import type { ComposeMode } from '../../shared/send';
import type { SyncSession } from './sync-types';

export interface OutgoingAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  /** Inline image referenced as cid: from the html. */
  contentId?: string;
}

export interface OutgoingAddress {
  name?: string;
  address: string;
}

/** One message, as raw MIME and as the parts it was built from (for providers that need JSON). */
export interface OutgoingMail {
  /** The full message, Bcc header included (the provider delivers to Bcc and drops the header). */
  raw: Buffer;
  mode: ComposeMode;
  /** The provider's thread id of the message answered (Gmail threadId, Graph conversationId). */
  threadRemoteId?: string;
  /** The provider's id of the message answered or forwarded. */
  sourceRemoteId?: string;
  messageId: string;
  from: OutgoingAddress;
  to: OutgoingAddress[];
  cc: OutgoingAddress[];
  bcc: OutgoingAddress[];
  subject: string;
  html: string;
  text: string;
  inReplyTo?: string;
  references?: string[];
  attachments: OutgoingAttachment[];
}

export interface SentMail {
  /** The provider's id of the sent message, when it says (Gmail does; Graph's sendMail does not). */
  remoteId?: string;
  threadRemoteId?: string;
}

/**
 * What became of a failed send, decided by one function per provider:
 * - retry: the provider refused for now (429, 5xx) or was never reached: sending again is safe.
 * - unknown: the connection broke while the provider had the message: it may have gone out.
 * - reauth: the token was refused (401); refresh once and send again, or the grant is gone.
 * - rejected: the provider refused this message (400, 403, 413): sending again fails the same way.
 */
export type SendOutcome = 'retry' | 'unknown' | 'reauth' | 'rejected';

export interface MailSender {
  /** Messages a minute one mailbox may send (the outbox paces per-recipient sends to it). */
  readonly perMinute: number;
  send(session: SyncSession, mail: OutgoingMail): Promise<SentMail>;
  classifySendError(err: unknown): SendOutcome;
}
