import { Plugin } from '@nocobase/server';
import { PACKAGE_NAME, SETTINGS_RESOURCES, SETTINGS_SNIPPET } from '../shared/constants';
import { closeRawResources, ignoreRoleStrategyFor } from './actions/acl';
import { mailSyncRunsResource, SYNC_RUN_ACTIONS } from './actions/mailSyncRuns';
import { ACCOUNT_ACTIONS, mailAccountsResource } from './actions/mailAccounts';
import { mailProvidersResource, PROVIDER_ACTIONS } from './actions/mailProviders';
import { redactSecretParams } from './actions/redact-params';
import { mailSettingsResource, SETTINGS_ACTIONS } from './actions/mailSettings';
import { FOLDER_ACTIONS, mailFoldersResource } from './actions/mailFolders';
import { MESSAGE_ACTIONS, mailMessagesResource } from './actions/mailMessages';
import { mailThreadsResource, THREAD_ACTIONS } from './actions/mailThreads';
import { DRAFT_ACTIONS, mailDraftsResource, mailOutboxResource, mailUploadsResource, OUTBOX_ACTIONS, UPLOAD_ACTIONS } from './actions/mailOutbox';
import { ensureSearchIndex } from './mail/search-index';
import { deleteAccountDataOnDestroy } from './accounts/remove';
import mailAccounts from './collections/mailAccounts';
import mailDrafts from './collections/mailDrafts';
import mailFolders from './collections/mailFolders';
import mailMessages from './collections/mailMessages';
import mailOAuthStates from './collections/mailOAuthStates';
import mailOutbox from './collections/mailOutbox';
import mailProviders from './collections/mailProviders';
import mailSettings from './collections/mailSettings';
import mailSyncRuns from './collections/mailSyncRuns';
import mailThreads from './collections/mailThreads';
import mailUploads from './collections/mailUploads';
import { createServices, type Services } from './services';

const COLLECTIONS = [mailProviders, mailSettings, mailAccounts, mailOAuthStates, mailFolders, mailMessages, mailThreads, mailSyncRuns, mailUploads, mailOutbox, mailDrafts];

/** Lifecycle only: the collections, actions and jobs it wires live in their own folders. */
export class PluginEmailManagerServer extends Plugin {
  services: Services;

