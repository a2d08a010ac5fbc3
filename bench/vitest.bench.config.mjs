import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

// Benchmarks reuse the server test harness (a real NocoBase through @nocobase/test).
export default defineConfig({
  root,
  resolve: {
    alias: [{ find: /^@nocobase\/test$/, replacement: path.join(root, 'node_modules/@nocobase/test/lib/index.js') }],
  },
  test: {
    include: ['bench/**/*.bench.ts'],
    environment: 'node',
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    globalSetup: ['__tests__/sandbox/trust-certificate.ts'],
    testTimeout: 900000,
    hookTimeout: 300000,
    env: { NODE_MODULES_PATH: path.join(root, 'node_modules'), LOGGER_LEVEL: 'error' },
  },
});
