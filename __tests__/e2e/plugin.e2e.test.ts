// The plugin in a real NocoBase 2.2.15, in a real Chromium: what an admin sees after `npm start`.
import { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, screenshot, signIn } from './browser';
import { api, apiToken, Host, PACKAGE_NAME, prepareHost, remove, start, startWithPlugin } from './host';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { build } = require('../../scripts/build.js');

describe('Email manager in a real NocoBase host', () => {
  let prepared: Awaited<ReturnType<typeof prepareHost>>;
  let host: Host;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await build();
    ({ prepared, host } = await startWithPlugin());
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, host.url, prepared.env);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    if (prepared) remove(prepared.dir);
  });

  it('is listed as "Email manager" and enabled in the plugin manager', async () => {
    await page.goto(`${host.url}/admin/pm/list/local`);
    await page.getByPlaceholder('Search plugin').fill('Email manager');
    const card = page.locator('.ant-card').filter({ has: page.getByText('Email manager', { exact: true }) });
    await card.first().waitFor();
    expect(await card.locator('.ant-switch').first().getAttribute('aria-checked')).toBe('true');
  });

  it('adds Settings → "Email settings" at /admin/settings/mail', async () => {
    await page.goto(`${host.url}/admin/settings/mail`);
    await page.getByText('No mail provider is configured yet').waitFor();
    await expect(page.getByRole('menuitem', { name: 'Email settings' }).count()).resolves.toBeGreaterThan(0);
    await expect(page.getByText('Mail providers').count()).resolves.toBe(1);
    await screenshot(page, 'email-settings');
  });

  it.each([
    ['zh-CN', '邮件设置', '尚未配置邮件服务商'],
    ['nl-NL', 'E-mailinstellingen', 'Er is nog geen e-mailprovider ingesteld'],
  ])('speaks %s', async (locale, menu, empty) => {
    // As an admin does in System settings: a language must be enabled before users can pick it.
    const token = await apiToken(host.url, prepared.env);
    await api(host.url, token, 'systemSettings:update?filterByTk=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enabledLanguages: ['en-US', 'zh-CN', 'nl-NL'] }),
    });
    await page.evaluate((value) => localStorage.setItem('NOCOBASE_LOCALE', value), locale);
    await page.goto(`${host.url}/admin/settings/mail`);
    await page.getByText(empty).waitFor();
    await expect(page.getByRole('menuitem', { name: menu }).count()).resolves.toBeGreaterThan(0);
    await screenshot(page, `email-settings.${locale}`);
    await page.evaluate(() => localStorage.setItem('NOCOBASE_LOCALE', 'en-US'));
  });

  it('keeps its data and the plugin enabled across a restart', async () => {
    const token = await apiToken(host.url, prepared.env);
    await api(host.url, token, 'users:create', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nickname: 'Restart Check', email: 'restart-check@example.com', password: 'restart-check-1' }),
    });
    await host.stop();
    host = await start(prepared);
    const again = await apiToken(host.url, prepared.env);
    const users = await api(host.url, again, 'users:list?filter=' + encodeURIComponent(JSON.stringify({ email: 'restart-check@example.com' })));
    expect(users.map((u: { nickname: string }) => u.nickname)).toEqual(['Restart Check']);
    const plugin = await api(host.url, again, 'pm:get/email-manager');
    expect(plugin).toMatchObject({ packageName: PACKAGE_NAME, enabled: true, installed: true });
  });
});
