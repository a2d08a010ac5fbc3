// One sync run of one account: the state machine lives here and nowhere else.
//
//   first ──(last page)──▶ incremental ──(cursor expired)──▶ first (resync from the newest known
//     ▲                                                          message; upserts make it free of
//     └──────────── nothing stored yet ◀──────────────────────────── duplicates)
//
// Every page is written in one transaction together with its cursor, and that write is fenced
// by the account's lease: killing the process anywhere loses nothing and repeats nothing but
// the page in flight, which upserts again identically.
import type { Database, Model, Transaction } from '@nocobase/database';
import type { Log } from '../log';
import { AccessTokenError } from '../oauth/tokens';
import { CursorExpiredError, RateLimitedError, type RemoteMessage, type SyncCursor, type SyncPage } from '../providers/sync-types';
import type { MailProvider } from '../providers/types';
import type { ProviderName } from '../../shared/types';
import { MAX_ATTEMPTS, retryDelayMs, sleep } from './backoff';
import type { PreparedRows } from './ingest';
import { LeaseLostError, type Lease, type Leases } from './lease';
import { ReadAhead } from './read-ahead';

export type SyncStage = 'first' | 'incremental';

/** What mailAccounts.syncCursor holds. */
interface StoredCursor {
  adapter: SyncCursor;
  /** The lower date bound of the first sync (or resync) in progress. */
  since?: string;
}
export type RunKind = 'first' | 'incremental' | 'resync' | 'manual';

export interface IngestCounts {
  added: number;
  updated: number;
  deleted: number;
}

export interface SyncDeps {
  db: Database;
  log: Log;
  leases: Leases;
  nodeId: string;
  /** The account's provider adapter, built from the admin's settings. */
  adapterFor(provider: ProviderName): Promise<MailProvider>;
  /** A live access token; `rejected` forces a refresh of a token the provider refused. */
  accessToken(accountId: string, options?: { rejected?: string }): Promise<string>;
  ingest: {
    upsertFolders(db: Database, account: Model, folders: Awaited<ReturnType<MailProvider['sync']['listFolders']>>, options?: { transaction?: Transaction }): Promise<unknown>;
    ingestPage(db: Database, account: Model, page: Pick<SyncPage, 'messages' | 'flagChanges' | 'deletions'>, options: { transaction?: Transaction; prepared?: PreparedRows }): Promise<IngestCounts>;
    /** Builds a page's rows before its transaction (off-thread); undefined when not worth it. */
    prepare?(account: Model, messages: RemoteMessage[]): Promise<PreparedRows> | undefined;
  };
  pageSize?: number;
}

/** A page and the messages fetched for it, rows maybe being built already. */
interface Fetched {
  page: SyncPage;
  messages: RemoteMessage[];
  prepared?: Promise<PreparedRows | undefined>;
}

export interface RunOutcome {
  status: 'succeeded' | 'failed' | 'busy' | 'skipped';
  kind?: RunKind;
  counts?: IngestCounts & { fetched: number };
  error?: string;
}

/**
 * Two pages ahead, not one: with one, the writer waited whenever a page took longer to fetch
 * than the one before took to write, and the provider waited whenever it did not.
 */
const READ_AHEAD = 2;

const SYNCABLE = new Set(['active', 'syncing', 'error']);

/**
 * A page's rows, built (off-thread) in parts as its messages arrive. Rows are found by message
 * object, so a part built from a fetch that failed and was retried matches nothing and is just
 * wasted work.
 */
class RowsInBuilding {
  private readonly parts: Array<Promise<PreparedRows> | undefined> = [];
  private readonly handed = new Set<RemoteMessage>();

  constructor(private readonly build: (messages: RemoteMessage[]) => Promise<PreparedRows> | undefined) {}

  /** Starts building the rows of those messages not handed over before; their part's rows. */
  add(messages: RemoteMessage[]): Promise<PreparedRows> | undefined {
    messages = messages.filter((m) => !this.handed.has(m));
    if (!messages.length) return undefined;
    for (const m of messages) this.handed.add(m);
    const part = this.build(messages);
    // Awaited in rows(); if the page fails first, nobody does.
    part?.catch(() => undefined);
    this.parts.push(part);
    return part;
  }

