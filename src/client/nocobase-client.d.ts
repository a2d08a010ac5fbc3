// @nocobase/client 2.x cannot be installed here (see shared/ENVIRONMENT.md); the browser
// host provides it at run time. These are the few parts of it this plugin uses, checked
// against nocobase/nocobase packages/core/client (application/*, api-client, PinnedPluginList).
// Only src/client/host.ts imports the module, so tests can stand in for it.
declare module '@nocobase/client' {
  import type { ComponentType, ReactNode } from 'react';

  export interface PluginSettingOptions {
    title: string;
    icon?: string;
    Component?: ComponentType;
    aclSnippet?: string;
    sort?: number;
  }

  /** Axios request config plus the host's flags (`skipNotify`: no error notification of its own). */
  export interface RequestOptions {
    url: string;
    method?: 'get' | 'post';
    params?: Record<string, unknown>;
    data?: unknown;
    skipNotify?: boolean;
  }

  /** The host's APIClient (an axios wrapper); only `request` is used. */
  export interface APIClient {
    request<T = unknown>(options: RequestOptions): Promise<{ data: T }>;
  }

  /** A react-router route object; `name` dots nest routes ('admin.x' renders inside 'admin'). */
  export interface RouteType {
    path?: string;
    Component?: ComponentType | string;
  }

  export interface Application {
    pluginSettingsManager: {
      add(name: string, options: PluginSettingOptions): void;
      /** True when the current role may open the settings page `name` (its ACL snippet). */
      has(name: string): boolean;
    };
    router: {
      add(name: string, route: RouteType): void;
    };
    /** Wraps the app (inside the router) in a provider. */
    use(component: ComponentType<{ children?: ReactNode }>, props?: unknown): void;
    /** The app's public path, with a trailing slash ('/' or '/nocobase/'). */
    getPublicPath(): string;
  }

  export class Plugin {
    app: Application;
    afterAdd(): Promise<void>;
    beforeLoad(): Promise<void>;
    load(): Promise<void>;
  }

  export interface PinnedPluginItem {
    order: number;
    /** A component name registered with the host, or (2.x) the component itself. */
    component: string | ComponentType;
    pin?: boolean;
    /** ACL snippet that must be allowed; '*' shows it to everyone signed in. */
    snippet?: string;
  }

  export const PinnedPluginListProvider: ComponentType<{ items: Record<string, PinnedPluginItem>; children?: ReactNode }>;

  export function useAPIClient(): APIClient;
  export function useApp(): Application;
  /** The router's navigate (paths are relative to the app's base path). */
  export function useNavigateNoUpdate(): ((to: string, options?: { replace?: boolean }) => void) | null;
}
