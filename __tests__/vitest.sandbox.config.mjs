import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export default defineConfig({
  root,
  test: {
    include: ['__tests__/sandbox/**/*.test.ts'],
    environment: 'node',
    // Trusts the sandbox's self-signed certificate before the test workers start. Node reads
    // NODE_EXTRA_CA_CERTS only when a process starts: forked workers see it, threads do not.
    pool: 'forks',
    globalSetup: ['__tests__/sandbox/trust-certificate.ts'],
    testTimeout: 30000,
    hookTimeout: 60000,
  },
});
