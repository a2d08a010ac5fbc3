// Reading back what ingest stored, in plain JSON, and what mailThreads must say according to
// mailMessages, computed here independently of src/server/sync/ingest-threads.ts.
import type { MockServer } from '@nocobase/test';
import { createUser } from './app';

let accountSeq = 0;

/** A linked account row, as the OAuth flow leaves it (tokens are not needed to ingest). */
export async function createAccount(app: MockServer, userId?: unknown) {
  accountSeq += 1;
  const user = userId ?? (await createUser(app)).get('id');
  const row = await app.db.getRepository('mailAccounts').create({
    values: { userId: user, provider: 'google', address: `box${accountSeq}@example.com`, status: 'active' },
  });
  return { id: row.get('id') as number | string, userId: user, row };
}

type Plain = Record<string, unknown>;
export type AccountId = string | number;

function plain(rows: Array<{ toJSON(): object; get(key: string): unknown }>, extra: string[] = []): Plain[] {
  return rows.map((r) => {
    const json = r.toJSON() as Plain;
    for (const key of extra) json[key] = r.get(key);
    return JSON.parse(JSON.stringify(json));
  });
}

export async function messagesOf(app: MockServer, accountId: AccountId): Promise<Plain[]> {
  const rows = await app.db.getRepository('mailMessages').find({ filter: { accountId }, sort: ['remoteId'] });
  return plain(rows as never, ['contentHash']);
}

export async function messageOf(app: MockServer, accountId: AccountId, remoteId: string): Promise<Plain> {
  const row = await app.db.getRepository('mailMessages').findOne({ filter: { accountId, remoteId } });
  if (!row) throw new Error(`message ${remoteId} is not stored`);
  return plain([row as never])[0];
}

export async function threadsOf(app: MockServer, accountId: AccountId): Promise<Plain[]> {
  const rows = await app.db.getRepository('mailThreads').find({ filter: { accountId }, sort: ['threadKey'] });
  return plain(rows as never);
}

export async function threadOf(app: MockServer, accountId: AccountId, threadKey: string): Promise<Plain | undefined> {
  return (await threadsOf(app, accountId)).find((t) => t.threadKey === threadKey);
}

/** The thread rows mailMessages implies: counts, newest date, unread, folders. */
export async function expectedThreads(app: MockServer, accountId: AccountId) {
  const byKey = new Map<string, Plain[]>();
  for (const m of await messagesOf(app, accountId)) byKey.set(m.threadKey as string, [...(byKey.get(m.threadKey as string) ?? []), m]);
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([threadKey, list]) => {
      const newest = list.reduce((a, b) => (new Date(b.receivedAt as string) > new Date(a.receivedAt as string) ? b : a));
      return {
        threadKey,
        messageCount: list.length,
        unreadCount: list.filter((m) => !m.read).length,
        lastMessageAt: new Date(newest.receivedAt as string).toISOString(),
        snippet: newest.snippet,
        hasAttachments: list.some((m) => m.hasAttachments),
        starred: list.some((m) => m.starred),
        folderIds: [...new Set(list.flatMap((m) => m.folderIds as string[]))].sort(),
      };
    });
}

/** The same fields of the stored thread rows, for comparison with expectedThreads. */
export async function storedThreads(app: MockServer, accountId: AccountId) {
  return (await threadsOf(app, accountId)).map((t) => ({
    threadKey: t.threadKey,
    messageCount: t.messageCount,
    unreadCount: t.unreadCount,
    lastMessageAt: new Date(t.lastMessageAt as string).toISOString(),
    snippet: t.snippet,
    hasAttachments: t.hasAttachments,
    starred: t.starred,
    folderIds: t.folderIds,
  }));
}

export async function countOf(app: MockServer, collection: string, accountId: AccountId): Promise<number> {
  return app.db.getRepository(collection).count({ filter: { accountId } });
}
