'use strict';
// npm run bench:center: the Email center in Chromium against a real host, with a 100-, a
// 10,000- and a 100,000-message account (bench/center.browser.ts). Prints figures, asserts none.
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const res = spawnSync(path.join(ROOT, 'node_modules/.bin/vitest'), ['run', '-c', 'bench/vitest.center.config.mjs'], { cwd: ROOT, stdio: 'inherit', env: process.env });
process.exit(res.status ?? 1);
