// One page of one folder's message delta. The first request of a folder carries everything
// the later links repeat on their own: $select with the body (so a page is whole messages),
// newest first, and the start date. Prefer odata.maxpagesize is a header, which the links do
// not carry, so it goes on every request.
import { ProviderFault } from '../errors';
import type { RemoteMessage } from '../sync-types';
import type { GraphSession } from './graph-session';
import { MESSAGE_SELECT, toRemoteMessage, type GraphMessage } from './map';
import { requestSizeOf, type FolderCursor, type OutlookCursor } from './sync-cursor';

export interface DeltaPage {
  messages: RemoteMessage[];
  /** Ids that left the folder (moved elsewhere or deleted): `@removed`. */
  removed: string[];
  /** More pages in this round… */
  nextLink?: string;
  /** …or the round is over and this link starts the next one. */
  deltaLink?: string;
}

interface DeltaAnswer {
  value?: GraphMessage[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/** Graph dates in filters: ISO 8601 UTC, no quotes. */
const graphDate = (iso: string) => new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The initial delta request of a folder. Message delta accepts only `receivedDateTime ge|gt`
 * as $filter and only `receivedDateTime desc` as $orderby, which is what this asks for.
 */
export function initialDeltaPath(folderId: string, since: string | undefined): string {
  const query = [`$select=${MESSAGE_SELECT}`, '$orderby=receivedDateTime desc'];
  if (since) query.push(`$filter=receivedDateTime ge ${graphDate(since)}`);
  return `/me/mailFolders/${encodeURIComponent(folderId)}/messages/delta?${query.join('&')}`;
}

export async function deltaPage(graph: GraphSession, folder: FolderCursor, cursor: OutlookCursor): Promise<DeltaPage> {
  const path = folder.link ?? initialDeltaPath(folder.id, cursor.since);
  const answer = await graph.get<DeltaAnswer>(path, [`odata.maxpagesize=${requestSizeOf(cursor)}`]);
  // A message changed twice within a round may be listed twice: the last entry is current.
  const latest = new Map<string, GraphMessage>();
  for (const item of answer.value || []) {
    if (!item?.id) continue;
    latest.delete(item.id);
    latest.set(item.id, item);
  }
  const page: DeltaPage = { messages: [], removed: [] };
  for (const item of latest.values()) {
    if (item['@removed']) page.removed.push(item.id);
    else page.messages.push(toRemoteMessage(item));
  }
  if (answer['@odata.nextLink']) page.nextLink = graph.relative(answer['@odata.nextLink']);
  else if (answer['@odata.deltaLink']) page.deltaLink = graph.relative(answer['@odata.deltaLink']);
  else throw new ProviderFault('Microsoft Graph answered a delta page without a next or delta link', 'temporary');
  return page;
}

/** Moves the folder's cursor past a page; true when the folder reached its deltaLink. */
export function advance(folder: FolderCursor, page: DeltaPage): boolean {
  if (!folder.synced) folder.seen += page.messages.length;
  folder.link = page.nextLink ?? page.deltaLink;
  if (page.deltaLink) folder.synced = true;
  return Boolean(page.deltaLink);
}