  /** Every part's rows in one map, or undefined when nothing is built ahead. */
  async rows(): Promise<PreparedRows | undefined> {
    const parts = (await Promise.all(this.parts)).filter((part): part is PreparedRows => Boolean(part));
    if (!parts.length) return undefined;
    return parts.length === 1 ? parts[0] : new Map(parts.flatMap((part) => [...part]));
  }
}

export class SyncRunner {
  constructor(private readonly deps: SyncDeps) {}

  /** Runs a sync of the account unless another run (on any node) holds it. */
  async run(accountId: string | number, trigger: 'scheduled' | 'manual' = 'scheduled'): Promise<RunOutcome> {
    const id = String(accountId);
    const { db, leases, nodeId, log } = this.deps;
    const account = await db.getRepository('mailAccounts').findOne({ filterByTk: id });
    if (!account || !SYNCABLE.has(account.get('status') as string)) return { status: 'skipped' };
    const lease = await leases.acquire(id, nodeId);
    if (!lease) return { status: 'busy' };

    const abort = new AbortController();
    const renewal = setInterval(() => {
      lease.renew().then((held) => held || abort.abort(new LeaseLostError(id)), () => undefined);
    }, lease.ttlMs / 3);
    const stage = (account.get('syncStage') as SyncStage) || 'first';
    let kind: RunKind = trigger === 'manual' ? 'manual' : stage === 'first' ? 'first' : 'incremental';
    const runs = db.getRepository('mailSyncRuns');
    // Holding the lease, any run of this account still marked running died with its node
    // (killed, crashed): close it in the log rather than leave it running forever.
    await runs.update({
      filter: { accountId: id, status: 'running' },
      values: { status: 'failed', finishedAt: new Date(), error: 'interrupted: the node running it stopped' },
    });
    const run = await runs.create({ values: { accountId: id, kind, status: 'running', startedAt: new Date(), node: nodeId } });
    const counts = { added: 0, updated: 0, deleted: 0, fetched: 0 };
    try {
      kind = await this.sync(account, lease, abort.signal, counts, kind);
      await lease.commit({ status: 'active', lastSyncAt: new Date(), lastError: null });
      await run.update({ status: 'succeeded', finishedAt: new Date(), kind, counts });
      return { status: 'succeeded', kind, counts };
    } catch (err) {
      const message = this.describe(err);
      log.warn(`mail sync of account ${id} failed: ${message}`);
      await run.update({ status: 'failed', finishedAt: new Date(), kind, counts, error: message });
      if (!(err instanceof LeaseLostError)) {
        // reauth_required was set by the token service; other failures keep the account
        // syncable and say what happened.
        const reauth = err instanceof AccessTokenError && err.kind === 'reauth';
        const values = reauth ? { lastError: message } : { lastError: message, status: err instanceof AccessTokenError && err.kind === 'config' ? 'error' : 'active' };
        await lease.commit(values).catch(() => undefined);
      }
      return { status: 'failed', kind, counts, error: message };
    } finally {
      clearInterval(renewal);
      await lease.release().catch(() => undefined);
    }
  }

  private describe(err: unknown) {
    if (err instanceof AccessTokenError || err instanceof LeaseLostError || err instanceof RateLimitedError) return err.message;
    return (err as { safeMessage?: string })?.safeMessage || 'the provider call failed';
  }

