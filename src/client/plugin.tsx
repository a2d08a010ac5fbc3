import { Plugin } from '@nocobase/client';
import { NAMESPACE, SETTINGS_KEY, SETTINGS_SNIPPET } from '../shared/constants';
import { EmailSettingsPage } from './settings/EmailSettingsPage';

/** Registration only: pages, routes and blocks are defined in their own folders. */
export class PluginEmailManagerClient extends Plugin {
  async load() {
    this.app.pluginSettingsManager.add(SETTINGS_KEY, {
      // Compiled by the host at render time, so it follows the user's language.
      title: `{{t("Email settings", { ns: "${NAMESPACE}" })}}`,
      icon: 'MailOutlined',
      Component: EmailSettingsPage,
      aclSnippet: SETTINGS_SNIPPET,
    });
  }
}
