// The outbox's state machine, in one place. A row is claimed (pending → sending) by a
// conditional update, so two nodes never send it twice; then it ends as
//   sent      the provider accepted it;
//   pending   the provider refused for now (429, 5xx) or was never reached: tried again later,
//             with exponential backoff and jitter, at most MAX_ATTEMPTS times;
//   failed    the provider refused it (its reason kept), the grant is gone, or its parts are;
//   unknown   the connection broke while the provider had it: never resent without the user.
// A row left in 'sending' by a node that died turns 'unknown' after STALE_SENDING_MS (queue.ts).
import type { Database, Model } from '@nocobase/database';
import { Op } from 'sequelize';
import type { MailAttachmentDTO } from '../../shared/mail';
import { MAIL_ERRORS } from '../../shared/mail';
import type { ComposeMode } from '../../shared/send';
import type { Log } from '../log';
import { buildMime } from '../mime/compose';
import { AccessTokenError, type TokenService } from '../oauth/tokens';
import { safeReason } from '../oauth/redact';
import { AttachmentGoneError } from '../providers/mail-types';
import type { OutgoingAddress, OutgoingAttachment, OutgoingMail, SendOutcome } from '../providers/send-types';
import { RateLimitedError, type SyncSession } from '../providers/sync-types';
import type { MailProvider } from '../providers/types';
import type { ProviderName } from '../../shared/types';
import type { ProviderSettings } from '../settings/store';
import type { Outbox } from './outbox';
import type { ForwardedFile } from './request';
import type { Uploads } from './uploads';

export const MAX_ATTEMPTS = 6;
export const MAX_BACKOFF_MS = 30 * 60_000;

export interface RelayDeps {
  db: Database;
  log: Log;
  settings: ProviderSettings;
  tokens: TokenService;
  uploads: Uploads;
  outbox: Outbox;
  /** First retry after about this long, doubling each time (plugin option sendRetryBaseMs). */
  retryBaseMs: number;
  /** Told when a message went out (the plugin syncs the account so it shows in Sent). */
  onSent?: (accountId: string) => void;
}

type Ending =
  | { status: 'sent'; remoteId?: string }
  | { status: 'pending'; error: { code: string; message: string }; retryAfterMs?: number }
  | { status: 'failed' | 'unknown'; error: { code: string; message: string } };

/** Exponential backoff with ±20% jitter, capped. */
export function backoffMs(attempt: number, baseMs: number, random = Math.random): number {
  const raw = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + random() * 0.4));
}

