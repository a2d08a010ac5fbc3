// The Outlook cursor: Graph delta is per folder, so the cursor holds one link per folder (the
// nextLink of a round in progress, or the deltaLink the last round ended with) in sync order.
// "The current folder" of a first sync is not stored apart: it is the first folder of the
// stage that has not reached a deltaLink yet, so it can never disagree with the links.
import { CursorExpiredError, type SyncCursor } from '../sync-types';

export type FolderCursor = {
  /** Graph folder id. */
  id: string;
  /** What to request next for this folder (root-relative); none: start its delta. */
  link?: string;
  /** The folder's delta has reached a deltaLink: it is enumerated and follows changes. */
  synced: boolean;
  /** totalItemCount when last listed (first-sync progress). */
  total: number;
  /** Messages its current enumeration has returned so far. */
  seen: number;
};

export type OutlookCursor = {
  v: 1;
  /** ISO date: mail received from then on; applied to the first delta request of every folder. */
  since?: string;
  /** Messages a page of the engine holds; requests ask for at most MAX_REQUEST_SIZE of them. */
  pageSize: number;
  /** Every folder, in sync order. */
  folders: FolderCursor[];
  /** Folders that firstSyncPage enumerates: all of them at first, one after its link expired. */
  stage: string[];
  /** Incremental: folders still to bring to a fresh deltaLink in this round, in order. */
  round: string[];
};

/**
 * Messages a page of the engine holds. Each page is one transaction and one thread recount,
 * whose fixed cost a page of 100 (one request) paid about as often as the rows themselves;
 * 500 is what a Gmail page holds too. Several delta requests fill a page.
 */
export const DEFAULT_PAGE_SIZE = 500;
export const MAX_PAGE_SIZE = 500;
/**
 * Graph documents no ceiling for message delta pages, but answers are capped at a few MB and
 * may hold fewer items than asked; with bodies 100 messages is a safe upper bound per request.
 */
export const MAX_REQUEST_SIZE = 100;

export function pageSizeOf(requested: number | undefined): number {
  if (!requested || !Number.isFinite(requested)) return DEFAULT_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(requested)));
}

/** Prefer odata.maxpagesize of every delta request (Graph wants it on each one). */
export function requestSizeOf(cursor: OutlookCursor): number {
  return Math.min(MAX_REQUEST_SIZE, cursor.pageSize);
}

const isFolder = (f: unknown): f is FolderCursor =>
  Boolean(f) && typeof (f as FolderCursor).id === 'string' && typeof (f as FolderCursor).synced === 'boolean';

/**
 * A stored cursor, validated and copied (callers change the copy). One this adapter cannot
 * read, say from an older version, is as good as expired: the engine starts over.
 */
export function readCursor(raw: SyncCursor | undefined): OutlookCursor {
  const c = raw as Partial<OutlookCursor> | undefined;
  if (!c || c.v !== 1 || !Array.isArray(c.folders) || !c.folders.every(isFolder) || typeof c.pageSize !== 'number') {
    throw new CursorExpiredError(undefined, 'the Outlook sync cursor is unreadable');
  }
  return JSON.parse(JSON.stringify({ ...c, stage: Array.isArray(c.stage) ? c.stage : [], round: Array.isArray(c.round) ? c.round : [] }));
}

export function toSyncCursor(cursor: OutlookCursor): SyncCursor {
  return cursor;
}

/** The first folder of the stage still to enumerate. */
export function currentFolder(cursor: OutlookCursor): FolderCursor | undefined {
  const stage = new Set(cursor.stage);
  return cursor.folders.find((f) => stage.has(f.id) && !f.synced);
}

/** Messages in the stage: exact for enumerated folders, the listed count for the others. */
export function estimate(cursor: OutlookCursor): number {
  const stage = new Set(cursor.stage);
  return cursor.folders.filter((f) => stage.has(f.id)).reduce((sum, f) => sum + (f.synced ? f.seen : Math.max(f.total, f.seen)), 0);
}

/** Starts a folder's delta over (its link expired, or it is new). */
export function resetFolder(folder: FolderCursor) {
  delete folder.link;
  folder.synced = false;
  folder.seen = 0;
}

/** Forgets a folder that no longer exists. */
export function dropFolder(cursor: OutlookCursor, id: string) {
  cursor.folders = cursor.folders.filter((f) => f.id !== id);
  cursor.stage = cursor.stage.filter((x) => x !== id);
  cursor.round = cursor.round.filter((x) => x !== id);
}

/**
 * A folder's delta link expired (410). `cursor` is the stored cursor with that folder set to
 * enumerate again: the engine stores it and calls firstSyncPage with it, which enumerates that
 * folder alone (the engine upserts, so nothing is duplicated; it may drop the folder's messages
 * that the new enumeration did not bring back) and ends with every folder at a deltaLink again.
 */
export class FolderCursorExpiredError extends CursorExpiredError {
  declare readonly cursor: SyncCursor;

  constructor(folderRemoteId: string, cursor: SyncCursor) {
    super(folderRemoteId, 'the delta link of a mail folder has expired (HTTP 410)', cursor);
  }
}

export function expiredFolder(stored: SyncCursor, folderId: string): FolderCursorExpiredError {
  const cursor = readCursor(stored);
  const folder = cursor.folders.find((f) => f.id === folderId);
  if (folder) resetFolder(folder);
  // During incremental sync the stage is that folder alone; a first sync still under way keeps
  // the folders it has not finished.
  const unfinished = cursor.stage.filter((id) => id !== folderId && cursor.folders.some((f) => f.id === id && !f.synced));
  cursor.stage = [...unfinished, folderId];
  return new FolderCursorExpiredError(folderId, toSyncCursor(cursor));
}
