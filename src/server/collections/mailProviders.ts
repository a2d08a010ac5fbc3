// Provider settings, one row per provider (google, microsoft), created disabled and empty.
// The client secret is stored encrypted with app.aesEncryptor and no API ever returns it.
import { defineCollection } from '@nocobase/database';

export default defineCollection({
  name: 'mailProviders',
  dataCategory: 'system',
  // Backups and migrations carry settings; the secret stays encrypted with the app's key.
  migrationRules: ['overwrite', 'schema-only'],
  fields: [
    { type: 'string', name: 'name', unique: true, allowNull: false },
    { type: 'boolean', name: 'enabled', defaultValue: false },
    { type: 'string', name: 'clientId', defaultValue: '' },
    // Encrypted; `hidden` keeps it out of any generic serialisation of the record.
    { type: 'text', name: 'clientSecret', hidden: true },
    { type: 'json', name: 'options', defaultValue: {} },
  ],
});
