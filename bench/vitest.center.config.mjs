import e2e from '../__tests__/vitest.e2e.config.mjs';

// bench:center runs in the browser-test harness (a real host, Chromium), on its own file, with
// room for inserting 110,000 messages. (Replaced rather than merged: mergeConfig would append.)
export default {
  ...e2e,
  test: { ...e2e.test, include: ['bench/center.browser.ts'], testTimeout: 900000, hookTimeout: 600000 },
};
