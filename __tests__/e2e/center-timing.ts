// Timings of the Email center taken in the browser (bench:center, center-scale.e2e.test.ts).
// "Visible" is the first animation frame after the row is in the DOM with a size.
import type { Page } from 'playwright-core';

const ROW = '[data-testid="thread-list"] tr.ant-table-row';

declare global {
  interface Window {
    __emFirstRow?: number;
  }
}

/** Install once per page: records performance.now() (ms since navigation start) of the first thread row. */
export async function watchFirstRow(page: Page) {
  await page.addInitScript((selector: string) => {
    const seen = () => {
      const row = document.querySelector(selector);
      return !!row && row.getBoundingClientRect().height > 0;
    };
    const observer = new MutationObserver(() => {
      if (window.__emFirstRow !== undefined || !seen()) return;
      window.__emFirstRow = -1;
      observer.disconnect();
      requestAnimationFrame(() => (window.__emFirstRow = performance.now()));
    });
    observer.observe(document, { childList: true, subtree: true });
  }, ROW);
}

/** Navigation start → first thread row visible, in ms (a fresh navigation to `url`). */
export async function firstPaint(page: Page, url: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => (window.__emFirstRow ?? -1) > 0, undefined, { timeout: 120_000, polling: 50 });
  return page.evaluate(() => window.__emFirstRow!);
}

/** Click on "Older" → the first row is another conversation and visible, in ms. */
export async function nextPage(page: Page): Promise<number> {
  return page.evaluate(
    (selector: string) =>
      new Promise<number>((resolve, reject) => {
        const firstId = () => document.querySelector(selector)?.getAttribute('data-thread-id');
        const before = firstId();
        const button = document.querySelector('button[aria-label="Older"]') as HTMLButtonElement | null;
        if (!button || button.disabled) return reject(new Error('no enabled "Older" button'));
        const timer = setTimeout(() => (observer.disconnect(), reject(new Error('the next page did not show in 60 s'))), 60_000);
        const start = performance.now();
        const observer = new MutationObserver(() => {
          const id = firstId();
          if (!id || id === before) return;
          observer.disconnect();
          clearTimeout(timer);
          requestAnimationFrame(() => resolve(performance.now() - start));
        });
        observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-thread-id'] });
        button.click();
      }),
    ROW,
  );
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
