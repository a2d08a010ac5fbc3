import { cleanup, fireEvent, screen } from '@testing-library/react';
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PluginEmailManagerClient } from '../../src/client/plugin';
import { EmailCenterPage } from '../../src/client/center/EmailCenterPage';
import { OAuthCallbackPage } from '../../src/client/oauth/OAuthCallbackPage';
import { EmailSettingsPage } from '../../src/client/settings/EmailSettingsPage';
import { MailTopBarProvider } from '../../src/client/topbar/MailTopBarProvider';
import { createApp, host } from './fake-host';
import { renderIn } from './render';

vi.mock('../../src/client/host', () => import('./fake-host'));

async function loadPlugin() {
  const app = createApp();
  const plugin = new (PluginEmailManagerClient as unknown as new (options: unknown, app: unknown) => PluginEmailManagerClient)({}, app);
  await plugin.load();
  return app;
}

describe('client plugin registration', () => {
  afterEach(cleanup);

  it('adds Settings → "Email settings" behind the settings ACL snippet', async () => {
    const app = await loadPlugin();
    expect(app.pluginSettingsManager.add).toHaveBeenCalledWith('mail', {
      title: '{{t("Email settings", { ns: "@nocobase/plugin-email-manager" })}}',
      icon: 'MailOutlined',
      Component: EmailSettingsPage,
      aclSnippet: 'pm.email-manager.settings',
    });
  });

  it('adds the Email center and the OAuth landing page as admin routes for every signed-in user', async () => {
    const app = await loadPlugin();
    const routes = Object.fromEntries(app.router.add.mock.calls.map(([name, route]) => [name, route]));
    expect(Object.values(routes)).toEqual(
      expect.arrayContaining([
        { path: '/admin/email', Component: EmailCenterPage },
        { path: '/admin/settings/mail/oauth2', Component: OAuthCallbackPage },
      ]),
    );
    // Children of the host's 'admin' route (its layout), not settings pages (those are ACL-filtered).
    for (const name of Object.keys(routes)) {
      expect(name).toMatch(/^admin\.[^.]+$/);
      expect(name.startsWith('admin.settings')).toBe(false);
    }
  });

  it('puts a mail icon in the top bar that opens the Email center', async () => {
    const app = await loadPlugin();
    expect(app.use).toHaveBeenCalledWith(MailTopBarProvider);
    host.navigate.mockReset();
    await renderIn(<MailTopBarProvider>page</MailTopBarProvider>);
    expect(screen.getByText('page')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Email' }));
    expect(host.navigate).toHaveBeenCalledWith('/admin/email', undefined);
  });
});
