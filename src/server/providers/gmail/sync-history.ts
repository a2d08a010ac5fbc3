// Incremental sync: users.history.list from the stored historyId. Gmail history is mailbox-wide
// (not per label), so one cursor covers every folder, and an expired one (404) means a full
// resync of the whole mailbox: CursorExpiredError without a folder.
import type { gmail_v1 } from '@googleapis/gmail';
import { httpStatus } from '../errors';
import { CursorExpiredError, type RemoteFlagChange, type SyncCursor, type SyncPage } from '../sync-types';
import type { GmailCalls, GmailSyncSession } from './calls';
import { isChat, stateOf } from './map';
import { GMAIL_COST } from './pacing';

/** history.list answers at most 500 records a page. */
export const MAX_HISTORY_PAGE = 500;
const HISTORY_TYPES = ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'];

export interface FoldedHistory {
  idsToFetch: string[];
  flagChanges: RemoteFlagChange[];
  deletions: string[];
}

/**
 * One page of history records as one set of changes. Records are in historyId order and each
 * carries the message's labelIds, so the last record that mentions a message gives its labels
 * after every change in the page. A message added here is fetched whole (its labels come with
 * it); one added and deleted in the same page is only a deletion.
 */
export function foldHistory(records: readonly gmail_v1.Schema$History[]): FoldedHistory {
  const added = new Set<string>();
  const deleted = new Set<string>();
  const labels = new Map<string, string[]>();
  for (const record of records) {
    for (const { message } of record.messagesAdded ?? []) {
      if (message?.id && !isChat(message.labelIds)) added.add(message.id);
    }
    for (const { message } of record.messagesDeleted ?? []) {
      if (message?.id) deleted.add(message.id);
    }
    for (const change of [...(record.labelsAdded ?? []), ...(record.labelsRemoved ?? [])]) {
      const message = change.message;
      // Google leaves out an empty labelIds: an archived, read, unstarred message has none.
      if (message?.id && !isChat(message.labelIds)) labels.set(message.id, message.labelIds ?? []);
    }
  }
  return {
    idsToFetch: [...added].filter((id) => !deleted.has(id)),
    flagChanges: [...labels]
      .filter(([id]) => !deleted.has(id) && !added.has(id))
      .map(([remoteId, labelIds]) => ({ remoteId, ...stateOf(labelIds) })),
    deletions: [...deleted],
  };
}

function historyIdOf(cursor: SyncCursor): string {
  const id = cursor?.historyId;
  // A cursor without a history id cannot be continued: the engine resyncs, as after a 404.
  if ((typeof id !== 'string' && typeof id !== 'number') || !/^\d+$/.test(String(id))) {
    throw new CursorExpiredError(undefined, 'the Gmail sync cursor holds no history id');
  }
  return String(id);
}

export async function changesPage(calls: GmailCalls, session: GmailSyncSession, cursor: SyncCursor, pageSize: number): Promise<SyncPage> {
  const startHistoryId = historyIdOf(cursor);
  const pageToken = typeof cursor.historyPageToken === 'string' && cursor.historyPageToken ? cursor.historyPageToken : undefined;
  let data: gmail_v1.Schema$ListHistoryResponse;
  try {
    ({ data } = await calls.run(session, GMAIL_COST.historyList, (api, options) =>
      api.users.history.list(
        { userId: 'me', startHistoryId, historyTypes: HISTORY_TYPES, maxResults: Math.min(MAX_HISTORY_PAGE, pageSize), pageToken },
        options,
      ),
    ));
  } catch (err) {
    // Gmail keeps history for about a week (sometimes hours): an older start point answers 404.
    if (httpStatus(err) === 404) throw new CursorExpiredError(undefined, 'the Gmail history id has expired');
    throw err;
  }
  const next = data.nextPageToken || undefined;
  // While paging, the start point stays and the token moves; after the last page the mailbox's
  // current historyId is where the next run starts.
  const nextCursor = next ? { historyId: startHistoryId, historyPageToken: next } : { historyId: data.historyId || startHistoryId };
  return { messages: [], ...foldHistory(data.history ?? []), cursor: nextCursor, done: !next };
}
