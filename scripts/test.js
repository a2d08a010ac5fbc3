'use strict';
// npm test [server|client|e2e]: type check, lint, server tests on SQLite and on PostgreSQL,
// client tests in jsdom, provider sandbox conformance tests, e2e tests in Debian Chromium against real NocoBase hosts.
// Installs what the tests need beyond npm (Chromium, CJK fonts, a running PostgreSQL) when it
// can (root + apt), and otherwise says exactly what to install. Ends with "N passed, N failed".
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(ROOT, '.test-results');
const BIN = path.join(ROOT, 'node_modules/.bin');

const PG = {
  DB_HOST: process.env.DB_HOST || '127.0.0.1',
  DB_PORT: process.env.DB_PORT || '5432',
  DB_USER: process.env.DB_USER || 'postgres',
  DB_PASSWORD: process.env.DB_PASSWORD || '',
  DB_DATABASE: process.env.PG_TEST_DATABASE || 'email_manager_test',
};

const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];

function sh(command, args, options = {}) {
  const res = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  return res.status === 0;
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

let aptUpdated = false;
function aptInstall(packages) {
  if (!isRoot() || !fs.existsSync('/usr/bin/apt-get')) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) aptUpdated = sh('apt-get', ['update', '-qq'], { env });
  return sh('apt-get', ['install', '-y', '-qq', ...packages], { env });
}

function fail(message) {
  console.error(`\n${message}`);
  process.exit(1);
}

/** A step that is not a test runner: counts as one passed or failed check. */
function check(name, command, args) {
  console.log(`\n▶ ${name}`);
  const ok = sh(command, args);
  totals[ok ? 'passed' : 'failed'] += 1;
  summary.push(`${name}: ${ok ? 'ok' : 'FAILED'}`);
  return ok;
}

/** Runs one vitest suite and adds its counts from the JSON report. */
function vitest(name, config, env = {}) {
  console.log(`\n▶ ${name}`);
  fs.mkdirSync(RESULTS, { recursive: true });
  const report = path.join(RESULTS, `${name.replace(/[^a-z0-9]+/gi, '-')}.json`);
  fs.rmSync(report, { force: true });
  const ok = sh(path.join(BIN, 'vitest'), ['run', '-c', config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], {
    env: { ...process.env, ...env },
  });
  let passed = 0;
  let failed = ok ? 0 : 1;
  let skipped = 0;
  if (fs.existsSync(report)) {
    const json = JSON.parse(fs.readFileSync(report, 'utf8'));
    passed = json.numPassedTests;
    skipped = json.numPendingTests + json.numTodoTests;
    // A suite that fails to load has no failed tests but still failed.
    failed = Math.max(json.numFailedTests, ok ? 0 : 1);
  }
  if (passed + failed === 0) failed = 1; // a suite that ran nothing proves nothing
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  summary.push(`${name}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return ok;
}

async function ensurePostgres() {
  const { Client } = require('pg');
  const connect = async (database) => {
    const client = new Client({ host: PG.DB_HOST, port: Number(PG.DB_PORT), user: PG.DB_USER, password: PG.DB_PASSWORD, database });
    await client.connect();
    return client;
  };
  let admin;
  try {
    admin = await connect('postgres');
  } catch {
    // The machine's cluster may simply be stopped: start it as its own scripts do.
    const versions = fs.existsSync('/etc/postgresql') ? fs.readdirSync('/etc/postgresql') : [];
    if (isRoot() && versions.length) sh('pg_ctlcluster', ['--skip-systemctl-redirect', versions[0], 'main', 'start']);
    try {
      admin = await connect('postgres');
    } catch (err) {
      fail(`PostgreSQL is not reachable at ${PG.DB_HOST}:${PG.DB_PORT} as ${PG.DB_USER} (${err.message}).\n` +
        'Install and start it (Debian: apt-get install postgresql, then pg_ctlcluster <version> main start), ' +
        'or point DB_HOST, DB_PORT, DB_USER and DB_PASSWORD at one.');
    }
  }
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [PG.DB_DATABASE]);
  if (!rowCount) await admin.query(`CREATE DATABASE "${PG.DB_DATABASE}"`);
  await admin.end();
}

function ensureBrowser() {
  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) {
    console.log('Chromium is missing: installing Debian\'s chromium…');
    if (!aptInstall(['chromium']) || !fs.existsSync(chromium)) {
      fail('The e2e tests need Debian\'s Chromium at /usr/bin/chromium.\n' +
        'Install it with: sudo apt-get update && sudo apt-get install -y chromium\n' +
        '(or set CHROMIUM_PATH to a Chromium or Chrome binary).');
    }
  }
  // Without CJK fonts the zh-CN screenshots show empty boxes; the tests pass either way.
  const fonts = spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' });
  if (!fonts.stdout || !fonts.stdout.trim()) {
    if (!aptInstall(['fonts-noto-cjk'])) console.warn('Note: no CJK font found (apt-get install fonts-noto-cjk); zh-CN screenshots will show boxes.');
  }
}

async function main() {
  const only = process.argv[2];
  const wanted = (part) => !only || only === part;
  if (only && !['server', 'client', 'sandbox', 'e2e'].includes(only)) fail(`unknown part "${only}": use server, client, sandbox or e2e`);
  if (!fs.existsSync(BIN)) fail('node_modules is missing: run npm install first.');
  const started = Date.now();

  if (!only) {
    check('typecheck', path.join(BIN, 'tsc'), ['-p', 'tsconfig.json', '--noEmit']);
    check('lint', path.join(BIN, 'eslint'), ['--max-warnings', '0', 'src', '__tests__', 'scripts', 'sandbox', 'bench']);
  }
  if (wanted('server')) {
    vitest('server (sqlite)', '__tests__/vitest.server.config.mjs', { DB_DIALECT: 'sqlite' });
    await ensurePostgres();
    vitest('server (postgres)', '__tests__/vitest.server.config.mjs', { DB_DIALECT: 'postgres', ...PG });
  }
  if (wanted('client')) vitest('client (jsdom)', '__tests__/vitest.client.config.mjs');
  if (wanted('sandbox')) vitest('sandbox (conformance)', '__tests__/vitest.sandbox.config.mjs');
  if (wanted('e2e')) {
    ensureBrowser();
    vitest('e2e (chromium)', '__tests__/vitest.e2e.config.mjs');
  }

  console.log(`\n${summary.join('\n')}\nin ${((Date.now() - started) / 1000).toFixed(0)}s`);
  console.log(`total: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
  process.exit(totals.failed ? 1 : 0);
}

main().catch((err) => fail(err.stack || String(err)));
