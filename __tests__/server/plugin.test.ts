import { createMockServer, MockServer } from '@nocobase/test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import PluginEmailManagerServer from '../../src/server';
import { SETTINGS_SNIPPET } from '../../src/shared/constants';

describe('plugin lifecycle', () => {
  let app: MockServer;

  beforeEach(async () => {
    app = await createMockServer({
      plugins: ['field-sort', 'users', 'auth', 'acl', 'data-source-manager', [PluginEmailManagerServer, { name: 'email-manager' }]],
    });
  });

  afterEach(async () => {
    await app?.destroy();
  });

  it('loads and is enabled in a real NocoBase server', async () => {
    const plugin = app.pm.get(PluginEmailManagerServer);
    expect(plugin).toBeInstanceOf(PluginEmailManagerServer);
    expect(plugin.enabled).toBe(true);
    expect(app.pm.get('email-manager')).toBe(plugin);
  });

  it('registers the settings ACL snippet covering provider settings', async () => {
    const snippet = app.acl.snippetManager.snippets.get(SETTINGS_SNIPPET);
    expect(snippet?.actions).toEqual(['mailProviders:*', 'mailSettings:*']);
  });

  it('lets a role manage provider settings only when it holds the settings snippet', async () => {
    // Two roles that differ only by the snippet; neither has a data strategy that could allow it.
    const roles = app.db.getRepository('roles');
    await roles.create({ values: { name: 'mailAdmins', snippets: [SETTINGS_SNIPPET], strategy: { actions: [] } } });
    await roles.create({ values: { name: 'clerks', snippets: [], strategy: { actions: [] } } });
    for (const action of ['list', 'update']) {
      expect(app.acl.can({ role: 'mailAdmins', resource: 'mailProviders', action })).toBeTruthy();
      expect(app.acl.can({ role: 'clerks', resource: 'mailProviders', action })).toBeFalsy();
    }
  });
});
