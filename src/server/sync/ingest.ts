// The sync engine's writer: one page of provider changes into mailMessages and mailThreads, in
// the caller's transaction (so the page and the adapter cursor commit together).
//
// Round trips per page, whatever its size: one SELECT of what we already hold for the page's
// ids; one INSERT … ON CONFLICT per batch of new or changed messages; one UPDATE per distinct
// flag state; one DELETE; then one SELECT + one upsert (+ one DELETE) for the touched threads.
//
// Replaying a page is a no-op: a message whose content fingerprint and flags match what is
// stored is neither parsed nor written, a flag change that changes nothing is dropped, and a
// deletion of something already gone deletes nothing.
import type { Database, Model, Transaction } from '@nocobase/database';
import { buildRowsInProcess, type BuildRows, type RowJob } from '../mime/pool';
import type { RemoteFlagChange, RemoteFolder, RemoteMessage } from '../providers/sync-types';
import { asBoolean, asJson, bulkUpsert, modelOf, slices, type Row } from './ingest-db';
import { mirrorFolders, type FolderCounts } from './ingest-folders';
import { contentHashOf, flagsOf, MAX_ID_LENGTH, sameFlags, sortedIds, type AccountId, type MessageFlags, type MessageRow } from './ingest-rows';
import { recomputeThreads } from './ingest-threads';

export type { FolderCounts } from './ingest-folders';

export interface IngestPage {
  messages?: RemoteMessage[];
  flagChanges?: RemoteFlagChange[];
  deletions?: string[];
}

export interface IngestCounts {
  added: number;
  updated: number;
  deleted: number;
}

export interface IngestResult extends IngestCounts {
  /** Flag changes for messages we do not hold (outside the synced range, or not fetched yet). */
  missing: string[];
  /** Messages refused because their remote id does not fit the column (no real provider does this). */
  skipped: number;
}

export interface IngestOptions {
  transaction?: Transaction;
  /** Who turns messages into rows: a MimeWorkerPool's build, or (by default) this thread. */
  buildRows?: BuildRows;
  /** Rows built ahead of the transaction (prepareRows) for this page's message objects. */
  prepared?: PreparedRows;
}

/**
 * Rows by the very message object they were built from: the page hands the same objects to
 * ingestPage, so a row found here is that message's, and its contentHash need not be computed
 * again (it costs a JSON.stringify of each Graph message).
 */
export type PreparedRows = Map<RemoteMessage, MessageRow>;

/** The account row (a Model) or anything with its id. */
export type AccountRef = Model | { id: AccountId } | { get(key: 'id'): unknown };

/** Every message column ingest may rewrite when a message's content changes. */
const CONTENT_COLUMNS: Array<keyof MessageRow> = [
  'threadKey', 'folderIds', 'read', 'starred', 'receivedAt', 'contentHash', 'messageId', 'inReplyTo', 'references',
  'subject', 'fromAddress', 'fromName', 'to', 'cc', 'bcc', 'replyTo', 'participants', 'participantDomains', 'sentAt',
  'snippet', 'text', 'html', 'hasRemoteImages', 'hasAttachments', 'attachments', 'size', 'malformed', 'parseError',
];

interface Held extends MessageFlags {
  threadKey: string;
  contentHash: string | null;
}

function accountIdOf(account: AccountRef): AccountId {
  const id = typeof (account as Model).get === 'function' ? (account as Model).get('id') : (account as { id: AccountId }).id;
  if (id === undefined || id === null || id === '') throw new Error('ingest needs the account id');
  return id as AccountId;
}

function lastById<T extends { remoteId: string }>(items: T[] | undefined): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items || []) if (item?.remoteId) map.set(item.remoteId, item);
  return map;
}

/** Several flag changes for one message in a page: later fields win. */
function mergedFlagChanges(changes: RemoteFlagChange[] | undefined): Map<string, RemoteFlagChange> {
  const map = new Map<string, RemoteFlagChange>();
  for (const change of changes || []) {
    if (!change?.remoteId) continue;
    const before = map.get(change.remoteId) ?? { remoteId: change.remoteId };
    map.set(change.remoteId, { ...before, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) });
  }
  return map;
}

async function heldMessages(db: Database, accountId: AccountId, ids: string[], transaction: Transaction): Promise<Map<string, Held>> {
  const held = new Map<string, Held>();
  for (const slice of slices(ids)) {
    const rows = (await modelOf(db, 'mailMessages').findAll({
      attributes: ['remoteId', 'threadKey', 'contentHash', 'read', 'starred', 'folderIds'],
      where: { accountId, remoteId: slice },
      raw: true,
      transaction,
    })) as Row[];
    for (const row of rows) {
      held.set(String(row.remoteId), {
        threadKey: String(row.threadKey),
        contentHash: (row.contentHash as string) ?? null,
        read: asBoolean(row.read),
        starred: asBoolean(row.starred),
        folderIds: sortedIds(asJson<string[]>(row.folderIds, [])),
      });
    }
  }
  return held;
}

/** Flag-only writes, grouped by the state they set: a page of "mark read" is one UPDATE. */
class FlagWrites {
  private readonly groups = new Map<string, { flags: MessageFlags; ids: string[] }>();

  add(remoteId: string, flags: MessageFlags) {
    const key = JSON.stringify([flags.read, flags.starred, flags.folderIds]);
    const group = this.groups.get(key) ?? { flags, ids: [] };
    group.ids.push(remoteId);
    this.groups.set(key, group);
  }

  async write(db: Database, accountId: AccountId, transaction: Transaction) {
    const model = modelOf(db, 'mailMessages');
    for (const { flags, ids } of this.groups.values()) {
      for (const slice of slices(ids)) {
        await model.update({ read: flags.read, starred: flags.starred, folderIds: flags.folderIds }, { where: { accountId, remoteId: slice }, transaction });
      }
    }
  }
}