async function bytesOf(body: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

class PartGone extends Error {}

export class Relay {
  constructor(private readonly deps: RelayDeps) {}

  /** pending → sending, if still pending and due; false when another node (or request) has it. */
  async claim(id: string, now = new Date()): Promise<boolean> {
    const [count] = await this.deps.db.getModel('mailOutbox').update(
      { status: 'sending', claimedAt: now },
      { where: { id, status: 'pending', [Op.or]: [{ nextAttemptAt: null }, { nextAttemptAt: { [Op.lte]: now } }] } },
    );
    return count === 1;
  }

  /** Claims and sends one row; returns the row as it ended (or undefined when it was not ours to send). */
  async attempt(id: string): Promise<Model | undefined> {
    if (!(await this.claim(id))) return undefined;
    const row = (await this.deps.db.getRepository('mailOutbox').findOne({ filterByTk: id })) as Model;
    const attempts = Number(row.get('attempts') ?? 0) + 1;
    let ending: Ending;
    try {
      ending = await this.send(row);
    } catch (err) {
      // Our own failure before the provider had the message (a bug, the database): safe to retry.
      this.deps.log.error('mail send failed unexpectedly', { outboxId: id, error: (err as Error).message });
      ending = { status: 'pending', error: { code: 'E_INTERNAL', message: 'The server failed to prepare the message; it will try again.' } };
    }
    const values: Record<string, unknown> = { attempts, claimedAt: null };
    if (ending.status === 'sent') Object.assign(values, { status: 'sent', sentAt: new Date(), providerMessageId: ending.remoteId ?? null, error: null, nextAttemptAt: null });
    else if (ending.status === 'pending' && attempts < MAX_ATTEMPTS) {
      const wait = Math.max(ending.retryAfterMs ?? 0, backoffMs(attempts, this.deps.retryBaseMs));
      Object.assign(values, { status: 'pending', error: ending.error, nextAttemptAt: new Date(Date.now() + wait) });
    } else Object.assign(values, { status: ending.status === 'pending' ? 'failed' : ending.status, error: ending.error, nextAttemptAt: null });
    await this.deps.db.getModel('mailOutbox').update(values, { where: { id, status: 'sending' } });
    const ended = (await this.deps.db.getRepository('mailOutbox').findOne({ filterByTk: id })) as Model;
    if (ending.status === 'sent') {
      await this.deps.outbox.discardUploadsIfDone(ended).catch((err) => this.deps.log.warn('could not remove sent uploads', { error: (err as Error).message }));
      this.deps.onSent?.(String(row.get('accountId')));
    }
    return ended;
  }

  private async send(row: Model): Promise<Ending> {
    const { db, settings, tokens } = this.deps;
    const account = await db.getRepository('mailAccounts').findOne({ filterByTk: row.get('accountId') as string });
    if (!account) return { status: 'failed', error: { code: MAIL_ERRORS.NOT_FOUND, message: 'The account this was to be sent from is gone.' } };
    const provider = account.get('provider') as ProviderName;
    let adapter: MailProvider;
    let secret: string;
    try {
      const ready = await settings.ready(provider, { forLinking: false });
      adapter = ready.adapter;
      secret = ready.clientSecret;
    } catch (err) {
      return { status: 'pending', error: { code: MAIL_ERRORS.PROVIDER_REJECTED, message: (err as Error).message } };
    }
    let accessToken: string;
    try {
      accessToken = await tokens.getAccessToken(account);
    } catch (err) {
      return this.tokenEnding(err);
    }
    const session = (): SyncSession & { mailbox: string } => ({ accessToken, mailbox: account.get('address') as string });
    let mail: OutgoingMail;
    try {
      mail = await this.assemble(row, account, adapter, session());
    } catch (err) {
      if (err instanceof PartGone || err instanceof AttachmentGoneError) return { status: 'failed', error: { code: MAIL_ERRORS.NOT_FOUND, message: (err as Error).message } };
      const outcome = adapter.send.classifySendError(err);
      // Only reads happened so far: whatever broke, nothing was sent.
      if (outcome === 'rejected') return { status: 'failed', error: { code: MAIL_ERRORS.PROVIDER_REJECTED, message: safeReason(adapter, err, [secret, accessToken]) } };
      return { status: 'pending', error: { code: MAIL_ERRORS.PROVIDER_UNAVAILABLE, message: safeReason(adapter, err, [secret, accessToken]) } };
    }
    for (let refreshed = false; ; refreshed = true) {
      try {
        const sent = await adapter.send.send(session(), mail);
        return { status: 'sent', remoteId: sent.remoteId };
      } catch (err) {
        const outcome: SendOutcome = adapter.send.classifySendError(err);
        const reason = safeReason(adapter, err, [secret, accessToken]);
        this.deps.log.warn('mail send attempt failed', { outboxId: row.get('id'), provider, outcome, reason });
        if (outcome === 'reauth' && !refreshed) {
          try {
            accessToken = await tokens.getAccessToken(account, { rejected: accessToken });
          } catch (tokenErr) {
            return this.tokenEnding(tokenErr);
          }
          continue;
        }
        if (outcome === 'retry') {
          return { status: 'pending', error: { code: MAIL_ERRORS.PROVIDER_UNAVAILABLE, message: reason }, retryAfterMs: err instanceof RateLimitedError ? err.retryAfterMs : undefined };
        }
        if (outcome === 'unknown') {
          return { status: 'unknown', error: { code: 'E_SEND_FATE_UNKNOWN', message: `The connection to the provider broke while it had the message (${reason}); it may or may not have been sent. Check Sent before sending it again.` } };
        }
        if (outcome === 'reauth') return { status: 'failed', error: { code: MAIL_ERRORS.REAUTH_REQUIRED, message: 'The provider no longer accepts this account’s authorization; reconnect it, then send again.' } };
        return { status: 'failed', error: { code: MAIL_ERRORS.PROVIDER_REJECTED, message: reason } };
      }
    }
  }

  private tokenEnding(err: unknown): Ending {
    if (err instanceof AccessTokenError && err.kind === 'reauth') {
      return { status: 'failed', error: { code: MAIL_ERRORS.REAUTH_REQUIRED, message: 'The provider no longer accepts this account’s authorization; reconnect it, then send again.' } };
    }
    return { status: 'pending', error: { code: MAIL_ERRORS.PROVIDER_UNAVAILABLE, message: `No access token: ${(err as Error).message}` } };
  }

  /** The row as a message: parts, threading from the source, files from storage and the provider. */
  private async assemble(row: Model, account: Model, adapter: MailProvider, session: SyncSession): Promise<OutgoingMail> {
    const mode = row.get('mode') as ComposeMode;
    const sourceId = row.get('sourceMessageId') as string | null;
    const source = sourceId ? await this.deps.db.getRepository('mailMessages').findOne({ filterByTk: sourceId }) : null;
    if (sourceId && !source) throw new PartGone('The message answered or forwarded is no longer in the mailbox.');
    let files: OutgoingAttachment[];
    try {
      files = await this.deps.uploads.content((row.get('uploads') as never[]) ?? []);
    } catch {
      throw new PartGone('An attached file is no longer in storage; attach it again.');
    }
    const forwarded = (row.get('forwarded') as ForwardedFile[] | null) ?? [];
    for (const file of forwarded) {
      const meta = ((source?.get('attachments') as MailAttachmentDTO[] | null) ?? []).find((a) => a.remoteId === file.remoteId);
      if (!source || !meta) throw new PartGone('A forwarded attachment is no longer in the original message.');
      const download = await adapter.mail.downloadAttachment(session, source.get('remoteId') as string, meta);
      files.push({ filename: meta.filename, contentType: meta.contentType, content: await bytesOf(download.body) });
    }
    const references = source ? [...((source.get('references') as string[] | null) ?? []), source.get('messageId') as string].filter(Boolean) : undefined;
    const parts = {
      messageId: row.get('messageId') as string,
      from: { name: (account.get('displayName') as string) || undefined, address: account.get('address') as string },
      to: (row.get('to') as OutgoingAddress[]) ?? [],
      cc: (row.get('cc') as OutgoingAddress[]) ?? [],
      bcc: (row.get('bcc') as OutgoingAddress[]) ?? [],
      subject: (row.get('subject') as string) ?? '',
      html: (row.get('html') as string) ?? '',
      text: (row.get('text') as string) ?? '',
      inReplyTo: (source?.get('messageId') as string) || undefined,
      references: references?.length ? references.slice(-50) : undefined,
      attachments: files,
    };
    return {
      ...parts,
      raw: await buildMime(parts),
      mode,
      threadRemoteId: (source?.get('threadKey') as string) || undefined,
      sourceRemoteId: (source?.get('remoteId') as string) || undefined,
    };
  }
}
