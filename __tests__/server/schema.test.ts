// Every index a collection declares exists in its table, with the columns and uniqueness it
// declares, on a NocoBase with and without DB_UNDERSCORED=true (which MySQL hosts with
// lower_case_table_names=1 must set). Sync's upserts name the unique ones in ON CONFLICT: a
// missing index there is not slowness but every first sync failing. A page is written, replayed
// and changed in each style too (ingest maps attribute names to column names itself).
import type { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPage } from '../../src/server/sync/ingest';
import { bootApp } from './helpers/app';
import { createAccount, expectedThreads, messagesOf, storedThreads } from './helpers/mail-db';
import { sandboxMailbox, sandboxMessage } from './helpers/mail-messages';

const COLLECTIONS = ['mailAccounts', 'mailDrafts', 'mailFolders', 'mailMessages', 'mailOutbox', 'mailSyncRuns', 'mailThreads', 'mailUploads'];

type Declared = { fields: string[]; unique?: boolean };
type Found = { unique: boolean; fields: Array<{ attribute: string }> };

async function bootWith(underscored: boolean): Promise<MockServer> {
  const before = process.env.DB_UNDERSCORED;
  process.env.DB_UNDERSCORED = String(underscored);
  try {
    return await bootApp();
  } finally {
    if (before === undefined) delete process.env.DB_UNDERSCORED;
    else process.env.DB_UNDERSCORED = before;
  }
}

for (const underscored of [false, true]) {
  describe(`schema and writes, ${underscored ? 'underscored' : 'camelCase'} columns`, () => {
    let app: MockServer;

    beforeAll(async () => {
      app = await bootWith(underscored);
    });

    afterAll(async () => {
      await app?.destroy();
    });

    it('match what each collection declares, also after NocoBase syncs the collections again', async () => {
      const missing = async () => {
        const out: string[] = [];
        for (const name of COLLECTIONS) {
          const collection = app.db.getCollection(name);
          const column = (field: string) => collection.model.rawAttributes[field]?.field ?? field;
          const found = (await app.db.sequelize.getQueryInterface().showIndex(collection.getTableNameWithSchema())) as Found[];
          for (const index of (collection.options.indexes ?? []) as Declared[]) {
            const columns = index.fields.map(column).join();
            if (!found.some((f) => f.unique === Boolean(index.unique) && f.fields.map((c) => c.attribute).join() === columns)) out.push(`${name}(${columns})${index.unique ? ' unique' : ''}`);
          }
        }
        return out;
      };
      if (underscored) expect(app.db.getCollection('mailMessages').model.rawAttributes.accountId.field).toBe('account_id');
      expect(await missing()).toEqual([]);
      for (const name of COLLECTIONS) await app.db.getCollection(name).sync();
      expect(await missing()).toEqual([]);
    });

    it('stores, replays and updates a page of mail', async () => {
      const account = await createAccount(app);
      const mailbox = sandboxMailbox(11, 30);
      const page = async () => Promise.all(mailbox.list({ includeSpamTrash: true }).map((state) => sandboxMessage(mailbox, state)));
      expect(await ingestPage(app.db, account.row as never, { messages: await page() })).toMatchObject({ added: 30, updated: 0 });
      expect(await ingestPage(app.db, account.row as never, { messages: await page() })).toMatchObject({ added: 0, updated: 0 });
      const [first] = await messagesOf(app, account.id);
      const change = { remoteId: first.remoteId as string, read: !first.read };
      expect(await ingestPage(app.db, account.row as never, { flagChanges: [change] })).toMatchObject({ updated: 1 });
      const stored = await messagesOf(app, account.id);
      expect(stored.map((m) => m.remoteId).sort()).toEqual(mailbox.list({ includeSpamTrash: true }).map((m) => m.id).sort());
      expect(stored.find((m) => m.remoteId === first.remoteId)?.read).toBe(!first.read);
      expect(await storedThreads(app, account.id)).toEqual(await expectedThreads(app, account.id));
    });
  });
}
