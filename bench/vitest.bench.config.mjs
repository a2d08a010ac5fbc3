import server from '../__tests__/vitest.server.config.mjs';

// Benchmarks reuse the server test harness (a real NocoBase through @nocobase/test): the same
// root, alias, environment and certificate trust, with their own files and longer timeouts.
// (Replaced rather than merged: vitest's mergeConfig would append to `include`.)
export default {
  ...server,
  test: { ...server.test, include: ['bench/**/*.bench.ts'], testTimeout: 900000, hookTimeout: 300000 },
};
