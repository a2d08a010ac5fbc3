// Issue 6, the Email center in the real NocoBase UI against the provider sandbox: a member links
// Gmail through the consent pages, sees the first sync fill the inbox, searches, opens a hostile
// newsletter (no script runs, no remote image loads until "Show images"), downloads its
// attachment, marks it unread and sees the top-bar badge follow, opens the composer and the
// account settings. Screenshots of each screen go to __screenshots__/email-center.*.png.
import { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import { launch, linkAliceInBrowser, screenshot, signIn, until } from './browser';
import { apiToken, createMember, Host, json, prepareHost, remove, startWithPlugin } from './host';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { build } = require('../../scripts/build.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { configureDemoProviders } = require('../../scripts/demo.js');

const MEMBER = { INIT_ROOT_EMAIL: 'mia@example.org', INIT_ROOT_PASSWORD: 'mia-secret-42' };
const SUBJECT = 'Zebra newsletter: spring offers';

describe('the Email center in the real UI', () => {
  let sandbox: Sandbox;
  let prepared: Awaited<ReturnType<typeof prepareHost>>;
  let host: Host;
  let browser: Browser;
  let member: BrowserContext;
  let page: Page;
  let pixelUrl: string;
  const pixelRequests: string[] = [];

  beforeAll(async () => {
    await build();
    sandbox = await startSandbox({ seed: 12, size: 80 });
    // A newsletter with a script, an event handler, a remote image and a PDF, already in
    // Alice's inbox when she links: the first sync brings it in.
    pixelUrl = `${sandbox.microsoftUrl}/tracker/pixel.png?campaign=spring`;
    const control = await fetch(`${sandbox.googleUrl}/__sandbox/users/alice@example.com/messages`, json({
      from: 'Zebra Shop <news@zebra.example>',
      subject: SUBJECT,
      text: 'Spring offers (text part)',
      html: `<h1 style="color:#c41d7f">Spring offers</h1><p id="greeting">Dear Alice, our best prices.</p><script>document.title='pwned';parent.document.title='pwned'</script><img src="${pixelUrl}" width="120" height="40" alt="tracker"><img src="x" onerror="parent.document.title='pwned'"><p><a href="https://zebra.example/offers">See the offers</a></p>`,
      folder: 'inbox',
      read: false,
      attachments: [{ filename: 'price-list.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4\n% price list\n').toString('base64') }],
    }));
    expect(control.status, await control.clone().text()).toBeLessThan(300);
    ({ prepared, host } = await startWithPlugin({ NODE_EXTRA_CA_CERTS: sandbox.certFile }));
    await configureDemoProviders(host.url, prepared.env, sandbox);
    const token = await apiToken(host.url, prepared.env);
    await createMember(host.url, token, 'Mia', MEMBER);
    browser = await launch();
    member = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true, acceptDownloads: true });
    page = await member.newPage();
    page.on('request', (request) => {
      if (request.url().includes('/tracker/pixel.png')) pixelRequests.push(request.url());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await sandbox?.stop();
    if (prepared) remove(prepared.dir);
  });

  const badge = async () => Number(await page.getByRole('button', { name: 'Email', exact: true }).getAttribute('data-unread'));
  const row = (subject: string) => page.getByTestId('thread-list').locator('tr.ant-table-row').filter({ hasText: subject });

  it('invites a new user to link a mailbox, links Gmail through the consent pages and fills the inbox', async () => {
    await signIn(page, host.url, MEMBER);
    await page.goto(`${host.url}/admin/email`);
    await page.getByText('You have not linked a mailbox yet').waitFor();
    await screenshot(page, 'email-center.no-account');

    await linkAliceInBrowser(page, sandbox.googleUrl);
    expect(new URL(page.url()).pathname).toBe('/admin/email');

    // The first sync shows its progress while it runs (it may be done before we look).
    const progress = page.getByTestId('first-sync');
    if (await progress.isVisible().catch(() => false)) await screenshot(page, 'email-center.first-sync');
    await row(SUBJECT).waitFor({ timeout: 90_000 });
    await progress.waitFor({ state: 'detached', timeout: 90_000 });
    expect(await row(SUBJECT).getAttribute('data-unread')).toBe('true');
    expect(await page.getByTestId('thread-list').locator('tr.ant-table-row').count()).toBeGreaterThan(5);
    await page.getByRole('menuitem', { name: /^Inbox/ }).getByTestId('folder-unread').waitFor();
    await until(badge, (n) => n > 0, 35_000);
    await screenshot(page, 'email-center.inbox');
  });

  it('moves between folders', async () => {
    await page.getByRole('menuitem', { name: /^Sent/ }).click();
    await page.getByTestId('thread-list').locator('tr.ant-table-row').first().waitFor();
    await screenshot(page, 'email-center.sent');
    await page.getByRole('menuitem', { name: /^Inbox/ }).click();
    await row(SUBJECT).waitFor();
  });

  it('searches subject, participants and body', async () => {
    const box = page.getByRole('searchbox', { name: 'Search mail' });
    await box.fill('zebra.example');
    await box.press('Enter');
    await page.getByTestId('pager').filter({ hasText: /^1–1 of 1$/ }).waitFor();
    await row(SUBJECT).waitFor();
    await screenshot(page, 'email-center.search');
    await box.fill('no such words anywhere');
    await box.press('Enter');
    await page.getByText('No conversations match “no such words anywhere”').waitFor();
    await page.getByRole('button', { name: 'Clear search' }).click();
    await row(SUBJECT).waitFor();
  });

  it('opens the newsletter: sanitised HTML in a sandboxed frame, no script, remote images only when asked', async () => {
    const before = await badge();
    await row(SUBJECT).click();
    const frameElement = page.getByTestId('mail-frame');
    await frameElement.waitFor();
    expect(await frameElement.getAttribute('sandbox')).toBe('allow-popups allow-popups-to-escape-sandbox');
    const frame = page.frameLocator('[data-testid="mail-frame"]');
    await frame.locator('#greeting').waitFor();
    expect(await frame.locator('#greeting').textContent()).toBe('Dear Alice, our best prices.');
    expect(await frame.locator('script').count()).toBe(0);
    expect(await frame.locator('[onerror]').count()).toBe(0);
    expect(await page.title()).not.toBe('pwned');
    // The frame is as tall as its content: no inner scroll bar for a short message.
    const height = (await frameElement.boundingBox())!.height;
    expect(height).toBeGreaterThan(100);
    expect(height).toBeLessThan(600);
    // Opening marked it read, and the badge followed.
    await until(badge, (n) => n === before - 1);
    await page.waitForTimeout(500);
    expect(pixelRequests).toEqual([]);
    await page.getByTestId('attachments').getByText('price-list.pdf').waitFor();
    await screenshot(page, 'email-center.thread');

    await page.getByRole('button', { name: 'Show images' }).click();
    await until(async () => pixelRequests.length, (n) => n > 0);
    expect(pixelRequests[0]).toBe(pixelUrl);
    expect(await page.title()).not.toBe('pwned');
    await screenshot(page, 'email-center.images-shown');
  });

  it('downloads an attachment through the server', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('attachments').getByRole('button', { name: /price-list\.pdf/ }).click()]);
    expect(download.suggestedFilename()).toBe('price-list.pdf');
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toContain('%PDF-1.4');
  });

  it('opens Reply all and Forward in the composer, prefilled', async () => {
    await page.getByRole('button', { name: 'Reply all' }).click();
    const composer = page.locator('.em-composer');
    await composer.getByText('news@zebra.example', { exact: false }).first().waitFor();
    expect(await composer.getByRole('textbox', { name: 'Subject' }).inputValue()).toBe(`Re: ${SUBJECT}`);
    // The rich-text body: the attribution line, then the original quoted in a blockquote.
    const body = composer.getByRole('textbox', { name: 'Message' });
    expect(await body.innerText()).toMatch(/wrote:/);
    expect(await body.locator('blockquote').innerText()).toContain('Spring offers');
    expect(await composer.getByRole('button', { name: /Send/ }).isDisabled()).toBe(false);
    await screenshot(page, 'email-center.reply');
    await composer.getByRole('button', { name: 'Discard' }).click();
    await page.getByRole('button', { name: /Forward/ }).click();
    await composer.getByTestId('composer-attachments').getByText(/price-list\.pdf/).waitFor();
    expect(await composer.getByRole('textbox', { name: 'Subject' }).inputValue()).toBe(`Fwd: ${SUBJECT}`);
    await screenshot(page, 'email-center.forward');
    await composer.getByRole('button', { name: 'Discard' }).click();
  });

  it('marks the conversation unread again; the list and the badge follow', async () => {
    const before = await badge();
    await page.getByRole('button', { name: /Mark as unread/ }).click();
    await row(SUBJECT).waitFor();
    await until(() => row(SUBJECT).getAttribute('data-unread'), (v) => v === 'true');
    await until(badge, (n) => n === before + 1);
    // Bulk: select it and mark it read from the list.
    await row(SUBJECT).getByRole('checkbox').check();
    await page.getByRole('button', { name: /Mark as read/ }).click();
    await until(() => row(SUBJECT).getAttribute('data-unread'), (v) => v === 'false');
    await until(badge, (n) => n === before);
  });

  it('Refresh syncs now, and the account settings are one click away', async () => {
    await page.getByRole('button', { name: /Refresh/ }).click();
    await until(() => page.getByRole('button', { name: /Refresh/ }).isDisabled(), (disabled) => !disabled, 60_000);
    await page.getByRole('button', { name: /Account settings/ }).click();
    const accounts = page.getByTestId('mail-accounts');
    await accounts.getByText('alice@example.com').waitFor();
    await accounts.locator('[data-status="active"]').waitFor();
    await screenshot(page, 'email-center.account-settings');
  });
});
