// Gmail's MailSender: users.messages.send through the media upload endpoint, the one Google
// documents for messages up to 35 MB (the JSON `raw` form is for small ones), with the threadId
// of the message answered so a reply stays in its conversation. The message goes as built:
// Gmail delivers to the Bcc recipients and keeps the header only in the sender's copy.
import { Readable } from 'node:stream';
import { sendOutcomeOf } from '../errors';
import type { MailSender, OutgoingMail, SendOutcome, SentMail } from '../send-types';
import type { SyncSession } from '../sync-types';
import type { GmailCalls } from './calls';
import { classifyGoogleError } from './errors';
import { GMAIL_COST } from './pacing';

/**
 * Google's per-user quota allows 150 sends a minute (100 units each), but Gmail's abuse
 * protection watches bursts: one a second keeps bulk sends well clear of it.
 */
export const GMAIL_SENDS_PER_MINUTE = 60;

export class GmailSend implements MailSender {
  readonly perMinute = GMAIL_SENDS_PER_MINUTE;

  constructor(private readonly calls: GmailCalls) {}

  async send(session: SyncSession, mail: OutgoingMail): Promise<SentMail> {
    const requestBody = mail.threadRemoteId ? { threadId: mail.threadRemoteId } : {};
    const { data } = await this.calls.run(session, GMAIL_COST.messagesSend, (api, options) =>
      // The client rewrites a JSON call's URL to the configured root but builds the upload URL
      // from the call's own options only, so the root goes there too.
      api.users.messages.send({ userId: 'me', requestBody, media: { mimeType: 'message/rfc822', body: Readable.from([mail.raw]) } }, { ...options, rootUrl: this.calls.apiRoot }),
    );
    return { remoteId: data.id ?? undefined, threadRemoteId: data.threadId ?? undefined };
  }

  classifySendError(err: unknown): SendOutcome {
    return sendOutcomeOf(err, classifyGoogleError(err));
  }
}
