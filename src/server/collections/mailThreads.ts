// One row per conversation, derived from mailMessages on every ingest (sync/ingest-threads.ts)
// so that listing conversations never groups 100k messages at read time. Never edit it by hand:
// the next ingest touching the thread recomputes it.
import { defineCollection } from '@nocobase/database';

export default defineCollection({
  name: 'mailThreads',
  dataCategory: 'business',
  migrationRules: ['schema-only', 'overwrite'],
  fields: [
    { type: 'bigInt', name: 'accountId', allowNull: false },
    { type: 'string', name: 'threadKey', length: 512, allowNull: false },
    // The subject of the thread's first message.
    { type: 'text', name: 'subject' },
    { type: 'date', name: 'lastMessageAt' },
    { type: 'integer', name: 'messageCount', defaultValue: 0 },
    { type: 'integer', name: 'unreadCount', defaultValue: 0 },
    { type: 'boolean', name: 'hasAttachments', defaultValue: false },
    { type: 'boolean', name: 'starred', defaultValue: false },
    // (No defaultValue on JSON columns: see mailMessages.)
    // Up to 10 distinct [{ name?, address }]: senders in order of appearance, then recipients.
    { type: 'json', name: 'participants' },
    // Union of the messages' folder ids, sorted.
    { type: 'jsonb', name: 'folderIds' },
    // The newest message's snippet.
    { type: 'text', name: 'snippet' },
    // Last: with DB_UNDERSCORED=true, NocoBase rebuilds the table's index list when it adds a
    // belongsTo's foreign-key index, and keeps only indexes whose fields are defined by then;
    // declared before the fields above, it dropped the indexes naming them (schema.test.ts).
    { type: 'belongsTo', name: 'account', target: 'mailAccounts', foreignKey: 'accountId', onDelete: 'CASCADE' },
  ],
  indexes: [
    { unique: true, fields: ['accountId', 'threadKey'] },
    { fields: ['accountId', 'lastMessageAt'] },
  ],
});
