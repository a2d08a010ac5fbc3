// mailThreads:list and mailThreads:get. The list reads mailThreads only (one row per
// conversation, kept current by ingest), newest first through the (accountId, lastMessageAt)
// index, so page 1 of a 100,000-message account reads about one page of rows. A search (`q`)
// adds one semi-join to the messages of those threads (see sql.ts and search-index.ts).
import type { Database } from '@nocobase/database';
import { Op } from '@nocobase/database';
import type { MailThreadDetailDTO, MailThreadDTO } from '../../shared/mail';
import { FOLDER_KINDS, type FolderKind } from '../../shared/folders';
import { parseId } from '../accounts/store';
import type { Row } from '../sync/ingest-db';
import { toMessageDTO, toThreadDTO } from './dto';
import { pageOf, type Page, type PageParams } from './paging';
import { invalidQuery, notFound, owns, type AccountRef, type MailScope, type Viewer } from './scope';
import { searchColumns } from './search-index';
import { Sql } from './sql';

export interface ThreadQuery extends PageParams {
  accountId?: unknown;
  folder?: unknown;
  q?: unknown;
  unread?: unknown;
}

/** Folders never shown when no folder is chosen ("all mail" is not spam and not trash). */
const HIDDEN_KINDS: FolderKind[] = ['spam', 'trash'];
export const MAX_QUERY_LENGTH = 200;

interface FolderRow {
  accountId: string;
  remoteId: string;
  kind: FolderKind;
}

type SqlWhere = Record<string | symbol, unknown>;

export function flag(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true' || value === '1' || value === 1) return true;
  if (value === false || value === 'false' || value === '0' || value === 0) return false;
  throw invalidQuery(`${name}: true or false`);
}

export class Threads {
  private readonly sql: Sql;

  constructor(
    private readonly db: Database,
    private readonly scope: MailScope,
  ) {
    this.sql = new Sql(db);
  }

  private async folders(accounts: AccountRef[], where: Record<string, unknown>): Promise<FolderRow[]> {
    const rows = await this.db.getModel('mailFolders').findAll({ where: { accountId: accounts.map((a) => a.id), ...where }, attributes: ['accountId', 'remoteId', 'kind'], raw: true });
    return (rows as unknown as Row[]).map((r) => ({ accountId: String(r.accountId), remoteId: String(r.remoteId), kind: r.kind as FolderKind }));
  }

  /** The SQL condition a folder choice puts on mailThreads (undefined: none). */
  private async folderCondition(accounts: AccountRef[], folder: unknown, hasAccount: boolean): Promise<{ where?: string; starred?: boolean }> {
    const column = this.sql.col('mailThreads', 'folderIds');
    const accountCol = this.sql.col('mailThreads', 'accountId');
    const perAccount = (rows: FolderRow[], clause: (ids: string[]) => string) => {
      const byAccount = new Map<string, string[]>();
      for (const row of rows) byAccount.set(row.accountId, [...(byAccount.get(row.accountId) ?? []), row.remoteId]);
      const parts = [...byAccount].map(([account, ids]) => `(${accountCol} = ${this.sql.escape(account)} AND ${clause(ids)})`);
      return parts.length ? `(${parts.join(' OR ')})` : '1 = 0';
    };
    if (folder === undefined || folder === null || folder === '') {
      const hidden = await this.folders(accounts, { kind: HIDDEN_KINDS });
      const shown = accounts.filter((a) => !hidden.some((h) => h.accountId === a.id));
      const clauses = [perAccount(hidden, (ids) => this.sql.jsonHasOtherThan(column, ids))];
      if (shown.length) clauses.push(`${accountCol} IN (${shown.map((a) => this.sql.escape(a.id)).join(', ')})`);
      return { where: `(${clauses.join(' OR ')})` };
    }
    if (typeof folder !== 'string' || folder.length > 512) throw invalidQuery('folder: a folder kind or a folder remoteId');
    if ((FOLDER_KINDS as readonly string[]).includes(folder) && folder !== 'custom') {
      if (folder === 'starred') return { starred: true };
      const rows = await this.folders(accounts, { kind: folder });
      return { where: perAccount(rows, (ids) => `(${ids.map((id) => this.sql.jsonHas(column, id)).join(' OR ')})`) };
    }
    if (!hasAccount) throw invalidQuery('folder: a folder remoteId needs the accountId of its account');
    const [row] = await this.folders(accounts, { remoteId: folder });
    if (!row) throw notFound('folder');
    if (row.kind === 'starred') return { starred: true };
    return { where: this.sql.jsonHas(column, row.remoteId) };
  }

