import { Plugin } from '@nocobase/server';
import { SETTINGS_RESOURCES, SETTINGS_SNIPPET } from '../shared/constants';

/** Lifecycle only: the collections, actions and jobs it wires live in their own folders. */
export class PluginEmailManagerServer extends Plugin {
  async load() {
    // Provider credentials are admin-only: a role sees Settings → "Email settings"
    // and may use its resources only when granted this snippet.
    this.app.acl.registerSnippet({
      name: SETTINGS_SNIPPET,
      actions: SETTINGS_RESOURCES.map((resource) => `${resource}:*`),
    });
  }
}
