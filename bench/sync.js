'use strict';
// npm run bench:sync: the sync benchmark on SQLite, then on the machine's PostgreSQL.
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const PG = { DB_DIALECT: 'postgres', DB_HOST: process.env.DB_HOST || '127.0.0.1', DB_PORT: process.env.DB_PORT || '5432', DB_USER: process.env.DB_USER || 'postgres', DB_PASSWORD: process.env.DB_PASSWORD || '', DB_DATABASE: process.env.PG_BENCH_DATABASE || 'email_manager_test' };
let failed = false;
for (const env of [{ DB_DIALECT: 'sqlite' }, PG]) {
  const res = spawnSync(path.join(ROOT, 'node_modules/.bin/vitest'), ['run', '-c', 'bench/vitest.bench.config.mjs'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  failed ||= res.status !== 0;
}
process.exit(failed ? 1 : 0);
