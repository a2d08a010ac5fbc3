import { NAMESPACE, SETTINGS_KEY, SETTINGS_SNIPPET } from '../shared/constants';
import { OAUTH_CALLBACK_PATH } from '../shared/types';
import { MailComposerProvider } from './blocks/MailDrawers';
import { registerMailBlocks } from './blocks/models';
import { EmailCenterPage } from './center/EmailCenterPage';
import { Plugin } from './host';
import { EMAIL_CENTER_ROUTE } from './navigation';
import { OAuthCallbackPage } from './oauth/OAuthCallbackPage';
import { EmailSettingsPage } from './settings/EmailSettingsPage';
import { MailTopBarProvider } from './topbar/MailTopBarProvider';

/** Registration only: pages, routes and blocks are defined in their own folders. */
export class PluginEmailManagerClient extends Plugin {
  async load() {
    // Settings → "Email settings" at /admin/settings/mail, for roles holding SETTINGS_SNIPPET.
    this.app.pluginSettingsManager.add(SETTINGS_KEY, {
      // Compiled by the host at render time, so it follows the user's language.
      title: `{{t("Email settings", { ns: "${NAMESPACE}" })}}`,
      icon: 'MailOutlined',
      Component: EmailSettingsPage,
      aclSnippet: SETTINGS_SNIPPET,
    });

    // Plain routes under 'admin' (inside the admin layout, signed-in users only, no settings
    // ACL): static paths outrank the host's '/admin/:name' and '/admin/settings/*' routes.
    this.app.router.add('admin.email-manager-center', { path: EMAIL_CENTER_ROUTE, Component: EmailCenterPage });
    // Where Google and Microsoft return every user, admin or not.
    this.app.router.add('admin.email-manager-oauth2', { path: `/${OAUTH_CALLBACK_PATH}`, Component: OAuthCallbackPage });

    this.app.use(MailTopBarProvider);

    // 2.x pages: the "Email messages" block and the tables' "Send email" action (blocks/).
    if (this.app.flowEngine) registerMailBlocks(this.app.flowEngine);
    this.app.use(MailComposerProvider);
  }
}
