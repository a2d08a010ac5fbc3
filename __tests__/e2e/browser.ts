// Debian Chromium driven by playwright-core, with the flags this closed network needs.
import fs from 'node:fs';
import path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

export const SCREENSHOTS = path.join(__dirname, '__screenshots__');

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Signs in through the real sign-in page, as a person would. */
export async function signIn(page: Page, url: string, env: Record<string, string>) {
  await page.goto(`${url}/signin`);
  await page.getByPlaceholder('Username/Email').fill(env.INIT_ROOT_EMAIL);
  await page.getByPlaceholder('Password').fill(env.INIT_ROOT_PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForURL(/\/admin/);
}

export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Links alice@example.com's Gmail from the Email center the way a user does: Link account →
 * Google → how far back → the sandbox's consent page → back with "Linked …".
 */
export async function linkAliceInBrowser(page: Page, googleUrl: string, since: 'The last month' | 'Everything' = 'Everything') {
  await page.getByRole('button', { name: /Link account/ }).click();
  await page.getByRole('menuitem', { name: /Google/ }).click();
  await page.getByRole('dialog').getByText(since).click();
  await page.getByRole('dialog').getByRole('button', { name: /Continue to Google/ }).click();
  await page.waitForURL((url) => url.href.startsWith(googleUrl));
  await page.getByText('Alice Andersen').click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.getByText('Linked alice@example.com').waitFor();
}

/** Asks `read` until `check` holds (the UI catches up asynchronously); returns the last value. */
export async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, timeout = 10_000): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > end) throw new Error(`still ${JSON.stringify(value)} after ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
