// The search index migration: on PostgreSQL it (re)creates the trigram index an older install
// lacks, twice without harm; elsewhere it does nothing.
import type { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, expect, it } from 'vitest';
import MailSearchIndexMigration from '../../../src/server/migrations/20260601000000-mail-search-index';
import { SEARCH_INDEX, searchColumns } from '../../../src/server/mail/search-index';
import { Sql } from '../../../src/server/mail/sql';
import { bootApp } from '../helpers/app';

let app: MockServer;
const postgres = () => app.db.sequelize.getDialect() === 'postgres';

beforeAll(async () => {
  app = await bootApp();
});

afterAll(async () => {
  await app?.destroy();
});

async function hasIndex(): Promise<boolean> {
  const [rows] = await app.db.sequelize.query(`SELECT 1 FROM pg_indexes WHERE indexname = '${SEARCH_INDEX}'`);
  return rows.length > 0;
}

function migration() {
  return new MailSearchIndexMigration({ app, db: app.db } as never);
}

it('creates the trigram search index an older install lacks, and can run again', async () => {
  if (!postgres()) {
    await migration().up();
    return;
  }
  expect(await hasIndex()).toBe(true);
  await app.db.sequelize.query(`DROP INDEX IF EXISTS "${SEARCH_INDEX}"`);
  expect(await hasIndex()).toBe(false);
  await migration().up();
  await migration().up();
  expect(await hasIndex()).toBe(true);
  const sql = new Sql(app.db);
  // The search expression is the index's (an empty table is scanned unless told otherwise).
  const [plan] = await app.db.sequelize.transaction(async (transaction) => {
    await app.db.sequelize.query('SET LOCAL enable_seqscan = off', { transaction });
    return app.db.sequelize.query(`EXPLAIN SELECT 1 FROM ${sql.table('mailMessages')} AS "m" WHERE ${sql.containsAny(searchColumns(sql, 'm'), 'zebracorn')}`, { transaction });
  });
  expect(JSON.stringify(plan)).toContain(SEARCH_INDEX);
});
