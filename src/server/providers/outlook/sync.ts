// Outlook's MailSync over Graph message delta, one delta per folder.
// - First sync: folder by folder (inbox, sent, archive, custom, drafts, junk, deleted), each
//   newest first, with the bodies in the delta pages: no per-message fetch. An engine page
//   gathers several requests (pageSize messages; a request asks for at most 100).
// - Incremental: a round brings every folder to a fresh deltaLink; a page polls up to 4 folders
//   at once (most have nothing) and stops early once it holds a page of changes.
// - A move is `@removed` in one folder and the same (immutable) id added in another; a removal
//   counts as a deletion only once Graph confirms the message is gone.
// - 410 on a folder: FolderCursorExpiredError carries the cursor that resyncs that folder alone.
import { ProviderFault } from '../errors';
import type { FirstSyncOptions, MailSync, RemoteFlagChange, RemoteFolder, RemoteMessage, SyncCursor, SyncPage, SyncSession } from '../sync-types';
import type { ProviderOptions } from '../../../shared/types';
import { batchGet } from './graph-batch';
import { GraphSession, isGraphStatus } from './graph-session';
import { isStarred, MESSAGE_SELECT, PLACE_SELECT, toRemoteMessage, type GraphMessage } from './map';
import { graphPacer, type GraphPacer } from './pacing';
import { advance, deltaPage, type DeltaPage } from './sync-delta';
import {
  currentFolder,
  dropFolder,
  estimate,
  expiredFolder,
  pageSizeOf,
  readCursor,
  requestSizeOf,
  resetFolder,
  toSyncCursor,
  type FolderCursor,
  type OutlookCursor,
} from './sync-cursor';
import { listMailFolders, syncOrder } from './sync-folders';

/** Delta pages can be empty yet not final; a page stops after this many requests all the same. */
const MAX_REQUESTS_PER_PAGE = 48;

const messagePath = (id: string, select: string) => `/me/messages/${encodeURIComponent(id)}?$select=${select}`;

function page(cursor: OutlookCursor, done: boolean, parts: Partial<SyncPage> = {}): SyncPage {
  return { messages: [], idsToFetch: [], flagChanges: [], deletions: [], ...parts, cursor: toSyncCursor(cursor), done };
}

export class OutlookSync implements MailSync {
  constructor(
    private readonly options: ProviderOptions,
    private readonly pacer: GraphPacer = graphPacer,
  ) {}

  private get concurrency() {
    return this.pacer.limits.concurrency;
  }

  private open(session: SyncSession): GraphSession {
    return GraphSession.open(this.options, this.pacer, session);
  }

  async listFolders(session: SyncSession): Promise<RemoteFolder[]> {
    const folders = await listMailFolders(this.open(session), this.concurrency);
    return folders.map((f) => ({ remoteId: f.remoteId, name: f.name, kind: f.kind, parentRemoteId: f.parentRemoteId }));
  }

  async firstSyncPage(session: SyncSession, stored: SyncCursor | undefined, options: FirstSyncOptions): Promise<SyncPage> {
    const graph = this.open(session);
    const cursor = stored ? readCursor(stored) : await this.startCursor(graph, options);
    // Requests go on, across folders, while another one still fits in pageSize. The first page
    // of a sync is the first request that brings any, so the newest mail shows at once.
    const messages: RemoteMessage[] = [];
    const full = () => (stored ? messages.length + requestSizeOf(cursor) > cursor.pageSize : messages.length > 0);
    for (let sent = 0, folder = currentFolder(cursor); folder && sent < MAX_REQUESTS_PER_PAGE; sent++, folder = currentFolder(cursor)) {
      const result = await this.enumerate(graph, cursor, folder, stored);
      if (result === 'gone') continue;
      advance(folder, result);
      messages.push(...result.messages);
      if (full()) break;
    }
    return page(cursor, !currentFolder(cursor), { messages, estimatedTotal: estimate(cursor) });
  }

  async changesPage(session: SyncSession, stored: SyncCursor): Promise<SyncPage> {
    const graph = this.open(session);
    const cursor = readCursor(stored);
    if (!cursor.round.length) {
      await this.refreshFolders(graph, cursor);
      cursor.round = cursor.folders.map((f) => f.id);
    }
    const messages = new Map<string, RemoteMessage>();
    const removed = new Set<string>();
    // Stop at a page of changes (removals count: each may cost a check), or after enough
    // requests that the engine should store its progress.
    const full = () => messages.size + removed.size >= cursor.pageSize;
    for (let sent = 0; cursor.round.length && !full() && sent < MAX_REQUESTS_PER_PAGE; sent += this.concurrency) {
      const wave = cursor.round.slice(0, this.concurrency).map((id) => cursor.folders.find((f) => f.id === id) as FolderCursor);
      const results = await Promise.allSettled(wave.map((folder) => deltaPage(graph, folder, cursor)));
      this.throwWaveErrors(wave, results, stored, cursor);
      results.forEach((result, i) => {
        if (result.status !== 'fulfilled') return;
        const folder = wave[i];
        for (const m of result.value.messages) {
          messages.delete(m.remoteId);
          messages.set(m.remoteId, m);
        }
        for (const id of result.value.removed) removed.add(id);
        if (advance(folder, result.value)) cursor.round = cursor.round.filter((id) => id !== folder.id);
      });
    }
    const { flagChanges, deletions } = await this.settleRemovals(graph, removed, messages);
    return page(cursor, !cursor.round.length, { messages: [...messages.values()], flagChanges, deletions });
  }

