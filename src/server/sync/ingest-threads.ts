// mailThreads is a summary of mailMessages. Rather than adjusting counters by deltas (which
// drift the first time a page is replayed or a flag change arrives twice), every thread a page
// touched is recomputed from its messages: one SELECT for all of them, one bulk upsert, one
// DELETE for threads left without messages. Threads are small, so this stays cheap.
import { Op, type Database, type Transaction } from '@nocobase/database';
import type { RemoteAddress } from '../providers/sync-types';
import { asBoolean, asDate, asJson, bulkUpsert, modelOf, slices, type Row } from './ingest-db';
import { sortedIds, type AccountId } from './ingest-rows';

export const MAX_THREAD_PARTICIPANTS = 10;

const COLUMNS = ['threadKey', 'remoteId', 'receivedAt', 'read', 'starred', 'hasAttachments', 'subject', 'snippet', 'fromAddress', 'fromName', 'to', 'cc', 'folderIds'];
const UPDATED = ['subject', 'lastMessageAt', 'messageCount', 'unreadCount', 'hasAttachments', 'starred', 'participants', 'folderIds', 'snippet'];

interface ThreadMessage {
  remoteId: string;
  receivedAt: Date;
  read: boolean;
  starred: boolean;
  hasAttachments: boolean;
  subject: string;
  snippet: string;
  from?: RemoteAddress;
  recipients: RemoteAddress[];
  folderIds: string[];
}

function threadMessageOf(row: Row): ThreadMessage {
  const address = row.fromAddress as string | null;
  const name = row.fromName as string | null;
  return {
    remoteId: String(row.remoteId),
    receivedAt: asDate(row.receivedAt) ?? new Date(0),
    read: asBoolean(row.read),
    starred: asBoolean(row.starred),
    hasAttachments: asBoolean(row.hasAttachments),
    subject: (row.subject as string) || '',
    snippet: (row.snippet as string) || '',
    from: address ? (name ? { name, address } : { address }) : undefined,
    recipients: [...asJson<RemoteAddress[]>(row.to, []), ...asJson<RemoteAddress[]>(row.cc, [])],
    folderIds: asJson<string[]>(row.folderIds, []),
  };
}

/** Senders in order of appearance (what a thread list shows), then recipients, up to 10. */
function participantsOf(messages: ThreadMessage[]): RemoteAddress[] {
  const people = new Map<string, RemoteAddress>();
  const add = (person?: RemoteAddress) => {
    if (person?.address && !people.has(person.address) && people.size < MAX_THREAD_PARTICIPANTS) people.set(person.address, person);
  };
  for (const message of messages) add(message.from);
  for (const message of messages) message.recipients.forEach(add);
  return [...people.values()];
}

/** `messages` oldest first. */
function summarise(accountId: AccountId, threadKey: string, messages: ThreadMessage[]): Row {
  const newest = messages[messages.length - 1];
  return {
    accountId,
    threadKey,
    // The conversation is named by its first message ("Budget", not "Re: Re: Budget").
    subject: messages[0].subject || [...messages].reverse().find((m) => m.subject)?.subject || '',
    lastMessageAt: newest.receivedAt,
    messageCount: messages.length,
    unreadCount: messages.filter((m) => !m.read).length,
    hasAttachments: messages.some((m) => m.hasAttachments),
    starred: messages.some((m) => m.starred),
    participants: participantsOf(messages),
    folderIds: sortedIds(messages.flatMap((m) => m.folderIds)),
    snippet: newest.snippet,
  };
}

/**
 * `written`: rows this transaction has just stored whole (every column read here among them).
 * They are summarised as they are instead of read back: on a first sync they are most of the
 * messages of the threads a page touches, and reading them again was a third of its write.
 */
export async function recomputeThreads(db: Database, accountId: AccountId, threadKeys: Iterable<string>, transaction: Transaction, written: Row[] = []): Promise<void> {
  const keys = [...new Set(threadKeys)];
  if (!keys.length) return;
  const byThread = new Map<string, ThreadMessage[]>();
  const add = (row: Row) => {
    const key = String(row.threadKey);
    const list = byThread.get(key) ?? [];
    list.push(threadMessageOf(row));
    byThread.set(key, list);
  };
  written.forEach(add);
  const writtenIds = written.map((row) => String(row.remoteId));
  for (const slice of slices(keys)) {
    const where = { accountId, threadKey: slice, ...(writtenIds.length ? { remoteId: { [Op.notIn]: writtenIds } } : {}) };
    const rows = (await modelOf(db, 'mailMessages').findAll({ attributes: COLUMNS, where, raw: true, transaction })) as Row[];
    rows.forEach(add);
  }
  const summaries: Row[] = [];
  for (const [key, messages] of byThread) {
    messages.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.remoteId < b.remoteId ? -1 : a.remoteId > b.remoteId ? 1 : 0));
    summaries.push(summarise(accountId, key, messages));
  }
  await bulkUpsert(db, 'mailThreads', summaries, ['accountId', 'threadKey'], UPDATED, transaction);
  const empty = keys.filter((key) => !byThread.has(key));
  for (const slice of slices(empty)) {
    await modelOf(db, 'mailThreads').destroy({ where: { accountId, threadKey: slice }, transaction });
  }
}