  async beforeLoad() {
    // The host imports dist/server/collections itself when the plugin has a package name it
    // can resolve. A plugin added as a class (tests) has none, so it defines them here, from
    // the same modules: db.import({ directory }) cannot be used for that, because under
    // vitest @nocobase/utils loads each file with a native import(), which refuses .ts files.
    if (!this.options.packageName) {
      for (const collection of COLLECTIONS) this.db.collection({ ...collection, origin: PACKAGE_NAME });
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
    this.app.acl.allow('mailSyncRuns', SYNC_RUN_ACTIONS, 'loggedIn');
    // Reading mail: every action scopes itself to the user's accounts (or the all-mail grant).
    this.app.acl.allow('mailThreads', THREAD_ACTIONS, 'loggedIn');
    this.app.acl.allow('mailFolders', FOLDER_ACTIONS, 'loggedIn');
    this.app.acl.allow('mailMessages', MESSAGE_ACTIONS, 'loggedIn');
    // Sending: every action acts on the user's own accounts, drafts, uploads and outbox rows.
    this.app.acl.allow('mailOutbox', OUTBOX_ACTIONS, 'loggedIn');
    this.app.acl.allow('mailDrafts', DRAFT_ACTIONS, 'loggedIn');
    this.app.acl.allow('mailUploads', UPLOAD_ACTIONS, 'loggedIn');
    this.app.acl.use(ignoreRoleStrategyFor(['mailAccounts', 'mailSyncRuns', 'mailThreads', 'mailFolders', 'mailMessages', 'mailOutbox', 'mailDrafts', 'mailUploads']), { tag: 'emailManagerOwnScope', after: 'allow-manager', before: 'core' });
    this.app.acl.use(
      closeRawResources(COLLECTIONS.map((c) => c.name), {
        mailAccounts: ACCOUNT_ACTIONS,
        mailSyncRuns: SYNC_RUN_ACTIONS,
        mailThreads: THREAD_ACTIONS,
        mailFolders: FOLDER_ACTIONS,
        mailMessages: MESSAGE_ACTIONS,
        mailOutbox: OUTBOX_ACTIONS,
        mailDrafts: DRAFT_ACTIONS,
        mailUploads: UPLOAD_ACTIONS,
        mailProviders: PROVIDER_ACTIONS,
        mailSettings: SETTINGS_ACTIONS,
      }),
      { tag: 'emailManagerClosedResources', before: 'allow-manager' },
    );

    // Plugin option gmailQuotaUnitsPerMinute: Gmail's per-user quota the sync paces to (default 15,000; 0 = no pacing).
    // Plugin option mimeWorkers: threads that parse mail (default cores − 1, 1 to 4; 0 = in-process).
    await this.services?.mimePool.stop();
    this.services = createServices(this.app, this.log, {
      sync: { intervalMinutes: this.options.syncIntervalMinutes },
      providers: { gmailQuotaUnitsPerMinute: this.options.gmailQuotaUnitsPerMinute },
      mimeWorkers: this.options.mimeWorkers,
      // Plugin options maxAttachmentMB, maxBulkRecipients, sendPerMinute, sendRetryBaseMs, sendTickMs, uploadsDir.
      send: this.options,
      syncAfterSend: this.options.syncSchedule !== false,
    });
    // No worker thread outlives the app (a restart starts new ones at the next sync).
    this.app.on('beforeStop', () => this.services.mimePool.stop());
    this.app.on('afterDestroy', () => this.services.mimePool.stop());
    this.app.resourceManager.define(mailProvidersResource(this.services.settings, this.log));
    this.app.resourceManager.define(mailAccountsResource({ ...this.services, syncOnLink: this.options.syncSchedule !== false }));
    this.app.resourceManager.define(mailSyncRunsResource(this.log));
    this.app.resourceManager.define(mailThreadsResource(this.services.mail, this.log));
    this.app.resourceManager.define(mailFoldersResource(this.services.mail, this.log));
    this.app.resourceManager.define(mailMessagesResource(this.services.mail, this.log));
    this.app.resourceManager.define(mailSettingsResource(this.services.mailSettings, this.log));
    this.app.resourceManager.define(mailOutboxResource(this.services.send, this.log));
    this.app.resourceManager.define(mailDraftsResource(this.services.send, this.log));
    this.app.resourceManager.define(mailUploadsResource(this.services.send, this.log));
    deleteAccountDataOnDestroy(this.db);
    this.app.use(redactSecretParams(), { tag: 'emailManagerRedactParams', after: 'logger', before: 'dataSource' });

    // Covers installs that predate a provider row; cheap and idempotent.
    this.app.on('afterStart', () => this.services.settings.ensureRows());
    // The outbox sends and retries on every node (a claim keeps each message to one); plugin option sendQueue: false turns it off.
    if (this.options.sendQueue !== false) {
      this.app.on('afterStart', () => this.services.send.queue.start());
      this.app.on('beforeStop', () => this.services.send.queue.stop());
    }
    // Every node runs the schedule; the database lease keeps an account to one node at a time.
    // Plugin options: syncIntervalMinutes (default 5, at least 1), syncSchedule: false to turn it off.
    if (this.options.syncSchedule !== false) {
      this.app.on('afterStart', () => this.services.scheduler.start());
      this.app.on('beforeStop', () => this.services.scheduler.stop());
    }
  }

  async install() {
    await createServices(this.app, this.log).settings.ensureRows();
    // Upgrades get it from migrations/; a fresh install runs no migration.
    await ensureSearchIndex(this.db, this.log);
  }
}
