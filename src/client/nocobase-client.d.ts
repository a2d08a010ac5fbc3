// @nocobase/client 2.x cannot be installed here (see shared/ENVIRONMENT.md); the browser
// host provides it at run time. These are the few parts of it this plugin uses.
declare module '@nocobase/client' {
  import type { ComponentType } from 'react';

  export interface PluginSettingOptions {
    title: string;
    icon?: string;
    Component?: ComponentType;
    aclSnippet?: string;
    sort?: number;
  }

  export interface Application {
    pluginSettingsManager: {
      add(name: string, options: PluginSettingOptions): void;
    };
  }

  export class Plugin {
    app: Application;
    afterAdd(): Promise<void>;
    beforeLoad(): Promise<void>;
    load(): Promise<void>;
  }
}
