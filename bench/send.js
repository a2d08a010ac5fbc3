'use strict';
// npm run bench:send: the sending benchmark (bench/send.bench.ts) on SQLite; sending writes a
// row or two per message, so the database is not what it measures.
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const res = spawnSync(path.join(ROOT, 'node_modules/.bin/vitest'), ['run', '-c', 'bench/vitest.bench.config.mjs', 'bench/send.bench.ts'], { cwd: ROOT, stdio: 'inherit', env: { DB_DIALECT: 'sqlite', ...process.env } });
process.exit(res.status ?? 1);
