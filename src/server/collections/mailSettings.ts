// Settings of the email manager as a whole (one row), edited in Settings → "Email settings".
import { defineCollection } from '@nocobase/database';

export default defineCollection({
  name: 'mailSettings',
  dataCategory: 'system',
  migrationRules: ['overwrite', 'schema-only'],
  fields: [
    // Minutes between two scheduled syncs of an account; null = the plugin's default (5).
    { type: 'integer', name: 'syncIntervalMinutes' },
  ],
});
