// Upgrades from a version without the trigram search index get it here (a fresh install gets it
// in the plugin's install()). Idempotent: it creates only what is missing, and does nothing
// off PostgreSQL. See mail/search-index.ts.
import { Migration } from '@nocobase/server';
import { ensureSearchIndex } from '../mail/search-index';

export default class MailSearchIndexMigration extends Migration {
  on = 'afterLoad';
  appVersion = '<2.3.0';

  async up() {
    await ensureSearchIndex(this.db, this.plugin?.log ?? this.app.log);
  }
}
