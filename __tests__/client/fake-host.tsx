// Stands in for src/client/host.ts, i.e. for the parts of @nocobase/client the plugin uses
// (the module exists only inside the browser host). Tests point it at a FakeMailServer.
import React from 'react';
import { vi } from 'vitest';
import type { APIClient, PinnedPluginItem } from '../../src/client/host';

export const host = {
  api: undefined as unknown as APIClient,
  publicPath: '/',
  /** Whether the current role may open Settings → Email settings. */
  canOpenSettings: true,
  navigate: vi.fn(),
};

export function createApp() {
  return {
    getPublicPath: () => host.publicPath,
    pluginSettingsManager: { add: vi.fn(), has: vi.fn(() => host.canOpenSettings) },
    router: { add: vi.fn() },
    use: vi.fn(),
  };
}

const app = createApp();

export const useAPIClient = () => host.api;
export const useApp = () => app;
export const useNavigateNoUpdate = () => host.navigate;

/** Renders the pinned items in place, as the host's top bar does. */
export function PinnedPluginListProvider({ items, children }: { items: Record<string, PinnedPluginItem>; children?: React.ReactNode }) {
  return (
    <>
      {Object.entries(items).map(([key, item]) => {
        const Component = item.component as React.ComponentType;
        return <Component key={key} />;
      })}
      {children}
    </>
  );
}

export class Plugin {
  app: ReturnType<typeof createApp>;
  constructor(_options?: unknown, appInstance?: ReturnType<typeof createApp>) {
    this.app = appInstance ?? createApp();
  }
  async afterAdd() {}
  async beforeLoad() {}
  async load() {}
}
