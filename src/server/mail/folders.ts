// mailFolders:list and the top bar's badge (mailAccounts:unread). Unread counts are counted in
// SQL over the threads that have unread mail (one grouping query for every folder of every
// account), never by loading rows: a folder's count is its conversations with an unread message.
import type { Database } from '@nocobase/database';
import type { MailFolderDTO, UnreadDTO } from '../../shared/mail';
import { FOLDER_KINDS, type FolderKind } from '../../shared/folders';
import type { Row } from '../sync/ingest-db';
import type { AccountRef } from './scope';
import { Sql } from './sql';

const key = (accountId: unknown, remoteId: unknown) => `${accountId}\u0000${remoteId}`;

export class Folders {
  private readonly sql: Sql;

  constructor(private readonly db: Database) {
    this.sql = new Sql(db);
  }

  /** Unread conversations per (account, folder id), and per account among starred ones. */
  async unreadCounts(accounts: AccountRef[]): Promise<{ byFolder: Map<string, number>; starred: Map<string, number> }> {
    const byFolder = new Map<string, number>();
    const starred = new Map<string, number>();
    if (!accounts.length) return { byFolder, starred };
    const { sql } = this;
    const t = sql.alias('t');
    const accountCol = sql.col('mailThreads', 'accountId', 't');
    const folderIds = sql.col('mailThreads', 'folderIds', 't');
    const where = `${accountCol} IN (${accounts.map((a) => sql.escape(a.id)).join(', ')}) AND ${sql.col('mailThreads', 'unreadCount', 't')} > 0`;
    const elements = sql.postgres ? `jsonb_array_elements_text(${folderIds}) AS f(value)` : `json_each(${folderIds}) AS f`;
    const [perFolder] = await this.db.sequelize.query(
      `SELECT ${accountCol} AS "accountId", f.value AS "remoteId", count(*) AS "n" FROM ${sql.table('mailThreads')} AS ${t} CROSS JOIN ${elements} WHERE ${where} GROUP BY ${accountCol}, f.value`,
    );
    for (const row of perFolder as Row[]) byFolder.set(key(row.accountId, row.remoteId), Number(row.n));
    const [perAccount] = await this.db.sequelize.query(
      `SELECT ${accountCol} AS "accountId", count(*) AS "n" FROM ${sql.table('mailThreads')} AS ${t} WHERE ${where} AND ${sql.col('mailThreads', 'starred', 't')} = ${sql.postgres ? 'true' : '1'} GROUP BY ${accountCol}`,
    );
    for (const row of perAccount as Row[]) starred.set(String(row.accountId), Number(row.n));
    return { byFolder, starred };
  }

  /** System folders in FOLDER_KINDS order, then the provider's own by name, account by account. */
  async list(accounts: AccountRef[]): Promise<MailFolderDTO[]> {
    if (!accounts.length) return [];
    const rows = (await this.db.getModel('mailFolders').findAll({ where: { accountId: accounts.map((a) => a.id) }, raw: true })) as unknown as Row[];
    const { byFolder, starred } = await this.unreadCounts(accounts);
    const order = new Map(accounts.map((a, i) => [a.id, i]));
    const rank = (kind: FolderKind) => FOLDER_KINDS.indexOf(kind);
    return rows
      .map((row): MailFolderDTO => {
        const kind = ((FOLDER_KINDS as readonly string[]).includes(row.kind as string) ? row.kind : 'custom') as FolderKind;
        const accountId = String(row.accountId);
        return {
          accountId: Number(accountId),
          remoteId: String(row.remoteId),
          name: String(row.name ?? ''),
          kind,
          parentRemoteId: (row.parentRemoteId as string) || null,
          unreadCount: kind === 'starred' ? (starred.get(accountId) ?? 0) : (byFolder.get(key(accountId, row.remoteId)) ?? 0),
        };
      })
      .sort((a, b) => (order.get(String(a.accountId)) ?? 0) - (order.get(String(b.accountId)) ?? 0) || rank(a.kind) - rank(b.kind) || a.name.localeCompare(b.name));
  }

  /** The badge: unread conversations in each account's inbox. */
  async unread(accounts: AccountRef[]): Promise<UnreadDTO> {
    const inboxes = accounts.length
      ? ((await this.db.getModel('mailFolders').findAll({ where: { accountId: accounts.map((a) => a.id), kind: 'inbox' }, attributes: ['accountId', 'remoteId'], raw: true })) as unknown as Row[])
      : [];
    const { byFolder } = await this.unreadCounts(accounts);
    const per = accounts.map((a) => ({
      id: Number(a.id),
      unread: inboxes.filter((f) => String(f.accountId) === a.id).reduce((sum, f) => sum + (byFolder.get(key(a.id, f.remoteId)) ?? 0), 0),
    }));
    const synced = accounts.map((a) => a.lastSyncAt).filter((d): d is Date => Boolean(d)).map((d) => new Date(d).getTime());
    return { total: per.reduce((sum, a) => sum + a.unread, 0), accounts: per, lastSyncAt: synced.length ? new Date(Math.max(...synced)).toISOString() : null };
  }
}
