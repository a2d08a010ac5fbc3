// What a user is writing, saved by the composer a few seconds after they stop typing, so
// nothing they wrote is lost. Kept in NocoBase (not at the provider): it is the user's work in
// progress, listed under Drafts, and removed when the message is accepted for sending.
import { defineCollection } from '@nocobase/database';

export default defineCollection({
  name: 'mailDrafts',
  dataCategory: 'business',
  migrationRules: ['schema-only', 'overwrite'],
  fields: [
    { type: 'bigInt', name: 'userId', allowNull: false },
    { type: 'bigInt', name: 'accountId', allowNull: false },
    { type: 'string', name: 'mode', defaultValue: 'new' },
    { type: 'bigInt', name: 'sourceMessageId' },
    // As typed ("Name <address>"): a draft may hold an address that is not valid yet.
    { type: 'json', name: 'to' },
    { type: 'json', name: 'cc' },
    { type: 'json', name: 'bcc' },
    { type: 'text', name: 'subject' },
    { type: 'text', name: 'html', length: 'long' },
    { type: 'text', name: 'text', length: 'long' },
    // mailUploads ids, and forwarded attachments [{ remoteId }].
    { type: 'json', name: 'uploads' },
    { type: 'json', name: 'forwarded' },
    { type: 'boolean', name: 'perRecipient', defaultValue: false },
    // Last: NocoBase indexes a belongsTo's key as it adds the field, and then drops every
    // declared index that names a field not defined yet (the unique key above included).
    { type: 'belongsTo', name: 'user', target: 'users', foreignKey: 'userId', onDelete: 'CASCADE' },
    { type: 'belongsTo', name: 'account', target: 'mailAccounts', foreignKey: 'accountId', onDelete: 'CASCADE' },
  ],
  indexes: [{ fields: ['userId', 'updatedAt'] }],
});