  private async sync(account: Model, lease: Lease, signal: AbortSignal, counts: IngestCounts & { fetched: number }, kind: RunKind): Promise<RunKind> {
    const { db, ingest } = this.deps;
    const id = String(account.get('id'));
    const adapter = await this.deps.adapterFor(account.get('provider') as ProviderName);
    const mailbox = account.get('address') as string;
    let token = '';
    const session = async () => {
      token = await this.deps.accessToken(id);
      return { accessToken: token, mailbox, signal };
    };
    // A 401 on a token we believed fresh: refresh it once per run, then try again.
    let refreshed = false;
    const onUnauthorized = async () => {
      if (refreshed) return false;
      refreshed = true;
      await this.deps.accessToken(id, { rejected: token });
      return true;
    };
    const call = <T>(fn: () => Promise<T>) => this.withRetry(adapter, fn, signal, onUnauthorized);

    let stage = (account.get('syncStage') as SyncStage) || 'first';
    // The stored cursor keeps the engine's own state beside the adapter's: the `since` of a
    // first sync in progress must survive a restart (Gmail's page token belongs to its query).
    const stored = (account.get('syncCursor') as StoredCursor | null) || undefined;
    let cursor = stored?.adapter;
    let since = stored?.since ? new Date(stored.since) : account.get('syncFrom') ? new Date(account.get('syncFrom') as string) : undefined;
    let progress = (account.get('syncProgress') as { done: number; total?: number } | null) || { done: 0 };

    // Folders first: a first sync needs them before messages point at them; later runs pick
    // up folders created at the provider meanwhile.
    const folders = await call(async () => adapter.sync.listFolders(await session()));
    await ingest.upsertFolders(db, account, folders);
    if (stage === 'first' && !cursor) await lease.commit({ status: 'syncing', syncProgress: { done: 0 } });

    // A resync of one folder (Graph delta 410) remembers what it saw, to sweep the rest. Only a
    // resync that ran start to finish in this run sweeps: after a restart the set is incomplete.
    let resync: { folder: string; seen: Set<string> } | undefined;
    // The first page of a first sync stores its first batch on its own as soon as it arrives,
    // so the newest mail shows after one batch, not after a whole page (500 Gmail messages, ten
    // seconds at Google's quota). The page's own write then finds those rows unchanged and
    // skips them; a crash in between only repeats them. No cursor moves here.
    let early = stage === 'first' && !cursor;
    const writeEarly = async (batch: RemoteMessage[], part: Promise<PreparedRows> | undefined, total: number | undefined) => {
      const prepared = await part;
      await db.sequelize.transaction(async (transaction) => {
        const c = await ingest.ingestPage(db, account, { messages: batch, flagChanges: [], deletions: [] }, { transaction, prepared });
        counts.added += c.added;
        counts.updated += c.updated;
        await lease.commit({ syncProgress: { done: batch.length, total } }, transaction);
      });
    };
    const fetchPage = async (page: SyncPage, prepare: boolean, writeFirstBatch = false): Promise<Fetched> => {
      const building = prepare ? new RowsInBuilding((messages) => this.deps.ingest.prepare?.(account, messages)) : undefined;
      building?.add(page.messages);
      let firstBatch: Promise<void> | undefined;
      // Gmail lists ids first; their messages are fetched with the page, and each batch's rows
      // start building as it arrives instead of once the whole page is in.
      const onBatch = (batch: RemoteMessage[]) => {
        const part = building?.add(batch);
        if (!writeFirstBatch || firstBatch || !batch.length) return;
        firstBatch = writeEarly(batch, part, page.estimatedTotal);
        firstBatch.catch(() => undefined);
      };
      let fetched: RemoteMessage[] = [];
      try {
        if (page.idsToFetch.length) fetched = await call(async () => adapter.sync.fetchMessages(await session(), page.idsToFetch, building && onBatch));
      } catch (err) {
        // Not left writing behind a failed run.
        await firstBatch?.catch(() => undefined);
        throw err;
      }
      // In before the page's own write, which then finds those rows stored.
      await firstBatch;
      // An adapter that fetches all at once hands nothing over on the way.
      building?.add(fetched);
      return { page, messages: [...page.messages, ...fetched], prepared: building?.rows() };
    };
    const fetchFirst = async (from: SyncCursor | undefined) => {
      const writeFirstBatch = early;
      early = false;
      return fetchPage(await call(async () => adapter.sync.firstSyncPage(await session(), from, { since, pageSize: this.deps.pageSize })), true, writeFirstBatch);
    };
    // Read-ahead, first sync only: while a page is written, the next ones are fetched and
    // their rows built (in the MIME workers). The writes stay exactly as they were: one page at a
    // time, in order, each in one transaction with its cursor and fenced by the lease. A crash
    // loses only pages not yet written, which the stored cursor fetches again.
    const readAhead = this.deps.ingest.prepare ? new ReadAhead<Fetched, SyncCursor>(fetchFirst, READ_AHEAD) : undefined;
    try {
      for (;;) {
        let got: Fetched;
        try {
          const waiting = readAhead?.take();
          got = waiting ? await waiting : stage === 'first' ? await fetchFirst(cursor) : await fetchPage(await call(async () => adapter.sync.changesPage(await session(), cursor as SyncCursor)), false);
        } catch (err) {
          if (!(err instanceof CursorExpiredError) || stage !== 'incremental') throw err;
          stage = 'first';
          kind = 'resync';
          progress = { done: 0 };
          if (err.folderRemoteId && err.cursor) {
            // One folder forgot its position: enumerate that folder again.
            cursor = err.cursor;
            resync = { folder: err.folderRemoteId, seen: new Set() };
          } else {
            // The mailbox-wide position is gone: list again from the newest message we hold.
            cursor = undefined;
            since = await this.newestReceivedAt(id);
          }
          continue;
        }
        const { page, messages } = got;
        // The chain starts after the first page of the first sync, and then goes on by itself.
        if (stage === 'first' && !page.done) readAhead?.begin(page.cursor);
        counts.fetched += messages.length;
        const next = page.done && stage === 'first' ? 'incremental' : stage;
        if (stage === 'first') progress = { done: progress.done + messages.length, total: page.estimatedTotal ?? progress.total };
        for (const m of messages) resync?.seen.add(m.remoteId);
        // The folder's resync is complete: what it did not list was deleted while we could not see.
        const swept = page.done && resync ? await this.unseenInFolder(id, resync.folder, resync.seen) : [];
        // Awaited before the transaction opens, so it is never held open for parsing.
        const prepared = await got.prepared;
        await db.sequelize.transaction(async (transaction) => {
          const c = await ingest.ingestPage(db, account, { messages, flagChanges: page.flagChanges, deletions: [...page.deletions, ...swept] }, { transaction, prepared });
          counts.added += c.added;
          counts.updated += c.updated;
          counts.deleted += c.deleted;
          const syncCursor: StoredCursor = { adapter: page.cursor, since: next === 'first' ? since?.toISOString() : undefined };
          await lease.commit({ syncCursor, syncStage: next, syncProgress: progress }, transaction);
        });
        cursor = page.cursor;
        stage = next;
        if (page.done) return kind;
        if (signal.aborted) throw signal.reason;
      }
    } finally {
      // Not left fetching behind a run that ended (a failed write, a lost lease).
      readAhead?.stop();
    }
  }

