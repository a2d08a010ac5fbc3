// npm run bench:center — the Email center in Chromium against a real NocoBase (SQLite), with
// accounts of 100, 10,000 and 100,000 messages (figures, no assertions). Each account belongs to
// its own user, so /admin/email opens on that account's inbox. Measured in the browser:
// navigation start → first thread row visible, and a click on "Older" → the next page's rows
// visible (page 1 → 2), each the median of several runs after a warm-up, with the ratio against the
// 100-message account. The mailboxes are inserted straight into the host's database
// (__tests__/e2e/big-mailbox.ts). BENCH_CENTER_SIZES=100,10000,100000 changes the sizes.
import path from 'node:path';
import { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { insertMailbox } from '../__tests__/e2e/big-mailbox';
import { launch, screenshot, signIn } from '../__tests__/e2e/browser';
import { firstPaint, median, nextPage, watchFirstRow } from '../__tests__/e2e/center-timing';
import { api, apiToken, Host, prepareHost, remove, startWithPlugin } from '../__tests__/e2e/host';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { build } = require('../scripts/build.js');

const SIZES = (process.env.BENCH_CENTER_SIZES || '100,10000,100000').split(',').map(Number);
const RUNS = 5;
const PAGES = 5;
const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('bench:center', () => {
  let prepared: Awaited<ReturnType<typeof prepareHost>>;
  let host: Host;
  let browser: Browser;
  const users: { size: number; email: string; password: string }[] = [];

  beforeAll(async () => {
    await build();
    ({ prepared, host } = await startWithPlugin());
    const token = await apiToken(host.url, prepared.env);
    for (const size of SIZES) {
      const user = { size, email: `reader${size}@example.org`, password: 'reader-secret-42' };
      const created = await api(host.url, token, 'users:create', json({ nickname: `Reader ${size}`, email: user.email, password: user.password, roles: ['member'] }));
      const started = Date.now();
      const box = await insertMailbox(prepared.env.DB_STORAGE, { userId: created.id, address: `box${size}@example.com`, size, seed: size, maxThreadLength: size < 1000 ? 1 : 5 });
      console.log(`[center] inserted ${box.messages} messages in ${box.threads} conversations (${box.inboxThreads} in the inbox) in ${Date.now() - started} ms`);
      users.push(user);
    }
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    if (prepared) remove(prepared.dir);
  });

  it('first paint and next page, per account size', async () => {
    const results: { size: number; paint: number; next: number }[] = [];
    for (const user of users) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await watchFirstRow(page);
      await signIn(page, host.url, { INIT_ROOT_EMAIL: user.email, INIT_ROOT_PASSWORD: user.password });
      const url = `${host.url}/admin/email`;
      await firstPaint(page, url); // warm-up: bundles cached, server caches filled
      const paints: number[] = [];
      for (let i = 0; i < RUNS; i++) paints.push(await firstPaint(page, url));
      if (user.size === Math.max(...SIZES)) await screenshot(page, `center-scale.${user.size}.inbox`);
      // Each sample: page 1 freshly loaded (untimed), then "Older" → page 2 (timed). The
      // 100-message account has only two pages, so every account is timed on the same turn.
      const pages: number[] = [];
      for (let i = 0; i < PAGES; i++) {
        if (i) await firstPaint(page, url);
        await page.locator('button[aria-label="Older"]:not([disabled])').waitFor({ timeout: 60_000 });
        pages.push(await nextPage(page));
      }
      await page.getByTestId('pager').filter({ hasText: /^51–/ }).waitFor();
      const pager = await page.getByTestId('pager').textContent();
      if (user.size === Math.max(...SIZES)) await screenshot(page, `center-scale.${user.size}.page-2`);
      results.push({ size: user.size, paint: median(paints), next: median(pages) });
      console.log(`[center] ${user.size} messages, runs: first paint ${paints.map(Math.round).join(', ')} ms; next page ${pages.map(Math.round).join(', ')} ms (page 2: ${pager})`);
      await context.close();
    }
    const reference = results.find((r) => r.size === Math.min(...SIZES))!;
    const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
    const lines = results.map((r) =>
      r === reference
        ? `[center] ${r.size} messages: first paint ${Math.round(r.paint)} ms; next page ${Math.round(r.next)} ms (the reference)`
        : `[center] ${r.size} messages: first paint ${Math.round(r.paint)} ms (${ratio(r.paint, reference.paint)} the ${reference.size}-message account); next page ${Math.round(r.next)} ms (${ratio(r.next, reference.next)})`,
    );
    console.log(['', `[center] medians of ${RUNS} loads and ${PAGES} page turns, SQLite, ${path.basename(prepared.env.DB_STORAGE)}:`, ...lines, ''].join('\n'));
  });
});
