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
    /** 'blob' for file downloads (attachments), which need the auth header the host adds. */
    responseType?: 'json' | 'blob';
    /** Extra headers (an upload's Content-Type). */
    headers?: Record<string, string>;
    /** axios upload progress, for the composer's attachment bars. */
    onUploadProgress?: (event: { loaded: number; total?: number }) => void;
    signal?: AbortSignal;
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

// Flow engine (NocoBase 2.x blocks and actions): the host's @nocobase/client re-exports the
// model classes of @nocobase/client-v2 (checked in the 2.2.15 browser: the same classes).
declare module '@nocobase/client' {
  import type { ComponentType, ReactNode } from 'react';

  /** What a flow step's handler, uiSchema and defaultParams receive (the parts this plugin reads). */
  export interface FlowContext {
    model: FlowModelBase & { context?: FlowContext };
    t?: (key: string, options?: Record<string, unknown>) => string;
    message?: { warning(text: string): void };
    /** The block an action sits in; a table block's resource knows the selected rows. */
    blockModel?: {
      resource?: { getSelectedRows?(): Array<Record<string, unknown>> };
      collection?: { getFields?(): Array<{ name: string; title?: string; interface?: string; type?: string; uiSchema?: { title?: string } }> };
    };
    /** Resolves {{ctx.…}} expressions in a value. */
    resolveJsonTemplate?(template: unknown): Promise<unknown>;
  }

  export interface FlowStepDefinition {
    title?: string;
    uiSchema?: Record<string, unknown> | ((ctx: FlowContext) => Record<string, unknown>);
    defaultParams?: Record<string, unknown> | ((ctx: FlowContext) => Record<string, unknown>);
    handler(ctx: FlowContext, params: Record<string, unknown>): void | Promise<void>;
  }

  export interface FlowDefinition {
    key: string;
    title?: string;
    /** An event ('click' …); without one the flow runs before the model renders. */
    on?: string;
    steps: Record<string, FlowStepDefinition>;
  }

  /** Menu entry of a model class: Add block / Actions show `label`. */
  export interface FlowModelMeta {
    label: string;
    icon?: string;
    sort?: number;
    hide?: boolean;
  }

  export class FlowModelBase {
    uid: string;
    props: Record<string, unknown>;
    context: FlowContext;
    setProps(props: Record<string, unknown>): void;
    static define(meta: FlowModelMeta): void;
    static registerFlow(flow: FlowDefinition): void;
  }

  export class BlockModel extends FlowModelBase {
    renderComponent(): ReactNode;
  }

  export class ActionModel extends FlowModelBase {
    defaultProps: Record<string, unknown>;
    getAclActionName(): string;
  }

  /** Where an action is offered: on the block (collection) or on each record. */
  export const ActionSceneEnum: { collection: string; record: string; both: string[]; all: string[] };

  /** A text input with the flow context's variable picker ("Current popup record" …). */
  export const TextAreaWithContextSelector: ComponentType<Record<string, unknown>>;

  export interface FlowEngine {
    registerModels(models: Record<string, unknown>): void;
  }

  export interface Application {
    /** 2.x: the flow engine whose models make up Modern pages. */
    flowEngine?: FlowEngine;
  }
}
