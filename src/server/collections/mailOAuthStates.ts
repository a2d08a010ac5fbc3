// Pending OAuth authorizations. The state travels through the browser and the provider, so only
// its SHA-256 is kept; it is bound to the user who started it, expires after 10 minutes and is
// deleted when used. The PKCE code verifier never leaves the server and is stored encrypted.
import { defineCollection } from '@nocobase/database';

export default defineCollection({
  name: 'mailOAuthStates',
  dataCategory: 'system',
  // Ten-minute records: nothing worth carrying into a backup.
  dumpRules: 'skipped',
  migrationRules: ['schema-only'],
  fields: [
    { type: 'string', name: 'stateHash', unique: true, allowNull: false },
    { type: 'bigInt', name: 'userId', allowNull: false },
    { type: 'string', name: 'provider', allowNull: false },
    // Set when reconnecting an existing account.
    { type: 'bigInt', name: 'accountId' },
    { type: 'text', name: 'codeVerifier', hidden: true },
    { type: 'text', name: 'redirectUri' },
    // Where the new account's first sync starts: an ISO time, or 'all'.
    { type: 'string', name: 'syncFrom' },
    { type: 'date', name: 'expiresAt', allowNull: false },
  ],
});
