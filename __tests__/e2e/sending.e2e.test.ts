// Issue 7, sending in the real NocoBase UI against the provider sandbox: a member links Gmail,
// writes an email with bold text and an attachment, sends it, sees it tracked as sent in the
// Outbox and then, after the sync that follows the send, in Sent; Bob's mailbox at the sandbox
// holds it with the file and the bold HTML. Then she replies to a conversation in her inbox and
// sees the reply inside it; at the sandbox the reply is in the same Gmail thread with
// In-Reply-To. Screenshots go to __screenshots__/sending.*.png.
import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import { launch, linkAliceInBrowser, screenshot, signIn, until } from './browser';
import { apiToken, createMember, Host, json, prepareHost, remove, startWithPlugin } from './host';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { build } = require('../../scripts/build.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { configureDemoProviders } = require('../../scripts/demo.js');

const MEMBER = { INIT_ROOT_EMAIL: 'mia@example.org', INIT_ROOT_PASSWORD: 'mia-secret-42' };
/** Dave's message in Alice's inbox when she links: the conversation she replies to. */
const DAVE = { subject: 'Venue for the offsite', messageId: '<offsite.venue.7@contoso.example>' };
const SUBJECT = 'Quarterly figures for Bob';
const REPLY_TEXT = 'The lakeside venue works for us.';
/** 150 KB, so the running total reads "150 KB of 25 MB". */
const FILE = { name: 'figures.csv', mimeType: 'text/csv', buffer: Buffer.from('quarter,revenue\n'.padEnd(150 * 1024, 'q1,100\n')) };
/** The sync after a send, and a Refresh when the list needs one, on a loaded machine. */
const SYNCED = 120_000;

describe('sending in the real UI', () => {
  let sandbox: Sandbox;
  let prepared: Awaited<ReturnType<typeof prepareHost>>;
  let host: Host;
  let browser: Browser;
  let member: BrowserContext;
  let page: Page;
  let daveThreadId: string;

  beforeAll(async () => {
    await build();
    sandbox = await startSandbox({ seed: 7, size: 40 });
    const control = await fetch(`${sandbox.googleUrl}/__sandbox/users/alice@example.com/messages`, json({
      from: { name: 'Dave Müller', address: 'dave@contoso.example' },
      subject: DAVE.subject,
      messageId: DAVE.messageId,
      text: 'Hi Alice, shall we book the lakeside venue for the offsite?',
      folder: 'inbox',
      read: false,
    }));
    expect(control.status, await control.clone().text()).toBeLessThan(300);
    daveThreadId = (await control.json()).threadId;
    ({ prepared, host } = await startWithPlugin({ NODE_EXTRA_CA_CERTS: sandbox.certFile }));
    await configureDemoProviders(host.url, prepared.env, sandbox);
    const token = await apiToken(host.url, prepared.env);
    await createMember(host.url, token, 'Mia', MEMBER);
    browser = await launch();
    member = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true });
    page = await member.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await sandbox?.stop();
    if (prepared) remove(prepared.dir);
  });

  const row = (subject: string) => page.getByTestId('thread-list').locator('tr.ant-table-row').filter({ hasText: subject });
  const composer = () => page.locator('.em-composer');
  const folder = (name: RegExp) => page.getByRole('menuitem', { name });
  const inFolder = (address: string, kind: 'inbox' | 'sent') => {
    const mailbox = sandbox.state.mailbox(address)!;
    const id = mailbox.folders.find((f) => f.kind === kind)!.id;
    return mailbox.list({ folderIds: [id] });
  };

  /** Sends what the composer holds and sees it go out: the composer closes with "Message sent". */
  async function send() {
    await composer().getByRole('button', { name: /Send/ }).click();
    await page.getByText('Message sent').waitFor({ timeout: 60_000 });
    await composer().getByTestId('composer').waitFor({ state: 'hidden' });
  }

  /** Whether the list shows `subject` yet; when not, Refresh (a sync) and wait for it to end. */
  async function shownAfterRefresh(subject: string) {
    if (await row(subject).isVisible()) return true;
    const refresh = page.getByRole('button', { name: /Refresh/ });
    await refresh.click();
    await until(() => refresh.isDisabled(), (disabled) => !disabled, 95_000);
    return row(subject).isVisible();
  }

  it('links Gmail and the inbox fills', async () => {
    await signIn(page, host.url, MEMBER);
    await page.goto(`${host.url}/admin/email`);
    await page.getByText('You have not linked a mailbox yet').waitFor();
    await linkAliceInBrowser(page, sandbox.googleUrl);
    await row(DAVE.subject).waitFor({ timeout: 90_000 });
    await page.getByTestId('first-sync').waitFor({ state: 'detached', timeout: 90_000 });
  });

  it('writes an email with bold text and an attachment, sends it, tracks it as sent and finds it in Sent', async () => {
    await page.getByRole('button', { name: /Write email/ }).click();
    const to = composer().getByRole('combobox', { name: 'To' });
    await to.click();
    await to.pressSequentially('bob@example.com');
    await to.press('Enter');
    await composer().locator('[data-valid="true"]').filter({ hasText: 'bob@example.com' }).waitFor();
    await composer().getByRole('textbox', { name: 'Subject' }).fill(SUBJECT);

    const editor = composer().getByRole('textbox', { name: 'Message' });
    const bold = composer().getByRole('button', { name: 'Bold' });
    await editor.click();
    await page.keyboard.type('Hi Bob, the figures are ');
    await bold.click();
    await page.keyboard.type('final');
    await bold.click();
    await page.keyboard.type('. The file is attached.');
    expect(await editor.innerHTML()).toContain('<b>final</b>');

    await composer().getByTestId('attach-input').setInputFiles(FILE);
    const upload = composer().getByTestId('upload').filter({ hasText: FILE.name });
    await upload.and(page.locator('[data-status="done"]')).waitFor({ timeout: 60_000 });
    await composer().getByTestId('attachments-total').filter({ hasText: '150 KB of 25 MB' }).waitFor();
    await screenshot(page, 'sending.composer');
    await send();

    // The Outbox tracks it as sent.
    await folder(/^Outbox/).click();
    const tracked = page.getByTestId('outbox').getByTestId('outbox-row').filter({ hasText: SUBJECT });
    await tracked.locator('[data-status="sent"]').waitFor({ timeout: 60_000 });
    expect(await tracked.textContent()).toContain('bob@example.com');
    await tracked.getByText(/^Sent at /).waitFor();
    await screenshot(page, 'sending.outbox');

    // Bob has it, with the file and the bold text.
    const delivered = inFolder('bob@example.com', 'inbox').find((m) => m.subject === SUBJECT);
    expect(delivered).toBeTruthy();
    const content = await sandbox.state.mailbox('bob@example.com')!.content(delivered!.id);
    expect(content.from.address).toBe('alice@example.com');
    expect(content.to.map((a) => a.address)).toEqual(['bob@example.com']);
    expect(content.html).toMatch(/<(b|strong)>final<\/(b|strong)>/);
    expect(content.text).toContain('Hi Bob, the figures are final. The file is attached.');
    expect(content.attachments.map((a) => [a.filename, a.content.equals(FILE.buffer)])).toEqual([[FILE.name, true]]);

    // After the sync that follows the send it is in Sent, once.
    await folder(/^Sent/).click();
    await page.getByTestId('thread-list').locator('tr.ant-table-row').first().waitFor();
    await until(() => shownAfterRefresh(SUBJECT), (shown) => shown, SYNCED);
    expect(await row(SUBJECT).count()).toBe(1);
    await screenshot(page, 'sending.sent');
  }, 360_000);

  it('replies to a conversation from the inbox and sees the reply inside it', async () => {
    await folder(/^Inbox/).click();
    await row(DAVE.subject).click();
    const thread = page.getByTestId('thread-view');
    const messages = thread.getByTestId('thread-message');
    await messages.first().waitFor();
    expect(await messages.count()).toBe(1);
    await thread.getByRole('button', { name: /Reply$/ }).click();
    await composer().locator('[data-valid="true"]').filter({ hasText: 'dave@contoso.example' }).waitFor();
    expect(await composer().getByRole('textbox', { name: 'Subject' }).inputValue()).toBe(`Re: ${DAVE.subject}`);
    // The reply goes above the quote, in the first empty paragraph.
    await composer().getByRole('textbox', { name: 'Message' }).locator('p').first().click();
    await page.keyboard.type(REPLY_TEXT);
    await send();

    // After the sync the conversation holds the reply: reopen it until it does.
    const reopen = async () => {
      if ((await messages.count()) >= 2) return messages.count();
      await thread.getByRole('button', { name: 'Back to the list' }).click();
      await shownAfterRefresh(DAVE.subject);
      await row(DAVE.subject).click();
      await messages.first().waitFor();
      return messages.count();
    };
    expect(await until(reopen, (count) => count >= 2, SYNCED)).toBe(2);
    const reply: Locator = messages.last();
    expect(await reply.getAttribute('data-open')).toBe('true');
    await reply.getByText('Alice Andersen').first().waitFor();
    await reply.frameLocator('[data-testid="mail-frame"]').getByText(REPLY_TEXT).waitFor();
    await screenshot(page, 'sending.reply-in-thread');

    // At the sandbox: in Dave's Gmail thread, answering his message.
    const sent = inFolder('alice@example.com', 'sent').filter((m) => m.subject === `Re: ${DAVE.subject}`);
    expect(sent).toHaveLength(1);
    expect(sent[0].threadId).toBe(daveThreadId);
    const headers = await sandbox.state.mailbox('alice@example.com')!.content(sent[0].id);
    expect(headers.inReplyTo).toBe(DAVE.messageId);
    expect(headers.references).toContain(DAVE.messageId);
    expect(headers.to.map((a) => a.address)).toEqual(['dave@contoso.example']);
  }, 300_000);
});
