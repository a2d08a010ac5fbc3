// Issue 4 end to end, in the real NocoBase UI: an admin sets up both providers against the
// sandbox, then an ordinary user links a Gmail and an Outlook account by clicking through the
// providers' consent pages, sees both, and deletes one.
import { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import { launch, screenshot, signIn } from './browser';
import { api, apiToken, createMember, Host, prepareHost, remove, startWithPlugin } from './host';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { build } = require('../../scripts/build.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sandboxSettings } = require('../../scripts/demo.js');

const MEMBER = { INIT_ROOT_EMAIL: 'mia@example.org', INIT_ROOT_PASSWORD: 'mia-secret-42' };

describe('linking Gmail and Outlook accounts in the real UI', () => {
  let sandbox: Sandbox;
  let prepared: Awaited<ReturnType<typeof prepareHost>>;
  let host: Host;
  let browser: Browser;
  let admin: BrowserContext;
  let member: BrowserContext;

  beforeAll(async () => {
    await build();
    sandbox = await startSandbox({ seed: 11, size: 40 });
    ({ prepared, host } = await startWithPlugin({ NODE_EXTRA_CA_CERTS: sandbox.certFile }));
    const token = await apiToken(host.url, prepared.env);
    await createMember(host.url, token, 'Mia', MEMBER);
    browser = await launch();
    // The Microsoft sandbox serves a self-signed certificate; the browser is told to accept it.
    admin = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true });
    member = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await sandbox?.stop();
    if (prepared) remove(prepared.dir);
  });

  async function fillProvider(page: Page, name: 'google' | 'microsoft', fields: Record<string, string>) {
    const card = page.getByTestId(`provider-${name}`);
    await card.getByRole('switch').click();
    for (const [label, value] of Object.entries(fields)) {
      if (['Authorization URL', 'Authority URL'].includes(label) && !(await card.getByLabel(label, { exact: true }).isVisible())) {
        await card.getByText('Advanced', { exact: true }).click();
      }
      await card.getByLabel(label, { exact: true }).fill(value);
    }
    await card.getByRole('button', { name: 'Save' }).click();
    await card.getByText('A secret is saved').waitFor();
  }

  it('lets the admin set up Google and Microsoft in Settings → Email settings', async () => {
    const page = await admin.newPage();
    await signIn(page, host.url, prepared.env);
    await page.goto(`${host.url}/admin/settings/mail`);
    await expect(page.getByLabel('Redirect URI').inputValue()).resolves.toBe(`${host.url}/admin/settings/mail/oauth2`);
    const demo = sandboxSettings(sandbox);
    await fillProvider(page, 'google', {
      'Client ID': demo.google.clientId,
      'Client secret': demo.google.clientSecret,
      'Authorization URL': demo.google.options.authorizeUrl,
      'Token URL': demo.google.options.tokenUrl,
      'Gmail API base URL': demo.google.options.apiBaseUrl,
    });
    await fillProvider(page, 'microsoft', {
      'Client ID': demo.microsoft.clientId,
      'Client secret': demo.microsoft.clientSecret,
      'Authority URL': demo.microsoft.options.authorizeUrl,
      'Microsoft Graph base URL': demo.microsoft.options.apiBaseUrl,
    });
    // How often mailboxes are synced: saved for every node.
    const sync = page.getByTestId('sync-settings');
    await sync.getByLabel('Minutes between syncs').fill('10');
    await sync.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Sync settings saved').waitFor();
    await screenshot(page, 'email-settings.configured');

    // Saved on the server, and the secret never comes back.
    const token = await apiToken(host.url, prepared.env);
    expect(await api(host.url, token, 'mailSettings:get')).toMatchObject({ syncIntervalMinutes: 10 });
    const providers = await api(host.url, token, 'mailProviders:list');
    expect(providers.map((p: { name: string; enabled: boolean; clientSecretSet: boolean }) => [p.name, p.enabled, p.clientSecretSet]).sort()).toEqual([
      ['google', true, true],
      ['microsoft', true, true],
    ]);
    expect(JSON.stringify(providers)).not.toContain('sandbox-google-secret');
    expect(JSON.stringify(providers)).not.toContain('sandbox-microsoft-secret');
  });

  it('lets a user link a Gmail and an Outlook account through the consent pages', async () => {
    const page = await member.newPage();
    await signIn(page, host.url, MEMBER);
    await page.goto(`${host.url}/admin/email`);
    await page.getByText('You have not linked a mailbox yet').waitFor();

    await page.getByRole('button', { name: /Link account/ }).first().click();
    await page.getByRole('menuitem', { name: /Google/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Which mail should be brought in?').waitFor();
    await screenshot(page, 'link-account.sync-from');
    await dialog.getByText('The last 3 months').click();
    await dialog.getByRole('button', { name: /Continue to Google/ }).click();
    await page.waitForURL((url) => url.href.startsWith(sandbox.googleUrl));
    await page.getByText('Alice Andersen').click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByText('Linked alice@example.com').waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/email');

    // With a mailbox linked, the Email center keeps the accounts under "Account settings".
    await page.getByRole('button', { name: /Account settings/ }).click();
    await page.getByTestId('mail-accounts').getByRole('button', { name: /Link account/ }).click();
    await page.getByRole('menuitem', { name: /Microsoft/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: /Continue to Microsoft/ }).click();
    // Alice's first sync runs in the host meanwhile; on a loaded 2-core CI machine the authorize
    // answer (msal's authority discovery) once took longer than the default 30 s. Should it fail
    // instead, the error the page shows is in the failure message.
    await page.waitForURL((url) => url.href.startsWith(sandbox.microsoftUrl), { timeout: 90_000 }).catch(async (err) => {
      const shown = await page.locator('.ant-message, .ant-alert, .ant-notification').allInnerTexts().catch(() => []);
      throw new Error(`${(err as Error).message}; the page showed: ${JSON.stringify(shown)}`);
    });
    await page.getByText('Carol de Vries').click();
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByText('Linked carol@contoso.example').waitFor();

    await page.getByRole('button', { name: /Account settings/ }).click();
    const table = page.getByTestId('mail-accounts');
    await table.getByText('alice@example.com').waitFor();
    await table.getByText('carol@contoso.example').waitFor();
    await screenshot(page, 'mail-accounts.linked');
  });

  it('syncs an account on "Sync now" and shows when it last synced', async () => {
    const page = await member.newPage();
    await page.goto(`${host.url}/admin/email`);
    await page.getByRole('button', { name: /Account settings/ }).click();
    const row = page.getByTestId('mail-accounts').getByRole('row').filter({ hasText: 'carol@contoso.example' });
    await row.getByRole('button', { name: 'Sync now' }).click();
    await page.getByText('Syncing carol@contoso.example…').waitFor();
    // The list refreshes itself: the run ends with the account active and a last sync time.
    await row.locator('time').waitFor({ timeout: 30_000 });
    await row.locator('[data-status="active"]').waitFor();
    const token = await apiToken(host.url, MEMBER);
    const runs = await api(host.url, token, 'mailSyncRuns:list');
    expect(runs.some((r: { address: string; status: string }) => r.address === 'carol@contoso.example' && r.status === 'succeeded'), JSON.stringify(runs)).toBe(true);
    await screenshot(page, 'mail-accounts.synced');
  });

  it('deletes an account after a confirmation', async () => {
    const page = await member.newPage();
    await page.goto(`${host.url}/admin/email`);
    await page.getByRole('button', { name: /Account settings/ }).click();
    const table = page.getByTestId('mail-accounts');
    const row = table.getByRole('row').filter({ hasText: 'alice@example.com' });
    await row.getByRole('button', { name: 'Delete' }).click();
    // The confirmation is a popover beside the button, naming the address and what is lost.
    const confirm = page.locator('.ant-popconfirm').filter({ hasText: 'Delete alice@example.com?' });
    await confirm.getByText('All mail of this account stored in NocoBase will be removed.', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('alice@example.com was removed').waitFor();
    await table.getByText('alice@example.com').waitFor({ state: 'detached' });
    await table.getByText('carol@contoso.example').waitFor();
  });
});
