// Sending, tracked: one row per message to send (a per-recipient send makes one per recipient,
// sharing a bulkId). Written only by send/outbox.ts; the status machine is in send/relay.ts.
import { defineCollection } from '@nocobase/database';

export default defineCollection({
  name: 'mailOutbox',
  dataCategory: 'business',
  migrationRules: ['schema-only', 'overwrite'],
  fields: [
    { type: 'bigInt', name: 'userId', allowNull: false },
    { type: 'bigInt', name: 'accountId', allowNull: false },
    // The client's key for this message (per recipient: key#n). Unique per user: a repeated
    // request finds the rows it made the first time instead of sending again.
    { type: 'string', name: 'idempotencyKey', length: 128, allowNull: false },
    { type: 'string', name: 'bulkId', length: 128 },
    // new | reply | replyAll | forward
    { type: 'string', name: 'mode', defaultValue: 'new' },
    { type: 'bigInt', name: 'sourceMessageId' },
    // pending | sending | sent | failed | unknown (shared/send.ts OUTBOX_STATUSES)
    { type: 'string', name: 'status', defaultValue: 'pending' },
    { type: 'json', name: 'to' },
    { type: 'json', name: 'cc' },
    { type: 'json', name: 'bcc' },
    { type: 'text', name: 'subject' },
    { type: 'text', name: 'html', length: 'long' },
    { type: 'text', name: 'text', length: 'long' },
    // [{ id, filename, contentType, size }] of mailUploads, and [{ remoteId, filename, size }] forwarded.
    { type: 'json', name: 'uploads' },
    { type: 'json', name: 'forwarded' },
    { type: 'string', name: 'messageId', length: 512 },
    { type: 'string', name: 'providerMessageId', length: 512 },
    { type: 'integer', name: 'attempts', defaultValue: 0 },
    { type: 'date', name: 'nextAttemptAt' },
    // When the row went to 'sending': a row left there by a dead node turns 'unknown' after a while.
    { type: 'date', name: 'claimedAt' },
    { type: 'date', name: 'sentAt' },
    // { code, message }: safe to show (never a token or request).
    { type: 'json', name: 'error' },
    // The draft the send replaces: deleted once the message is accepted.
    { type: 'bigInt', name: 'draftId' },
    // Last: NocoBase indexes a belongsTo's key as it adds the field, and then drops every
    // declared index that names a field not defined yet (the unique key above included).
    { type: 'belongsTo', name: 'user', target: 'users', foreignKey: 'userId', onDelete: 'CASCADE' },
    { type: 'belongsTo', name: 'account', target: 'mailAccounts', foreignKey: 'accountId', onDelete: 'CASCADE' },
  ],
  indexes: [
    { fields: ['userId', 'idempotencyKey'], unique: true },
    { fields: ['status', 'nextAttemptAt'] },
    { fields: ['userId', 'bulkId'] },
  ],
});
