// The reading half of the provider port, for what a user does to one mailbox while reading it:
// mark mail read or unread, list a message's attachments when the sync did not, and download
// one. The plugin's database is the source of what is shown; these calls only reach the
// provider for what the database cannot answer (file bytes) or must tell it (read state).
import type { Readable } from 'node:stream';
import type { RemoteAttachment, SyncSession } from './sync-types';

/** One attachment's bytes on their way from the provider. */
export interface AttachmentDownload {
  /** The bytes; streamed when the provider serves them as a body, else a stream over a buffer. */
  body: Readable;
  /** What the provider says the file is, when it says (the stored metadata is used otherwise). */
  contentType?: string;
  /** Bytes, when known before the body is read (for Content-Length). */
  size?: number;
}

/**
 * Errors: the provider's own, classified by the adapter's classifyError like sync errors
 * (a 401 is 'reauth': the caller refreshes the token once and calls again). A message or
 * attachment the provider no longer has is AttachmentGoneError.
 */
export interface MailActions {
  /**
   * Sets the read state of these messages at the provider. Ids the provider no longer has are
   * skipped without error (the next sync removes them). Batches as the provider allows.
   */
  setRead(session: SyncSession, remoteIds: string[], read: boolean): Promise<void>;
  /**
   * The message's attachments (inline images included), when the sync stored none because the
   * provider lists them separately (Graph). Undefined when the adapter's sync already has them.
   */
  listAttachments?(session: SyncSession, messageRemoteId: string): Promise<RemoteAttachment[]>;
  /** One attachment, found by the metadata the sync stored for it. */
  downloadAttachment(session: SyncSession, messageRemoteId: string, attachment: RemoteAttachment): Promise<AttachmentDownload>;
}

/** The message, or the attachment within it, is not at the provider (any more). */
export class AttachmentGoneError extends Error {
  readonly kind = 'attachment_gone';
  constructor(message = 'the provider no longer has this attachment') {
    super(message);
    this.name = 'AttachmentGoneError';
  }
}
