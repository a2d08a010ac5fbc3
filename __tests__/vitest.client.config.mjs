import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export default defineConfig({
  root,
  esbuild: { jsx: 'automatic' },
  test: {
    include: ['__tests__/client/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    setupFiles: ['__tests__/client/setup.ts'],
  },
});