async function ingestInTransaction(db: Database, accountId: AccountId, page: IngestPage, transaction: Transaction, options: IngestOptions): Promise<IngestResult> {
  // Within a page: fetched content is the current state, so it wins over a flag change or a
  // deletion of the same message; a deletion wins over a flag change.
  const messages = lastById(page.messages);
  let skipped = 0;
  for (const [id] of messages) {
    if (id.length > MAX_ID_LENGTH) {
      messages.delete(id);
      skipped++;
    }
  }
  const deletions = new Set((page.deletions || []).filter((id) => typeof id === 'string' && id && !messages.has(id)));
  const flagChanges = mergedFlagChanges(page.flagChanges);
  for (const id of flagChanges.keys()) if (messages.has(id) || deletions.has(id)) flagChanges.delete(id);

  const held = await heldMessages(db, accountId, [...messages.keys(), ...flagChanges.keys(), ...deletions], transaction);
  const touchedThreads = new Set<string>();
  const rows: MessageRow[] = [];
  const jobs: RowJob[] = [];
  const flagWrites = new FlagWrites();
  let added = 0;
  let updated = 0;

  for (const message of messages.values()) {
    const before = held.get(message.remoteId);
    const ready = options.prepared?.get(message);
    const contentHash = ready?.contentHash ?? contentHashOf(message);
    if (before && before.contentHash === contentHash) {
      const flags = flagsOf(message);
      if (sameFlags(before, flags)) continue;
      flagWrites.add(message.remoteId, flags);
      touchedThreads.add(before.threadKey);
      updated++;
      continue;
    }
    if (ready) rows.push(ready);
    else jobs.push({ message, contentHash });
    if (before) {
      touchedThreads.add(before.threadKey);
      updated++;
    } else added++;
  }

  rows.push(...(await (options.buildRows ?? buildRowsInProcess)(accountId, jobs)));
  for (const row of rows) touchedThreads.add(row.threadKey);

  const missing: string[] = [];
  for (const change of flagChanges.values()) {
    const before = held.get(change.remoteId);
    if (!before) {
      missing.push(change.remoteId);
      continue;
    }
    const after: MessageFlags = {
      read: change.read ?? before.read,
      starred: change.starred ?? before.starred,
      folderIds: change.folderIds ? sortedIds(change.folderIds) : before.folderIds,
    };
    if (sameFlags(before, after)) continue;
    flagWrites.add(change.remoteId, after);
    touchedThreads.add(before.threadKey);
    updated++;
  }

  const gone = [...deletions].filter((id) => held.has(id));
  for (const id of gone) touchedThreads.add((held.get(id) as Held).threadKey);

  await bulkUpsert(db, 'mailMessages', rows as unknown as Row[], ['accountId', 'remoteId'], CONTENT_COLUMNS, transaction);
  await flagWrites.write(db, accountId, transaction);
  let deleted = 0;
  for (const slice of slices(gone)) deleted += await modelOf(db, 'mailMessages').destroy({ where: { accountId, remoteId: slice }, transaction });
  await recomputeThreads(db, accountId, touchedThreads, transaction, rows as unknown as Row[]);
  return { added, updated, deleted, missing, skipped };
}

/**
 * Writes one page. Pass the engine's transaction so the page commits with its cursor; without
 * one, the page gets its own. Malformed messages are stored flagged; nothing in a message's
 * content makes this throw (database errors do, and roll the page back).
 */
export async function ingestPage(db: Database, account: AccountRef, page: IngestPage, options: IngestOptions = {}): Promise<IngestResult> {
  const accountId = accountIdOf(account);
  if (options.transaction) return ingestInTransaction(db, accountId, page, options.transaction, options);
  return db.sequelize.transaction((transaction) => ingestInTransaction(db, accountId, page, transaction, options));
}

/**
 * Builds the rows of a page's messages before its transaction opens (the sync engine does this
 * for a first sync, while it writes the page before). It does not ask what is stored: on a
 * first sync almost nothing is, and ingestPage checks each row's fingerprint anyway. Pass the
 * same message objects to ingestPage with the result: a message that got a row has given up
 * its raw bytes.
 */
export async function prepareRows(account: AccountRef, messages: RemoteMessage[], buildRows: BuildRows): Promise<PreparedRows> {
  const accountId = accountIdOf(account);
  // No fingerprints here: the builder computes each row's (in a worker when there is a pool).
  const jobs: RowJob[] = [...lastById(messages).values()].filter((m) => m.remoteId.length <= MAX_ID_LENGTH).map((message) => ({ message }));
  // Never rejects: without prepared rows, ingestPage builds them itself.
  const rows = await buildRows(accountId, jobs).catch(() => []);
  // A message's row (with its fingerprint) now stands for its content, which ingestPage no
  // longer reads: the raw MIME and the bodies are let go here rather than held until the page is
  // written, which on a first sync with read-ahead is one more page of mail in memory.
  for (let i = 0; i < rows.length; i++) {
    const message = jobs[i].message;
    message.raw = undefined;
    if (message.parsed) message.parsed = { ...message.parsed, html: undefined, text: undefined };
  }
  return new Map(rows.map((row, i) => [jobs[i].message, row]));
}

/** Mirrors the provider's folder list (listFolders is always complete). */
export async function upsertFolders(db: Database, account: AccountRef, folders: RemoteFolder[], options: IngestOptions = {}): Promise<FolderCounts> {
  const accountId = accountIdOf(account);
  if (options.transaction) return mirrorFolders(db, accountId, folders, options.transaction);
  return db.sequelize.transaction((transaction) => mirrorFolders(db, accountId, folders, transaction));
}
