// A message's content in the plugin's own words, whichever way the provider handed it over
// (raw MIME or parsed fields). Ingest adds the mailbox state (folders, flags, dates) to it.
import type { RemoteAddress, RemoteAttachment } from '../providers/sync-types';

export interface MessageContent {
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  subject: string;
  from?: RemoteAddress;
  to: RemoteAddress[];
  cc: RemoteAddress[];
  bcc: RemoteAddress[];
  replyTo: RemoteAddress[];
  sentAt?: Date;
  text: string;
  /** Sanitised; empty when the message has no HTML body. */
  html: string;
  hasRemoteImages: boolean;
  snippet: string;
  attachments: RemoteAttachment[];
  /** Any attachment that is not an inline (cid:) image. */
  hasAttachments: boolean;
  /** Bytes: the raw message, or an estimate from the parsed parts. */
  size: number;
  malformed: boolean;
  /** Why the message is malformed, in a few words that are safe to show. */
  parseError?: string;
}
