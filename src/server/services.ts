// The plugin's services, built once per load from the app they run in.
import type { Application } from '@nocobase/server';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Accounts } from './accounts/store';
import type { Log } from './log';
import { AccountLinker } from './oauth/link';
import { OAuthStates } from './oauth/state';
import { TokenService } from './oauth/tokens';
import { Vault } from './oauth/vault';
import { syncAdapterTuning, type ProviderRuntimeOptions } from './providers/registry';
import { ProviderSettings } from './settings/store';
import { MailSettings } from './settings/mail-settings';
import { MimeWorkerPool } from './mime/pool';
import { ingestPage, prepareRows, upsertFolders } from './sync/ingest';
import { createMailReader } from './mail';
import { Leases } from './sync/lease';
import { SyncRunner } from './sync/runner';
import { SyncScheduler, type SchedulerOptions } from './sync/scheduler';
import { createSendServices, type SendOptions } from './send';

export interface ServiceOptions {
  /** Sync schedule; `intervalMinutes` (plugin option syncIntervalMinutes) is the default until an admin saves one. */
  sync?: Omit<SchedulerOptions, 'intervalMinutes'> & { intervalMinutes?: number };
  /** How the sync engine's adapters pace themselves (plugin option gmailQuotaUnitsPerMinute). */
  providers?: ProviderRuntimeOptions;
  /** Threads that parse mail for the sync (plugin option mimeWorkers; 0 = in-process). */
  mimeWorkers?: number;
  /** Sending limits, pacing and storage (plugin options, see send/index.ts). */
  send?: SendOptions;
  /** Sync an account after it sent a message, so the message shows in Sent (off without a schedule). */
  syncAfterSend?: boolean;
}

export function createServices(app: Application, log: Log, options: ServiceOptions = {}) {
  const db = app.db;
  const vault = new Vault(app);
  const settings = new ProviderSettings(db, vault);
  const states = new OAuthStates(db, vault);
  const accounts = new Accounts(db);
  const linker = new AccountLinker({ accounts, states, settings, vault, log });
  const tokens = new TokenService({ db, vault, settings, lockManager: app.lockManager, log });
  const leases = new Leases(db);
  // Names this process in leases and sync runs: host, pid, and a random part for restarts.
  const nodeId = `${os.hostname()}#${process.pid}#${randomBytes(3).toString('hex')}`;
  // Started at the first message to parse; the plugin stops it with the app.
  const mimePool = new MimeWorkerPool({ size: options.mimeWorkers, log });
  const forSync = syncAdapterTuning(options.providers, { gmailParseBatch: mimePool.parseGmailBatch });
  const runner = new SyncRunner({
    db,
    log,
    leases,
    nodeId,
    adapterFor: async (name) => forSync((await settings.ready(name, { forLinking: false })).adapter),
    accessToken: (id, options) => tokens.getAccessToken(id, options),
    ingest: {
      ingestPage: (db, account, page, opts) => ingestPage(db, account, page, { ...opts, buildRows: mimePool.build }),
      upsertFolders,
      // Only worth it off-thread: it lets the next page parse while this one is written.
      prepare: (account, messages) => (mimePool.offThread ? prepareRows(account, messages, mimePool.build) : undefined),
    },
  });
  const mailSettings = new MailSettings(db, options.sync?.intervalMinutes);
  const scheduler = new SyncScheduler(db, runner, log, { ...options.sync, intervalMinutes: () => mailSettings.intervalMinutes() });
  const mail = createMailReader({ db, log, settings, tokens, mailSettings });
  const onSent = options.syncAfterSend
    ? (accountId: string) => void runner.run(accountId, 'manual').catch((err) => log.error(`mail sync after sending failed: ${(err as Error).message}`))
    : undefined;
  const send = createSendServices({ db, log, settings, tokens, onSent }, options.send);
  return { db, log, vault, settings, mailSettings, mail, send, states, accounts, linker, tokens, leases, runner, scheduler, mimePool };
}

export type Services = ReturnType<typeof createServices>;
