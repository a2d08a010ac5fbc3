// A linked mailbox: it belongs to one user, who alone may see or change it. The token blob is
// encrypted with app.aesEncryptor and never leaves the server (DTOs are built by hand).
import { defineCollection } from '@nocobase/database';

export default defineCollection({
  name: 'mailAccounts',
  dataCategory: 'business',
  migrationRules: ['schema-only', 'overwrite'],
  fields: [
    { type: 'bigInt', name: 'userId', allowNull: false },
    { type: 'belongsTo', name: 'user', target: 'users', foreignKey: 'userId', onDelete: 'CASCADE' },
    { type: 'string', name: 'provider', allowNull: false },
    // Stored lower-case: addresses compare case-insensitively, and linking twice must match.
    { type: 'string', name: 'address', allowNull: false },
    { type: 'string', name: 'displayName' },
    // syncing | active | reauth_required | error | disabled (shared/types.ts ACCOUNT_STATUSES)
    { type: 'string', name: 'status', defaultValue: 'active' },
    { type: 'text', name: 'tokens', hidden: true },
    { type: 'date', name: 'syncFrom' },
    { type: 'date', name: 'lastSyncAt' },
    { type: 'text', name: 'lastError' },
    // Sync state (src/server/sync/runner.ts): stage first|incremental, the adapter's opaque
    // cursor, and first-sync progress { done, total }, all written together with each page.
    { type: 'string', name: 'syncStage', defaultValue: 'first' },
    { type: 'json', name: 'syncCursor', hidden: true },
    { type: 'json', name: 'syncProgress' },
    // The cluster lease (src/server/sync/lease.ts): owner node, expiry, and a fencing token
    // that every write of a run is conditional on.
    { type: 'string', name: 'leaseOwner', hidden: true },
    { type: 'bigInt', name: 'leaseToken', defaultValue: 0, hidden: true },
    { type: 'date', name: 'leaseExpiresAt', hidden: true },
  ],
  // One account per mailbox per user: linking the same mailbox again updates it.
  indexes: [{ unique: true, fields: ['userId', 'provider', 'address'] }],
});
