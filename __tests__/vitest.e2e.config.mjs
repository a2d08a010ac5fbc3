import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export default defineConfig({
  root,
  test: {
    include: ['__tests__/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    // Each file boots real hosts; one at a time keeps the 2-core machine responsive.
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    // The tests fetch the Microsoft sandbox's consent page (https, self-signed certificate).
    globalSetup: ['__tests__/sandbox/trust-certificate.ts'],
    testTimeout: 120000,
    hookTimeout: 300000,
  },
});
