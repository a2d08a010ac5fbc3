// Files a user attached in the composer. The bytes are in the app's storage folder
// (send/uploads.ts), under a random name; this row says whose file it is and what it is.
import { defineCollection } from '@nocobase/database';

export default defineCollection({
  name: 'mailUploads',
  dataCategory: 'business',
  migrationRules: ['schema-only', 'overwrite'],
  autoGenId: false,
  fields: [
    { type: 'uuid', name: 'id', primaryKey: true },
    { type: 'bigInt', name: 'userId', allowNull: false },
    { type: 'string', name: 'filename', length: 512 },
    { type: 'string', name: 'contentType' },
    { type: 'bigInt', name: 'size', defaultValue: 0 },
    // Last: NocoBase indexes a belongsTo's key as it adds the field, and then drops every
    // declared index that names a field not defined yet (the unique key above included).
    { type: 'belongsTo', name: 'user', target: 'users', foreignKey: 'userId', onDelete: 'CASCADE' },
  ],
  indexes: [{ fields: ['userId'] }],
});
