// Settings of the email manager as a whole (one row), edited in Settings → "Email settings".
import { defineCollection } from '@nocobase/database';

export default defineCollection({
  name: 'mailSettings',
  dataCategory: 'system',
  migrationRules: ['overwrite', 'schema-only'],
  fields: [
    // Minutes between two scheduled syncs of an account; null = the plugin's default (5).
    { type: 'integer', name: 'syncIntervalMinutes' },
    // Names of the roles whose users may read every user's mail (root always may). No
    // defaultValue on this JSON column (see mailMessages): unset reads as none.
    { type: 'json', name: 'allMailRoles' },
  ],
});
