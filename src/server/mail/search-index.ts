// Search over 100,000 messages on PostgreSQL: a trigram index (pg_trgm) on one expression that
// joins the searched columns, which ILIKE '%…%' can use whatever the case and wherever the word
// sits. Created on install and by a migration on upgrade; if the database user may not create
// the extension (pg_trgm is a "trusted" extension from PostgreSQL 13, so a database owner
// can), search still works, by scanning the account's messages. SQLite has no such index; its
// LIKE scans, which the read benchmark (bench/read.bench.ts) measures.
import type { Database } from '@nocobase/database';
import type { Log } from '../log';
import { searchDocument, Sql } from './sql';

/** What `q` searches in a message: subject, sender name, every participant address, the text. */
export const SEARCH_FIELDS = ['subject', 'fromName', 'participants', 'text'] as const;
export const SEARCH_INDEX = 'mail_messages_search_trgm';

export function searchColumns(sql: Sql, alias?: string): string[] {
  return SEARCH_FIELDS.map((field) => sql.col('mailMessages', field, alias));
}

/** Idempotent. Answers whether the index exists afterwards (always false off PostgreSQL). */
export async function ensureSearchIndex(db: Database, log?: Log): Promise<boolean> {
  const sql = new Sql(db);
  if (!sql.postgres) return false;
  try {
    await db.sequelize.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await db.sequelize.query(`CREATE INDEX IF NOT EXISTS ${sql.alias(SEARCH_INDEX)} ON ${sql.table('mailMessages')} USING gin (${searchDocument(searchColumns(sql))} gin_trgm_ops)`);
    return true;
  } catch (err) {
    log?.warn(`mail search runs without its trigram index: ${(err as Error).message}`);
    return false;
  }
}
