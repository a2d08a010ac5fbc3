// The packed .tgz in a stock NocoBase, the way an admin installs it: upload, then enable.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import { callbackValues, consent } from '../server/helpers/consent';
import { launch, screenshot, signIn } from './browser';
import { api, apiToken, Host, nocobase, PACKAGE_NAME, prepareHost, remove, start } from './host';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pack } = require('../../scripts/pack.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sandboxSettings } = require('../../scripts/demo.js');

/** Polls `check` until it returns a value, as the host restarts itself after adding a plugin. */
async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 90000): Promise<T> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`gave up after ${timeoutMs / 1000}s: ${last}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe('the packed plugin in a stock NocoBase', () => {
  let prepared: Awaited<ReturnType<typeof prepareHost>>;
  let host: Host;
  let browser: Browser;
  let tgz: string;
  let sandbox: Sandbox;

  beforeAll(async () => {
    tgz = await pack();
    sandbox = await startSandbox({ seed: 5, size: 30 });
    prepared = await prepareHost({ withPlugin: false, env: { NODE_EXTRA_CA_CERTS: sandbox.certFile } });
    await nocobase(['install'], prepared.env);
    host = await start(prepared);
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await sandbox?.stop();
    if (prepared) remove(prepared.dir);
  });

  it('ships the built plugin only: no sources, tests or provider sandbox', () => {
    const files = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).trim().split('\n');
    expect(files).toContain('package/dist/server/index.js');
    expect(files).toContain('package/dist/client/index.js');
    expect(files.filter((f) => /^package\/(src|sandbox|__tests__|bench|scripts)\//.test(f))).toEqual([]);
  });

  it('does not know the plugin before it is uploaded', async () => {
    const token = await apiToken(host.url, prepared.env);
    const plugins = await api(host.url, token, 'pm:list');
    expect(plugins.map((p: { packageName: string }) => p.packageName)).not.toContain(PACKAGE_NAME);
  });

  it('accepts the .tgz through Plugin manager → Add & Update, then enables it', async () => {
    const token = await apiToken(host.url, prepared.env);
    const form = new FormData();
    form.append('file', new Blob([fs.readFileSync(tgz)]), path.basename(tgz));
    await api(host.url, token, 'pm:add', { method: 'POST', body: form });

    const added = await eventually(async () => {
      const plugins = await api(host.url, await apiToken(host.url, prepared.env), 'pm:list');
      return plugins.find((p: { packageName: string }) => p.packageName === PACKAGE_NAME);
    });
    expect(added).toMatchObject({ name: 'email-manager', displayName: 'Email manager', enabled: false });
    // It was unpacked into the host's storage, not resolved from this checkout.
    expect(fs.realpathSync(path.join(prepared.env.NODE_MODULES_PATH, PACKAGE_NAME))).toBe(
      path.join(prepared.storage, 'plugins', PACKAGE_NAME),
    );

    await api(host.url, await apiToken(host.url, prepared.env), 'pm:enable?filterByTk=email-manager&awaitResponse=true', { method: 'POST' });
    const enabled = await eventually(async () => {
      const plugin = await api(host.url, await apiToken(host.url, prepared.env), 'pm:get/email-manager');
      return plugin?.enabled ? plugin : undefined;
    });
    expect(enabled).toMatchObject({ installed: true, isCompatible: true });
  });

  it('serves its settings page from the uploaded bundle', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, host.url, prepared.env);
    await page.goto(`${host.url}/admin/settings/mail`);
    await page.getByText('No mail provider is configured yet').waitFor();
    await screenshot(page, 'email-settings.uploaded');
  });

  it('links a Gmail and an Outlook account with the libraries bundled in the tarball', async () => {
    const token = await apiToken(host.url, prepared.env);
    const json = { 'content-type': 'application/json' };
    const settings = sandboxSettings(sandbox);
    for (const name of ['google', 'microsoft']) {
      await api(host.url, token, `mailProviders:update?filterByTk=${name}`, { method: 'POST', headers: json, body: JSON.stringify(settings[name]) });
    }
    const redirectUri = `${host.url}/admin/settings/mail/oauth2`;
    for (const [provider, email] of [['google', 'alice@example.com'], ['microsoft', 'carol@contoso.example']]) {
      const { url } = await api(host.url, token, 'mailAccounts:authorize', { method: 'POST', headers: json, body: JSON.stringify({ provider, redirectUri }) });
      const back = await consent(url, email);
      const result = await api(host.url, token, 'mailAccounts:callback', { method: 'POST', headers: json, body: JSON.stringify(callbackValues(back)) });
      expect(result).toMatchObject({ created: true, account: { provider, address: email, status: expect.any(String) } });
    }
    const accounts = await api(host.url, token, 'mailAccounts:list');
    expect(accounts.map((a: { address: string }) => a.address).sort()).toEqual(['alice@example.com', 'carol@contoso.example']);
  });
});