  private async unseenInFolder(accountId: string, folder: string, seen: Set<string>): Promise<string[]> {
    const rows = await this.deps.db.getRepository('mailMessages').find({ filter: { accountId }, fields: ['remoteId', 'folderIds'] });
    return rows
      .filter((row: Model) => ((row.get('folderIds') as string[] | null) || []).includes(folder) && !seen.has(row.get('remoteId') as string))
      .map((row: Model) => row.get('remoteId') as string);
  }

  private async newestReceivedAt(accountId: string): Promise<Date | undefined> {
    const newest = await this.deps.db.getRepository('mailMessages').findOne({ filter: { accountId }, sort: ['-receivedAt'], fields: ['receivedAt'] });
    const at = newest?.get('receivedAt');
    // A day of overlap: the provider's "after:" is coarse, and upserts absorb the repeats.
    return at ? new Date(new Date(at as string).getTime() - 24 * 3600e3) : undefined;
  }

  /** Retries temporary failures and rate limits with backoff; anything else surfaces at once. */
  private async withRetry<T>(adapter: MailProvider, fn: () => Promise<T>, signal: AbortSignal, onUnauthorized: () => Promise<boolean>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        const plain = !(err instanceof CursorExpiredError) && !(err instanceof AccessTokenError) && !(err instanceof RateLimitedError);
        if (plain && adapter.classifyError(err) === 'reauth' && (await onUnauthorized())) continue;
        const retryable = err instanceof RateLimitedError || (!(err instanceof CursorExpiredError) && !(err instanceof AccessTokenError) && adapter.classifyError(err) === 'temporary');
        if (!retryable || attempt + 1 >= MAX_ATTEMPTS) {
          if (!(err instanceof CursorExpiredError) && !(err instanceof AccessTokenError) && !(err instanceof RateLimitedError)) {
            throw Object.assign(new Error(adapter.describeError(err)), { safeMessage: adapter.describeError(err), kind: adapter.classifyError(err) });
          }
          throw err;
        }
        await sleep(retryDelayMs(attempt, err instanceof RateLimitedError ? err.retryAfterMs : undefined), signal);
      }
    }
  }
}
