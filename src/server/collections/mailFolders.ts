// A mailbox's folders (Gmail labels, Graph mail folders) as the provider last listed them.
// Messages point at folders by remote id (mailMessages.folderIds), so a folder can be renamed
// or re-parented at the provider without touching any message.
import { defineCollection } from '@nocobase/database';

export default defineCollection({
  name: 'mailFolders',
  dataCategory: 'business',
  migrationRules: ['schema-only', 'overwrite'],
  fields: [
    { type: 'bigInt', name: 'accountId', allowNull: false },
    { type: 'string', name: 'remoteId', length: 512, allowNull: false },
    { type: 'text', name: 'name' },
    // inbox | sent | drafts | starred | archive | spam | trash | custom (shared/folders.ts)
    { type: 'string', name: 'kind', defaultValue: 'custom' },
    { type: 'string', name: 'parentRemoteId', length: 512 },
    // Last: with DB_UNDERSCORED=true, NocoBase rebuilds the table's index list when it adds a
    // belongsTo's foreign-key index, and keeps only indexes whose fields are defined by then;
    // declared before the fields above, it dropped the indexes naming them (schema.test.ts).
    // Deleting an account through the repository cascades here (NocoBase emulates onDelete in
    // beforeDestroy); accounts/remove.ts deletes in bulk first so the cascade finds nothing.
    { type: 'belongsTo', name: 'account', target: 'mailAccounts', foreignKey: 'accountId', onDelete: 'CASCADE' },
  ],
  // The first one starts with accountId, so the belongsTo adds no second index on accountId alone (camelCase columns).
  indexes: [{ unique: true, fields: ['accountId', 'remoteId'] }],
});