  /** Threads with a message matching `q`; the outer table is named by its model (Sequelize's alias for it). */
  private searchCondition(q: string): string {
    const outer = this.db.getModel('mailThreads').name;
    const m = this.sql.alias('m');
    return (
      `EXISTS (SELECT 1 FROM ${this.sql.table('mailMessages')} AS ${m}` +
      ` WHERE ${this.sql.col('mailMessages', 'accountId', 'm')} = ${this.sql.col('mailThreads', 'accountId', outer)}` +
      ` AND ${this.sql.col('mailMessages', 'threadKey', 'm')} = ${this.sql.col('mailThreads', 'threadKey', outer)}` +
      ` AND ${this.sql.containsAny(searchColumns(this.sql, 'm'), q)})`
    );
  }

  async list(viewer: Viewer, query: ThreadQuery): Promise<Page<MailThreadDTO>> {
    const paging = pageOf(query);
    const hasAccount = query.accountId !== undefined && query.accountId !== null && query.accountId !== '';
    const accounts = await this.scope.accounts(viewer, query.accountId);
    if (!accounts.length) return { rows: [], count: 0, ...paging, totalPage: 0 };
    const q = query.q === undefined || query.q === null ? '' : String(query.q).trim();
    if (q.length > MAX_QUERY_LENGTH) throw invalidQuery(`q: at most ${MAX_QUERY_LENGTH} characters`);
    const unread = flag(query.unread, 'unread');
    const folder = await this.folderCondition(accounts, query.folder, hasAccount);

    const literal = (text: string) => this.db.sequelize.literal(text);
    const and: unknown[] = [];
    if (folder.where) and.push(literal(folder.where));
    if (q) and.push(literal(this.searchCondition(q)));
    const where: SqlWhere = { accountId: accounts.map((a) => a.id) };
    if (folder.starred) where.starred = true;
    if (unread === true) where.unreadCount = { [Op.gt]: 0 };
    if (unread === false) where.unreadCount = 0;
    if (and.length) where[Op.and] = and;

    const model = this.db.getModel('mailThreads');
    const page = { where, order: [['lastMessageAt', 'DESC'], ['id', 'DESC']], limit: paging.pageSize, offset: (paging.page - 1) * paging.pageSize, raw: true };
    let rows: Row[];
    let count: number;
    if (q && !this.sql.postgres) {
      // SQLite scans for a search: the total comes with the page (a window count), so the matches
      // are evaluated once, not again for the count. Not without a search (it would give up
      // reading page 1 straight off the lastMessageAt index), nor on PostgreSQL, whose trigram
      // index makes the separate count cheap while a window would materialise every match.
      rows = (await model.findAll({ ...page, attributes: { include: [[literal('count(*) OVER ()'), 'matchCount']] } } as never)) as unknown as Row[];
      count = rows.length ? Number(rows[0].matchCount) : paging.page > 1 ? Number(await model.count({ where } as never)) : 0;
    } else {
      const [found, total] = await Promise.all([model.findAll(page as never), model.count({ where } as never)]);
      rows = found as unknown as Row[];
      count = Number(total);
    }
    return { rows: rows.map(toThreadDTO), count, ...paging, totalPage: Math.ceil(count / paging.pageSize) };
  }

  /** A thread the viewer may read (own, or anyone's with the grant), or 404. */
  async find(viewer: Viewer, threadId: unknown): Promise<{ row: Row; account: AccountRef }> {
    const key = parseId(threadId);
    if (!key) throw notFound('conversation');
    const row = (await this.db.getModel('mailThreads').findOne({ where: { id: key }, raw: true })) as unknown as Row | null;
    const account = row ? (await this.scope.byIds(viewer, [String(row.accountId)])).get(String(row.accountId)) : undefined;
    if (!row || !account) throw notFound('conversation');
    return { row, account };
  }

  async messagesOf(accountId: string, threadKey: string): Promise<Row[]> {
    return (await this.db.getModel('mailMessages').findAll({
      where: { accountId, threadKey },
      attributes: { exclude: ['contentHash'] },
      order: [['receivedAt', 'ASC'], ['id', 'ASC']],
      raw: true,
    })) as unknown as Row[];
  }

  /** The thread view of a thread `find` returned, with its messages (oldest first). */
  detail(viewer: Viewer, { row, account }: { row: Row; account: AccountRef }, rows: Row[]): MailThreadDetailDTO {
    return {
      thread: toThreadDTO(row),
      account: { id: Number(account.id), provider: account.provider, address: account.address, ...(account.displayName ? { displayName: account.displayName } : {}) },
      messages: rows.map((m) => toMessageDTO(m, true)),
      readOnly: !owns(viewer, account),
    };
  }
}
