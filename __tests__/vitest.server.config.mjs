import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export default defineConfig({
  root,
  resolve: {
    // @nocobase/test 2.1.41 declares an ESM entry (es/index.mjs) that it does not ship.
    alias: [{ find: /^@nocobase\/test$/, replacement: path.join(root, 'node_modules/@nocobase/test/lib/index.js') }],
  },
  test: {
    include: ['__tests__/server/**/*.test.ts'],
    globalSetup: ['__tests__/sandbox/trust-certificate.ts'],
    environment: 'node',
    // One database per run: test files share it, so they run one after another.
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    testTimeout: 60000,
    hookTimeout: 120000,
    env: { NODE_MODULES_PATH: path.join(root, 'node_modules'), LOGGER_LEVEL: 'error' },
  },
});
