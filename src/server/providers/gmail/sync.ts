// The Gmail implementation of the port's MailSync. The stages live in their own files
// (sync-first.ts, sync-history.ts); this one wires them to the paced calls and fetches content.
import type { FirstSyncOptions, MailSync, RemoteFolder, RemoteMessage, SyncCursor, SyncPage } from '../sync-types';
import { getMessages, MAX_BATCH_PARTS, parseHere, type MessageFormat, type ParseBatch } from './batch';
import { GmailCalls, type GmailApiFactory, type GmailSyncSession } from './calls';
import { foldersFromLabels, messageFromGmail } from './map';
import { GMAIL_COST, sharedGmailPacing, type GmailPacing } from './pacing';
import { FIRST_SYNC_PAGE, firstSyncPage } from './sync-first';
import { changesPage, MAX_HISTORY_PAGE } from './sync-history';

export interface GmailSyncTuning {
  /**
   * Calls per batch request. Gmail takes 100, but its guide warns that batches over 50 are
   * likely to be rate limited (parts run in parallel on Google's side), so 50.
   */
  batchSize: number;
  /** Batch requests in flight per fetchMessages call; the pacer still decides when each starts. */
  batchConcurrency: number;
  /** messages.list page size when the engine does not ask for one. */
  listPageSize: number;
  /** history.list records per page. */
  historyPageSize: number;
}

export const DEFAULT_TUNING: GmailSyncTuning = { batchSize: 50, batchConcurrency: 2, listPageSize: FIRST_SYNC_PAGE, historyPageSize: MAX_HISTORY_PAGE };

export interface GmailSyncDeps {
  /** The official client for one access token, built from the admin's endpoint overrides. */
  api: GmailApiFactory;
  /** The Gmail API root ending in '/' (https://gmail.googleapis.com/ unless overridden). */
  apiRoot: string;
  pacing?: GmailPacing;
  tuning?: Partial<GmailSyncTuning>;
  /** Who reads batch answers of format=full: a MIME worker (the plugin's pool), or this thread. */
  parseBatch?: ParseBatch;
}

/** Runs `work` over `items` with at most `limit` at once; stops starting new ones after a failure and throws it once the running ones settle. */
async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { err: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index]);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.err;
  return results;
}

export class GmailSync implements MailSync {
  private readonly calls: GmailCalls;
  private readonly tuning: GmailSyncTuning;
  private readonly parseBatch: ParseBatch;

  constructor(deps: GmailSyncDeps) {
    this.parseBatch = deps.parseBatch ?? parseHere;
    const root = deps.apiRoot.endsWith('/') ? deps.apiRoot : `${deps.apiRoot}/`;
    this.calls = new GmailCalls(deps.api, root, deps.pacing ?? sharedGmailPacing);
    this.tuning = { ...DEFAULT_TUNING, ...deps.tuning };
    this.tuning.batchSize = Math.max(1, Math.min(MAX_BATCH_PARTS, this.tuning.batchSize));
  }

  async listFolders(session: GmailSyncSession): Promise<RemoteFolder[]> {
    const { data } = await this.calls.run(session, GMAIL_COST.labelsList, (api, options) => api.users.labels.list({ userId: 'me' }, options));
    return foldersFromLabels(data.labels ?? []);
  }

  firstSyncPage(session: GmailSyncSession, cursor: SyncCursor | undefined, options: FirstSyncOptions): Promise<SyncPage> {
    return firstSyncPage(this.calls, session, cursor, options, this.tuning.listPageSize);
  }

  changesPage(session: GmailSyncSession, cursor: SyncCursor): Promise<SyncPage> {
    return changesPage(this.calls, session, cursor, this.tuning.historyPageSize);
  }

  /**
   * The messages for the ids, in the order asked, in paced batches; ids Gmail no longer has (and
   * chats) are left out. Read as format=full (parsed by Gmail, attachments left on the server),
   * and as format=raw only those whose part tree cannot say everything (payload.ts).
   */
  async fetchMessages(session: GmailSyncSession, remoteIds: string[], onBatch?: (messages: RemoteMessage[]) => void): Promise<RemoteMessage[]> {
    const ids = [...new Set(remoteIds.filter(Boolean))];
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += this.tuning.batchSize) chunks.push(ids.slice(i, i + this.tuning.batchSize));
    const read = async (chunk: string[], format: MessageFormat) => {
      const messages: RemoteMessage[] = [];
      const rawIds: string[] = [];
      for (const answer of await getMessages(this.calls, session, chunk, format, this.parseBatch)) {
        const message = answer.mapped === undefined ? messageFromGmail(answer.message, answer.raw) : answer.mapped ?? undefined;
        if (message === 'raw') rawIds.push(answer.message.id as string);
        else if (message) messages.push(message);
      }
      return { messages, rawIds };
    };
    // Each batch's answers become messages as soon as it arrives, and are handed on at once.
    const batches = await inPool(chunks, this.tuning.batchConcurrency, async (chunk) => {
      const { messages, rawIds } = await read(chunk, 'full');
      if (rawIds.length) messages.push(...(await read(rawIds, 'raw')).messages);
      onBatch?.(messages);
      return messages;
    });
    const byId = new Map<string, RemoteMessage>();
    for (const batch of batches) for (const message of batch) byId.set(message.remoteId, message);
    return ids.map((id) => byId.get(id)).filter((m): m is RemoteMessage => Boolean(m));
  }
}
