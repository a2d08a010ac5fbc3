// Issue 6, blocks on ordinary pages, in the real NocoBase UI: an admin adds the "Email messages"
// block to a Modern page (v2) from Add block → Other blocks, scopes it to a participant domain
// and sees only that domain's mail (other synced mail left out), opens a row in the Email
// center's thread view; a table of customers gets the "Send email" action, which opens the
// center's composer with the selected customers' addresses and sends each a message of their
// own, tracked in a drawer until both are sent (issue 7); and a customer's View popup holds
// the block bound to {{ ctx.popup.record.email }}, showing exactly that customer's mail.
import { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import { consent, callbackValues } from '../server/helpers/consent';
import { launch, screenshot, signIn } from './browser';
import { api, apiToken, Host, json, prepareHost, remove, startWithPlugin } from './host';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { build } = require('../../scripts/build.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { configureDemoProviders } = require('../../scripts/demo.js');


describe('the Email messages block and the Send email action in the real UI', () => {
  let sandbox: Sandbox;
  let prepared: Awaited<ReturnType<typeof prepareHost>>;
  let host: Host;
  let browser: Browser;
  let admin: BrowserContext;
  let token: string;

  beforeAll(async () => {
    await build();
    sandbox = await startSandbox({ seed: 6, size: 40 });
    ({ prepared, host } = await startWithPlugin({ NODE_EXTRA_CA_CERTS: sandbox.certFile }));
    await configureDemoProviders(host.url, prepared.env, sandbox);
    token = await apiToken(host.url, prepared.env);
    // The admin links Carol's Outlook mailbox (the consent pages are clicked through in
    // linking.e2e.test.ts; here over HTTP) and syncs it.
    const { url } = await api(host.url, token, 'mailAccounts:authorize', json({ provider: 'microsoft', redirectUri: `${host.url}/admin/settings/mail/oauth2`, syncFrom: 'all' }));
    const back = await consent(url, 'carol@contoso.example');
    const { account } = await api(host.url, token, 'mailAccounts:callback', json(callbackValues(back)));
    await api(host.url, token, `mailAccounts:sync?filterByTk=${account.id}`, { method: 'POST' });
    for (let i = 0; ; i++) {
      const [linked] = await api(host.url, token, 'mailAccounts:list');
      if (linked.status === 'active' && linked.lastSyncAt) break;
      if (i > 120) throw new Error(`sync did not finish: ${JSON.stringify(linked)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    // A customers collection with an email field, as a CRM would have.
    await api(host.url, token, 'collections:create', json({
      name: 'customers',
      title: 'Customers',
      fields: [
        { name: 'name', type: 'string', interface: 'input', uiSchema: { title: 'Name', type: 'string', 'x-component': 'Input' } },
        { name: 'email', type: 'string', interface: 'email', uiSchema: { title: 'Email', type: 'string', 'x-component': 'Input' } },
      ],
    }));
    // Jürgen and Olivia write to Carol in the sandbox corpus (sandbox/store/corpus.ts).
    for (const [name, email] of [['Dave', 'dave@contoso.example'], ['Alice', 'alice@example.com'], ['Nobody', ''], ['Jurgen', 'JUERGEN@firma.example'], ['Olivia', 'olivia@shop.example']]) {
      await api(host.url, token, 'customers:create', json({ name, email }));
    }
    browser = await launch();
    admin = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await sandbox?.stop();
    if (prepared) remove(prepared.dir);
  });

  async function newModernPage(page: Page, title: string) {
    await page.goto(`${host.url}/admin`);
    await page.getByTestId('ui-editor-button').waitFor();
    // The UI editor stays on between pages of a session: switch it on only when it is off.
    if (!(await page.getByTestId('schema-initializer-Menu-header').isVisible())) await page.getByTestId('ui-editor-button').click();
    await page.getByTestId('schema-initializer-Menu-header').hover();
    await page.getByRole('menuitem', { name: 'Modern page (v2)' }).click();
    await page.getByRole('dialog').locator('input').first().fill(title);
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.getByRole('menuitem', { name: title }).first().click().catch(() => page.getByText(title).first().click());
    await page.locator('text=Add block >> visible=true').first().waitFor();
  }

  /** The server's own answer to a `mailMessages:list` filter: the ids, newest first. */
  async function serverIds(filter?: Record<string, unknown>): Promise<string[]> {
    const rows = await api(host.url, token, `mailMessages:list?pageSize=200&sort=-receivedAt${filter ? `&filter=${encodeURIComponent(JSON.stringify(filter))}` : ''}`);
    return rows.map((m: { id: number }) => String(m.id));
  }

  async function shownIds(block: ReturnType<Page['getByTestId']>) {
    return block.locator('.ant-table-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row-key') ?? ''));
  }

  async function openBlockSetting(page: Page, block: ReturnType<Page['getByTestId']>, item: string) {
    await block.hover();
    await page.getByLabel('flows-settings').last().hover();
    await page.getByRole('menuitem', { name: item }).click();
  }

  it('adds the block from Add block → Other blocks and shows only the chosen domain’s mail', async () => {
    const page = await admin.newPage();
    await signIn(page, host.url, prepared.env);
    await newModernPage(page, 'Mail');
    await page.getByText('Add block').first().hover();
    await page.getByRole('menuitem', { name: 'Email messages' }).click();
    const block = page.getByTestId('mail-block');
    await block.getByRole('row').nth(1).waitFor();

    // firma.example is in some of Carol's mail, not all (contoso.example, her own domain, is in all of it).
    const all = await serverIds();
    const firma = await serverIds({ participantDomains: { $eq: 'firma.example' } });
    expect(firma.length).toBeGreaterThan(0);
    expect(firma.length).toBeLessThan(Math.min(all.length, 20));

    await openBlockSetting(page, block, 'Data scope');
    const dialog = page.getByRole('dialog').last();
    await dialog.getByText('With a participant in this domain').click();
    await dialog.locator('textarea').fill('FIRMA.example');
    await screenshot(page, 'mail-block.data-scope');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.waitForResponse((r) => r.url().includes('mailMessages:list') && decodeURIComponent(r.url()).includes('"participantDomains":{"$eq":"firma.example"}'));
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="mail-block"] .ant-table-row').length === n, firma.length);
    // Exactly the server's answer, in its order; synced mail of other domains is left out.
    const shown = await shownIds(block);
    expect(shown).toEqual(firma);
    expect(all.filter((id) => !shown.includes(id)).length).toBe(all.length - firma.length);
    await screenshot(page, 'mail-block.domain');

    // The block is saved with the page: it is there after a reload, still scoped.
    await page.reload();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="mail-block"] .ant-table-row').length === n, firma.length);
    expect(await shownIds(block)).toEqual(firma);
    // A row opens the Email center's thread view: sandboxed iframe or text, Reply / Reply all / Forward.
    await block.locator('.ant-table-row').first().click();
    const view = page.getByTestId('thread-view');
    await view.getByTestId('thread-message').first().waitFor();
    await view.locator('[data-testid="thread-message"][data-open="true"]').waitFor();
    await screenshot(page, 'mail-block.thread');
    await view.getByRole('button').filter({ hasText: /^Reply$/ }).last().click();
    const composer = page.getByTestId('composer');
    await composer.getByText(/firma\.example/).first().waitFor();
    expect(await composer.getByLabel('Subject').inputValue()).toMatch(/^Re: /);
    expect(await composer.getByRole('button', { name: /Send/ }).isDisabled()).toBe(false);
    await screenshot(page, 'mail-block.reply');
    await page.close();
  });

  it('puts "Send email" on a table block; it opens the composer with the selected customers’ addresses', async () => {
    const page = await admin.newPage();
    await page.goto(`${host.url}/admin`);
    // A fresh page of its own, titled so that it is not mistaken for the Customers collection in
    // the block menu (a "Customers" page and collection both matched one menuitem locator).
    await newModernPage(page, 'CRM');
    // The first page stays mounted, hidden, while the new one mounts (its "Add block" is found,
    // then hidden mid-hover): a fresh load of the new page has only that page in the DOM.
    await page.reload();
    await page.locator('text=Add block >> visible=true').first().waitFor();
    // Earlier pages stay mounted (hidden) in the same tab: every locator here keeps to the visible page.
    await page.locator('text=Add block >> visible=true').first().hover();
    await page.getByRole('menuitem', { name: 'Table' }).hover();
    await page.locator('.ant-dropdown-menu-item:visible').filter({ hasText: /^Customers$/ }).click();
    await page.locator('.ant-table-row:visible').first().waitFor();
    // Name and Email columns, and View as the row action (the popup is configured in the next test).
    for (const field of ['Name', 'Email']) {
      await page.getByText('Fields', { exact: true }).filter({ visible: true }).first().hover();
      await page.locator('.ant-dropdown-menu-item:visible').filter({ hasText: new RegExp(`^${field}$`) }).click();
      await page.getByRole('columnheader', { name: field }).filter({ visible: true }).waitFor();
    }
    await page.locator('th:visible').filter({ hasText: /^Actions$/ }).hover();
    // The Actions column's "+" (a dropdown trigger shown in the header's toolbar on hover).
    await page.locator('.anticon-plus.ant-dropdown-trigger:visible').first().hover();
    await page.locator('.ant-dropdown-menu-item:visible').filter({ hasText: /^View$/ }).first().click();
    await page.getByText('Actions', { exact: true }).filter({ visible: true }).first().hover();
    await page.getByRole('menuitem', { name: 'Send email' }).click();
    await page.getByRole('button', { name: 'Send email' }).filter({ visible: true }).waitFor();
    await page.mouse.move(640, 800);
    await page.getByTestId('ui-editor-button').click();

    const rows = page.locator('.ant-table-row:visible');
    for (const name of ['Dave', 'Jurgen']) {
      const row = rows.filter({ hasText: name });
      // The checkbox shows in place of the row number on hover.
      await row.locator('[aria-label^="table-index-"]').hover();
      await row.locator('.ant-checkbox-input').check({ force: true });
    }
    await page.getByRole('button', { name: 'Send email' }).filter({ visible: true }).click();
    const composer = page.getByTestId('composer');
    await composer.getByText('dave@contoso.example').waitFor();
    await composer.getByText('JUERGEN@firma.example').waitFor();
    await composer.getByText('Each of the 2 recipients gets a separate message.').waitFor();
    await composer.getByText('carol@contoso.example').waitFor();
    await composer.getByLabel('Subject').fill('Our spring offer');
    await screenshot(page, 'mail-block.send-email');
    await composer.getByRole('button', { name: /Send/ }).click();
    // The send's tracking opens in a drawer and follows both messages out (Outlook's pace: 30 a minute).
    const tracking = page.getByTestId('outbox-drawer');
    await tracking.getByTestId('bulk-counts').filter({ hasText: /^2 sent$/ }).waitFor({ timeout: 60_000 });
    await screenshot(page, 'mail-block.send-tracking');
    // Each customer got a message of their own, with only their own address in To.
    const delivered = sandbox.state.mailbox('dave@contoso.example')?.list().filter((m) => m.subject === 'Our spring offer') ?? [];
    expect(delivered).toHaveLength(1);
    expect((await sandbox.state.mailbox('dave@contoso.example')?.content(delivered[0].id))?.to.map((a) => a.address)).toEqual(['dave@contoso.example']);
    await page.close();
  });

  it('in a customer’s View popup, the block bound to the popup record’s email shows exactly that customer’s mail', async () => {
    const page = await admin.newPage();
    await page.goto(`${host.url}/admin`);
    await page.getByRole('menuitem', { name: 'CRM' }).first().click();
    await page.locator('.ant-table-row:visible').first().waitFor();
    if (!(await page.getByText('Add block').filter({ visible: true }).count())) await page.getByTestId('ui-editor-button').click();
    await page.locator('.ant-table-row:visible').filter({ hasText: 'Jurgen' }).getByText('View').click();
    const popup = page.locator('.ant-drawer-content:visible').last();
    await popup.getByText('Add block').hover();
    await page.getByRole('menuitem', { name: 'Email messages' }).click();
    const block = popup.getByTestId('mail-block');
    await block.locator('.ant-table-row').first().waitFor();

    // Data scope: a participant address, from the variable picker: Current popup → Current popup record → Email.
    await openBlockSetting(page, block, 'Data scope');
    const dialog = page.getByRole('dialog').last();
    await dialog.getByText('With this participant address').click();
    await dialog.locator('textarea').locator('xpath=..').getByRole('button').click();
    await page.locator('.ant-cascader-menu-item:visible').filter({ hasText: /^Current popup$/ }).click();
    await page.locator('.ant-cascader-menu-item:visible').filter({ hasText: /^Current popup record$/ }).click();
    await page.locator('.ant-cascader-menu:visible').last().locator('.ant-cascader-menu-item').filter({ hasText: /^Email$/ }).click();
    expect(await dialog.locator('textarea').inputValue()).toBe('{{ ctx.popup.record.email }}');
    await screenshot(page, 'mail-block.popup-binding');
    await dialog.getByRole('button', { name: 'Save' }).click();

    const jurgen = await serverIds({ participants: { $eq: 'juergen@firma.example' } });
    expect(jurgen.length).toBeGreaterThan(0);
    await page.waitForFunction((n) => [...document.querySelectorAll('.ant-drawer-content [data-testid="mail-block"]')].some((b) => b.querySelectorAll('.ant-table-row').length === n), jurgen.length);
    // The stored address is in capitals: matching ignores case.
    expect(await shownIds(block)).toEqual(jurgen);
    await screenshot(page, 'mail-block.popup');

    // The same block in another customer's popup follows that record (the CRM page afresh: a
    // popup's mask can outlive Escape for a moment).
    const openCrm = async () => {
      await page.goto(`${host.url}/admin`);
      await page.getByRole('menuitem', { name: 'CRM' }).first().click();
      await page.locator('.ant-table-row:visible').first().waitFor();
    };
    await openCrm();
    const olivia = await serverIds({ participants: { $eq: 'olivia@shop.example' } });
    expect(olivia.length).toBeGreaterThan(0);
    expect(olivia).not.toEqual(jurgen);
    await page.locator('.ant-table-row:visible').filter({ hasText: 'Olivia' }).getByText('View').click();
    const second = page.locator('.ant-drawer-content:visible').last().getByTestId('mail-block');
    await second.locator('.ant-table-row').first().waitFor();
    await page.waitForFunction((n) => [...document.querySelectorAll('.ant-drawer-content [data-testid="mail-block"]')].some((b) => b.querySelectorAll('.ant-table-row').length === n), olivia.length);
    expect(await shownIds(second)).toEqual(olivia);
    // Its conversation opens above the popup.
    await second.locator('.ant-table-row').first().click();
    await page.getByTestId('thread-view').getByTestId('thread-message').first().waitFor();
    await screenshot(page, 'mail-block.popup-thread');

    // A customer without an address shows no mail at all.
    await openCrm();
    await page.locator('.ant-table-row:visible').filter({ hasText: 'Nobody' }).getByText('View').click();
    await page.locator('.ant-drawer-content:visible').last().getByTestId('mail-block-unbound').waitFor();
    await page.close();
  });
});
