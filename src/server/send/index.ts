// Sending: the services behind mailOutbox, mailDrafts and mailUploads, built once per load.
import type { Database } from '@nocobase/database';
import { SEND_DEFAULTS, type SendLimitsDTO } from '../../shared/send';
import type { Log } from '../log';
import type { TokenService } from '../oauth/tokens';
import type { ProviderName } from '../../shared/types';
import type { ProviderSettings } from '../settings/store';
import { Drafts } from './drafts';
import { Outbox } from './outbox';
import { Relay } from './relay';
import { SendQueue } from './queue';
import { DEFAULT_UPLOADS_DIR, Uploads } from './uploads';

/** Plugin options for sending (all optional). */
export interface SendOptions {
  /** All attachments of one message together, in MB (default 25). */
  maxAttachmentMB?: number;
  /** Recipients of one per-recipient send (default 100). */
  maxBulkRecipients?: number;
  /** Sends a minute per account; default: the provider's own limit (Gmail 60, Outlook 30). */
  sendPerMinute?: number;
  /** First retry of a temporary failure after about this long, doubling (default 30 s). */
  sendRetryBaseMs?: number;
  /** How often the outbox looks for due rows (default 5 s). */
  sendTickMs?: number;
  /** How long a send request waits for the provider before answering 'sending' (default 45 s). */
  sendWaitMs?: number;
  /** Where uploaded attachments are kept (default <cwd>/storage/email-manager/uploads). */
  uploadsDir?: string;
}

export interface SendDeps {
  db: Database;
  log: Log;
  settings: ProviderSettings;
  tokens: TokenService;
  onSent?: (accountId: string) => void;
}

const positive = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback);

export function createSendServices({ db, log, settings, tokens, onSent }: SendDeps, options: SendOptions = {}) {
  const limits = (): SendLimitsDTO => ({
    maxAttachmentBytes: Math.round(positive(options.maxAttachmentMB, SEND_DEFAULTS.maxAttachmentMB) * 1024 * 1024),
    maxBulkRecipients: Math.floor(positive(options.maxBulkRecipients, SEND_DEFAULTS.maxBulkRecipients)),
  });
  const uploads = new Uploads(db, options.uploadsDir || DEFAULT_UPLOADS_DIR, () => limits().maxAttachmentBytes);
  const outbox = new Outbox({ db, uploads, limits });
  const drafts = new Drafts(db, uploads, limits);
  const relay = new Relay({ db, log, settings, tokens, uploads, outbox, retryBaseMs: positive(options.sendRetryBaseMs, 30_000), onSent });
  const perMinute = async (accountId: string) => {
    if (options.sendPerMinute) return options.sendPerMinute;
    const account = await db.getRepository('mailAccounts').findOne({ filterByTk: accountId, fields: ['provider'] });
    if (!account) return 60;
    return (await settings.ready(account.get('provider') as ProviderName, { forLinking: false })).adapter.send.perMinute;
  };
  const queue = new SendQueue(db, relay, log, { tickMs: options.sendTickMs, perMinute: (id) => perMinute(id).catch(() => 30), sweep: (age) => uploads.sweep(age) });
  return { limits, uploads, outbox, drafts, relay, queue, waitMs: positive(options.sendWaitMs, 45_000) };
}

export type SendServices = ReturnType<typeof createSendServices>;
