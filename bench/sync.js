'use strict';
// npm run bench:sync: the sync benchmark on SQLite, then on the machine's PostgreSQL, in its own
// database (PG_BENCH_DATABASE, default email_manager_bench, created if missing) so that it never
// wipes the one test runs use.
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const PG = { DB_DIALECT: 'postgres', DB_HOST: process.env.DB_HOST || '127.0.0.1', DB_PORT: process.env.DB_PORT || '5432', DB_USER: process.env.DB_USER || 'postgres', DB_PASSWORD: process.env.DB_PASSWORD || '', DB_DATABASE: process.env.PG_BENCH_DATABASE || 'email_manager_bench' };

async function ensureDatabase() {
  const { Client } = require('pg');
  const admin = new Client({ host: PG.DB_HOST, port: Number(PG.DB_PORT), user: PG.DB_USER, password: PG.DB_PASSWORD, database: 'postgres' });
  await admin.connect();
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [PG.DB_DATABASE]);
  if (!rowCount) await admin.query(`CREATE DATABASE "${PG.DB_DATABASE}"`);
  await admin.end();
}

// BENCH_HEAP_CHECK=1 runs it with --expose-gc: one full collection after each timed run tells
// retained memory from garbage V8 had not collected yet. Off by default: a full collection
// resizes the heap, which moves the figures measured after it (the emulator-alone rate halved).
const heapCheck = process.env.BENCH_HEAP_CHECK ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS || ''} --expose-gc`.trim() } : {};

async function main() {
  let failed = false;
  for (const env of [{ DB_DIALECT: 'sqlite' }, PG]) {
    if (env === PG) await ensureDatabase();
    const res = spawnSync(path.join(ROOT, 'node_modules/.bin/vitest'), ['run', '-c', 'bench/vitest.bench.config.mjs', 'bench/sync.bench.ts'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env, ...heapCheck } });
    failed ||= res.status !== 0;
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
