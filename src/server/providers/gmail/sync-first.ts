// First sync: the mailbox's message ids, newest first, a page at a time (messages.list), with the
// mailbox's historyId read *before* the first page as the baseline. Incremental sync starts from
// that baseline, so whatever changes while the first sync runs (mail arriving, flags, deletions)
// arrives through history afterwards; the engine upserts by remote id, so an overlap is harmless.
//
// Drafts are included: with includeSpamTrash every message is listed, DRAFT ones too, and they
// land in the `drafts` folder like Outlook's Drafts folder does. Chats are not mail and are left
// out when their content is fetched (map.ts isChat).
import type { FirstSyncOptions, SyncCursor, SyncPage } from '../sync-types';
import type { GmailCalls, GmailSyncSession } from './calls';
import { GMAIL_COST } from './pacing';

/** messages.list answers at most 500 ids a page. */
export const MAX_LIST_PAGE = 500;
/**
 * The first sync's page: 250 ids, not the 500 Gmail allows. A page is fetched while the one
 * before is parsed and written, so two pages of raw mail (attachments included) are in memory
 * at once; 250 keeps that to ~20 MB on the benchmark's mailbox (peak RSS growth of a first sync
 * 275-306 -> 246-253 MB) at the same speed, and under Google's quota a whole page lands twice
 * as soon. Listing twice as often costs 5 quota units per 250 messages, against 1,250 for
 * fetching them.
 */
export const FIRST_SYNC_PAGE = 250;

interface FirstSyncState {
  /** The baseline: the mailbox's historyId when the first sync started. */
  historyId: string;
  /** messages.list's token for the next page. */
  listPageToken?: string;
  estimatedTotal?: number;
}

function stateOf(cursor: SyncCursor | undefined): FirstSyncState | undefined {
  const historyId = cursor?.historyId;
  if (typeof historyId !== 'string' && typeof historyId !== 'number') return undefined;
  const token = cursor?.listPageToken;
  const total = cursor?.estimatedTotal;
  return {
    historyId: String(historyId),
    listPageToken: typeof token === 'string' && token ? token : undefined,
    estimatedTotal: typeof total === 'number' ? total : undefined,
  };
}

/** Gmail's `after:` with epoch seconds is exact (a yyyy/mm/dd date would mean Pacific midnight). */
export function sinceQuery(since: Date | undefined): string | undefined {
  if (!since || Number.isNaN(since.getTime())) return undefined;
  return `after:${Math.floor(since.getTime() / 1000)}`;
}

export async function firstSyncPage(
  calls: GmailCalls,
  session: GmailSyncSession,
  cursor: SyncCursor | undefined,
  options: FirstSyncOptions,
  defaultPageSize: number,
): Promise<SyncPage> {
  let state = stateOf(cursor);
  const starting = !state;
  if (!state) {
    const profile = await calls.profile(session);
    if (!profile.historyId) throw new Error('Gmail answered a profile without a historyId');
    state = { historyId: profile.historyId };
  } else if (!state.listPageToken) {
    // A finished first sync (its last cursor is just the baseline): nothing left to list.
    return { messages: [], idsToFetch: [], flagChanges: [], deletions: [], cursor: { historyId: state.historyId }, done: true };
  }

  const maxResults = Math.max(1, Math.min(MAX_LIST_PAGE, Math.floor(options.pageSize ?? defaultPageSize)));
  const { data } = await calls.run(session, GMAIL_COST.messagesList, (api, opts) =>
    api.users.messages.list(
      // The engine passes the same options on every call of the stage, so the query matches the token.
      { userId: 'me', includeSpamTrash: true, maxResults, pageToken: state.listPageToken, q: sinceQuery(options.since) },
      opts,
    ),
  );
  const estimatedTotal = starting ? (data.resultSizeEstimate ?? undefined) : state.estimatedTotal;
  const idsToFetch = (data.messages ?? []).map((m) => m.id).filter((id): id is string => Boolean(id));
  const next = data.nextPageToken || undefined;
  const base = { messages: [], idsToFetch, flagChanges: [], deletions: [], estimatedTotal };
  if (!next) return { ...base, cursor: { historyId: state.historyId }, done: true };
  const nextCursor: FirstSyncState = { historyId: state.historyId, listPageToken: next };
  if (estimatedTotal !== undefined) nextCursor.estimatedTotal = estimatedTotal;
  return { ...base, cursor: { ...nextCursor }, done: false };
}
