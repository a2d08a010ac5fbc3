import { Plugin } from '@nocobase/server';
import { PACKAGE_NAME, SETTINGS_RESOURCES, SETTINGS_SNIPPET } from '../shared/constants';
import { ignoreRoleStrategyFor } from './actions/acl';
import { ACCOUNT_ACTIONS, mailAccountsResource } from './actions/mailAccounts';
import { mailProvidersResource } from './actions/mailProviders';
import { redactSecretParams } from './actions/redact-params';
import mailAccounts from './collections/mailAccounts';
import mailFolders from './collections/mailFolders';
import mailMessages from './collections/mailMessages';
import mailOAuthStates from './collections/mailOAuthStates';
import mailProviders from './collections/mailProviders';
import mailSyncRuns from './collections/mailSyncRuns';
import mailThreads from './collections/mailThreads';
import { createServices, type Services } from './services';

/** Lifecycle only: the collections, actions and jobs it wires live in their own folders. */
export class PluginEmailManagerServer extends Plugin {
  services: Services;

  async beforeLoad() {
    // The host imports dist/server/collections itself when the plugin has a package name it
    // can resolve. A plugin added as a class (tests) has none, so it defines them here, from
    // the same modules: db.import({ directory }) cannot be used for that, because under
    // vitest @nocobase/utils loads each file with a native import(), which refuses .ts files.
    if (!this.options.packageName) {
      const collections = [mailProviders, mailAccounts, mailOAuthStates, mailFolders, mailMessages, mailThreads, mailSyncRuns];
      for (const collection of collections) this.db.collection({ ...collection, origin: PACKAGE_NAME });
    }
  }

  async load() {
    // Provider credentials are admin-only: a role sees Settings → "Email settings"
    // and may use its resources only when granted this snippet.
    this.app.acl.registerSnippet({
      name: SETTINGS_SNIPPET,
      actions: SETTINGS_RESOURCES.map((resource) => `${resource}:*`),
    });
    // Every signed-in user links and manages their own mailboxes (the actions scope to them).
    this.app.acl.allow('mailAccounts', ACCOUNT_ACTIONS, 'loggedIn');
    this.app.acl.use(ignoreRoleStrategyFor(['mailAccounts']), { tag: 'emailManagerOwnScope', after: 'allow-manager', before: 'core' });

    // Plugin option gmailQuotaUnitsPerMinute: Gmail's per-user quota the sync paces to (default 15,000; 0 = no pacing).
    this.services = createServices(this.app, this.log, {
      sync: { intervalMinutes: this.options.syncIntervalMinutes },
      providers: { gmailQuotaUnitsPerMinute: this.options.gmailQuotaUnitsPerMinute },
    });
    this.app.resourceManager.define(mailProvidersResource(this.services.settings, this.log));
    this.app.resourceManager.define(mailAccountsResource(this.services));
    this.app.use(redactSecretParams(), { tag: 'emailManagerRedactParams', after: 'logger', before: 'dataSource' });

    // Covers installs that predate a provider row; cheap and idempotent.
    this.app.on('afterStart', () => this.services.settings.ensureRows());
    // Every node runs the schedule; the database lease keeps an account to one node at a time.
    // Plugin options: syncIntervalMinutes (default 5, at least 1), syncSchedule: false to turn it off.
    if (this.options.syncSchedule !== false) {
      this.app.on('afterStart', () => this.services.scheduler.start());
      this.app.on('beforeStop', () => this.services.scheduler.stop());
    }
  }

  async install() {
    await createServices(this.app, this.log).settings.ensureRows();
  }
}
