// One message of a linked mailbox, written only by sync/ingest.ts. The provider's remote id
// identifies it within the account, so every sync write is an upsert and nothing doubles.
import { defineCollection } from '@nocobase/database';

export default defineCollection({
  name: 'mailMessages',
  dataCategory: 'business',
  migrationRules: ['schema-only', 'overwrite'],
  fields: [
    { type: 'bigInt', name: 'accountId', allowNull: false },
    // Gmail message id, Graph message id (about 150 characters).
    { type: 'string', name: 'remoteId', length: 512, allowNull: false },
    // Gmail threadId, Graph conversationId, else the root of References (mime/normalize.ts).
    { type: 'string', name: 'threadKey', length: 512, allowNull: false },
    // JSON columns have no defaultValue on purpose: NocoBase's sync sees an array default as
    // different from the column's stored '[]' and, on SQLite, rebuilds the table on every sync,
    // dropping its indexes. Ingest always writes them.
    // Remote folder/label ids, sorted. jsonb on PostgreSQL, so NocoBase's $anyOf/$match filters work.
    { type: 'jsonb', name: 'folderIds' },
    // RFC 5322 ids keep their angle brackets, as they appear in headers.
    { type: 'text', name: 'messageId' },
    { type: 'text', name: 'inReplyTo' },
    { type: 'json', name: 'references' },
    { type: 'text', name: 'subject' },
    { type: 'text', name: 'fromAddress' },
    { type: 'text', name: 'fromName' },
    // [{ name?, address }], addresses lower-cased and de-duplicated per list.
    { type: 'json', name: 'to' },
    { type: 'json', name: 'cc' },
    { type: 'json', name: 'bcc' },
    { type: 'json', name: 'replyTo' },
    // " a@x.com b@y.org " (from, to, cc, bcc): space-padded, so `$includes: ' a@x.com '`
    // matches one whole address and `$includes: 'a@x'` still works as a plain "contains".
    { type: 'text', name: 'participants' },
    { type: 'text', name: 'participantDomains' },
    { type: 'date', name: 'sentAt' },
    { type: 'date', name: 'receivedAt', allowNull: false },
    { type: 'text', name: 'snippet' },
    { type: 'text', name: 'text', length: 'long' },
    // Sanitised on ingest (mime/sanitize.ts); remote images sit in data-remote-src until asked for.
    { type: 'text', name: 'html', length: 'long' },
    { type: 'boolean', name: 'hasRemoteImages', defaultValue: false },
    { type: 'boolean', name: 'read', defaultValue: false },
    { type: 'boolean', name: 'starred', defaultValue: false },
    // Attachments other than inline (cid:) images.
    { type: 'boolean', name: 'hasAttachments', defaultValue: false },
    // [{ remoteId, filename, contentType, size, inline, contentId? }], never the content.
    { type: 'json', name: 'attachments' },
    { type: 'integer', name: 'size', defaultValue: 0 },
    // Stored with whatever could be read; parseError says what was wrong.
    { type: 'boolean', name: 'malformed', defaultValue: false },
    { type: 'text', name: 'parseError' },
    // Fingerprint of what the provider handed over (sync/ingest-rows.ts): an unchanged message
    // is neither parsed nor written again.
    { type: 'string', name: 'contentHash', hidden: true },
    // Last: with DB_UNDERSCORED=true, NocoBase rebuilds the table's index list when it adds a
    // belongsTo's foreign-key index, and keeps only indexes whose fields are defined by then;
    // declared before the fields above, it dropped the indexes naming them (schema.test.ts).
    // See mailFolders: accounts/remove.ts deletes the rows in bulk before the cascade runs.
    { type: 'belongsTo', name: 'account', target: 'mailAccounts', foreignKey: 'accountId', onDelete: 'CASCADE' },
  ],
  // The first one starts with accountId, so the belongsTo adds no second index on accountId alone (camelCase columns).
  indexes: [
    { unique: true, fields: ['accountId', 'remoteId'] },
    // Lists newest first per account (any folder: the folder test runs on rows in date order).
    { fields: ['accountId', 'receivedAt'] },
    // A thread's messages, and the thread recount on ingest.
    { fields: ['accountId', 'threadKey'] },
  ],
});
