// The log of sync runs: one row per run of one account, written by the sync engine.
import { defineCollection } from '@nocobase/database';

export default defineCollection({
  name: 'mailSyncRuns',
  // A log: backups leave it out (a restored account simply starts a new log).
  dataCategory: 'runtime',
  migrationRules: ['schema-only'],
  fields: [
    { type: 'bigInt', name: 'accountId', allowNull: false },
    // first | incremental | resync | manual
    { type: 'string', name: 'kind' },
    // running | succeeded | failed
    { type: 'string', name: 'status', defaultValue: 'running' },
    { type: 'date', name: 'startedAt' },
    { type: 'date', name: 'finishedAt' },
    // { added, updated, deleted, fetched }
    { type: 'json', name: 'counts', defaultValue: {} },
    // A safe message (no tokens, no request): what the owner and the admin may read.
    { type: 'text', name: 'error' },
    // The cluster node that ran it.
    { type: 'string', name: 'node' },
    // Last: with DB_UNDERSCORED=true, NocoBase rebuilds the table's index list when it adds a
    // belongsTo's foreign-key index, and keeps only indexes whose fields are defined by then;
    // declared before the fields above, it dropped the indexes naming them (schema.test.ts).
    { type: 'belongsTo', name: 'account', target: 'mailAccounts', foreignKey: 'accountId', onDelete: 'CASCADE' },
  ],
  indexes: [{ fields: ['accountId', 'startedAt'] }],
});
