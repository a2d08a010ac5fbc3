// A stand-in for the sync engine, just enough to drive the Outlook adapter through the port the
// way the real engine will: apply pages to a store keyed by remote id (upserts, so a repeat is
// never a duplicate), loop first sync and changes until done, and on a folder's expired cursor
// store the cursor the error carries, resync that folder with firstSyncPage, and sweep the
// folder's messages the resync did not bring back.
import { CursorExpiredError, type FirstSyncOptions, type MailSync, type RemoteMessage, type SyncCursor, type SyncPage, type SyncSession } from '../../../src/server/providers/sync-types';

export interface Stored {
  remoteId: string;
  folderIds: string[];
  read: boolean;
  starred: boolean;
  message: RemoteMessage;
}

export class TestEngine {
  readonly store = new Map<string, Stored>();
  cursor?: SyncCursor;
  /** Every page the adapter returned, in order. */
  readonly pages: SyncPage[] = [];
  /** Folders resynced after CursorExpiredError, in order. */
  readonly resynced: string[] = [];

  constructor(
    private readonly sync: MailSync,
    private readonly session: SyncSession,
  ) {}

  apply(page: SyncPage) {
    this.pages.push(page);
    for (const m of page.messages) this.store.set(m.remoteId, { remoteId: m.remoteId, folderIds: m.folderIds, read: m.read, starred: m.starred, message: m });
    for (const change of page.flagChanges) {
      const stored = this.store.get(change.remoteId);
      if (!stored) continue;
      if (change.folderIds) stored.folderIds = change.folderIds;
      if (change.read !== undefined) stored.read = change.read;
      if (change.starred !== undefined) stored.starred = change.starred;
    }
    for (const id of page.deletions) this.store.delete(id);
    this.cursor = page.cursor;
  }

  /** Runs firstSyncPage until done; returns the pages of this stage. */
  async firstSync(options: FirstSyncOptions = {}, from?: SyncCursor): Promise<SyncPage[]> {
    const pages: SyncPage[] = [];
    let cursor = from;
    for (let i = 0; i < 10_000; i++) {
      const page = await this.sync.firstSyncPage(this.session, cursor, options);
      this.apply(page);
      pages.push(page);
      cursor = page.cursor;
      if (page.done) return pages;
    }
    throw new Error('first sync never finished');
  }

  /** Runs changesPage until done, recovering from expired folders as the engine will. */
  async changes(): Promise<SyncPage[]> {
    const pages: SyncPage[] = [];
    for (let i = 0; i < 10_000; i++) {
      let page: SyncPage;
      try {
        page = await this.sync.changesPage(this.session, this.cursor as SyncCursor);
      } catch (err) {
        if (!(err instanceof CursorExpiredError) || !err.folderRemoteId) throw err;
        await this.resync(err);
        continue;
      }
      this.apply(page);
      pages.push(page);
      if (page.done) return pages;
    }
    throw new Error('changes never finished');
  }

  /** The engine's recovery for one folder: the error's cursor, firstSyncPage, then a sweep. */
  async resync(err: CursorExpiredError) {
    const folder = err.folderRemoteId as string;
    const cursor = (err as CursorExpiredError & { cursor?: SyncCursor }).cursor;
    if (!cursor) throw new Error('CursorExpiredError carries no cursor');
    this.resynced.push(folder);
    this.cursor = cursor;
    const pages = await this.firstSync({}, cursor);
    const seen = new Set(pages.flatMap((p) => p.messages.map((m) => m.remoteId)));
    for (const [id, stored] of this.store) if (stored.folderIds.includes(folder) && !seen.has(id)) this.store.delete(id);
    return pages;
  }
}