  async fetchMessages(session: SyncSession, remoteIds: string[]): Promise<RemoteMessage[]> {
    const ids = [...new Set(remoteIds)];
    if (!ids.length) return [];
    const answers = await batchGet(this.open(session), ids.map((id) => ({ key: id, url: messagePath(id, MESSAGE_SELECT) })), this.concurrency);
    return ids.flatMap((id) => {
      const body = answers.get(id) as GraphMessage | undefined;
      return body?.id ? [toRemoteMessage(body)] : [];
    });
  }

  private async startCursor(graph: GraphSession, options: FirstSyncOptions): Promise<OutlookCursor> {
    const folders = syncOrder(await listMailFolders(graph, this.concurrency));
    return {
      v: 1,
      since: options.since ? options.since.toISOString() : undefined,
      pageSize: pageSizeOf(options.pageSize),
      folders: folders.map((f) => ({ id: f.remoteId, synced: false, total: f.totalItemCount, seen: 0 })),
      stage: folders.map((f) => f.remoteId),
      round: [],
    };
  }

  /**
   * The next page of a folder being enumerated. A nextLink can outlive its sync state on a very
   * long first sync (410): the folder then starts over once, here, since re-listing it only
   * repeats upserts. A folder deleted meanwhile (404) leaves the cursor.
   */
  private async enumerate(graph: GraphSession, cursor: OutlookCursor, folder: FolderCursor, stored: SyncCursor | undefined): Promise<DeltaPage | 'gone'> {
    try {
      return await deltaPage(graph, folder, cursor);
    } catch (err) {
      if (isGraphStatus(err, 404)) {
        dropFolder(cursor, folder.id);
        return 'gone';
      }
      if (!isGraphStatus(err, 410)) throw err;
      if (!folder.link) throw expiredFolder(stored ?? toSyncCursor(cursor), folder.id);
    }
    resetFolder(folder);
    try {
      return await deltaPage(graph, folder, cursor);
    } catch (err) {
      if (isGraphStatus(err, 410)) throw expiredFolder(stored ?? toSyncCursor(cursor), folder.id);
      throw err;
    }
  }

  /**
   * A failed request fails the page, and the engine keeps the cursor it had: the wave's other
   * folders are polled again next time, so nothing is lost. An expired folder becomes a
   * FolderCursorExpiredError built from that stored cursor; a vanished folder just leaves.
   */
  private throwWaveErrors(wave: FolderCursor[], results: PromiseSettledResult<DeltaPage>[], stored: SyncCursor, cursor: OutlookCursor) {
    const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [{ folder: wave[i], error: r.reason as unknown }] : []));
    const expired = failures.find((f) => isGraphStatus(f.error, 410));
    if (expired) throw expiredFolder(stored, expired.folder.id);
    const other = failures.find((f) => !isGraphStatus(f.error, 404));
    if (other) throw other.error;
    for (const gone of failures) dropFolder(cursor, gone.folder.id);
  }

  /** New folders start their own delta (with the account's start date); deleted ones leave. */
  private async refreshFolders(graph: GraphSession, cursor: OutlookCursor) {
    const listed = await listMailFolders(graph, this.concurrency, false);
    if (!listed.length) throw new ProviderFault('Microsoft Graph listed no mail folders', 'temporary');
    const known = new Map(cursor.folders.map((f) => [f.id, f]));
    const present = new Set(listed.map((f) => f.remoteId));
    for (const f of cursor.folders) if (!present.has(f.id)) dropFolder(cursor, f.id);
    for (const f of listed) {
      const folder = known.get(f.remoteId);
      if (folder) folder.total = f.totalItemCount;
      else cursor.folders.push({ id: f.remoteId, synced: false, total: f.totalItemCount, seen: 0 });
    }
  }

  /**
   * `@removed` means "left this folder". When the same id came back in another folder on this
   * page, it moved and its new state is already in `messages`. Otherwise ask Graph where it is:
   * still there (moved to a folder polled earlier or later) → a folder change; gone → deleted.
   */
  private async settleRemovals(graph: GraphSession, removed: Set<string>, messages: Map<string, RemoteMessage>) {
    const open = [...removed].filter((id) => !messages.has(id));
    const flagChanges: RemoteFlagChange[] = [];
    const deletions: string[] = [];
    if (!open.length) return { flagChanges, deletions };
    const answers = await batchGet(graph, open.map((id) => ({ key: id, url: messagePath(id, PLACE_SELECT) })), this.concurrency);
    for (const id of open) {
      const now = answers.get(id) as GraphMessage | undefined;
      if (!now?.id) deletions.push(id);
      else flagChanges.push({ remoteId: id, folderIds: now.parentFolderId ? [now.parentFolderId] : [], read: Boolean(now.isRead), starred: isStarred(now) });
    }
    return { flagChanges, deletions };
  }
}
