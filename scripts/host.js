'use strict';
// Boots a real NocoBase host (@nocobase/app) from npm, in a child process.
//
// The host resolves plugins through NODE_MODULES_PATH and Node's NODE_PATH. We give
// each host its own folder of links to the project's node_modules instead of linking
// our package into the project's node_modules: the project tree stays untouched, and
// a "stock" host (no link to this checkout) can take the plugin the way an admin does,
// from the packed .tgz.
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const PKG = require(path.join(ROOT, 'package.json')).name;
const PROJECT_MODULES = path.join(ROOT, 'node_modules');

function link(target, at) {
  fs.rmSync(at, { recursive: true, force: true });
  fs.symlinkSync(target, at, 'dir');
}

/** Lays out `<hostDir>/node_modules`: every package of the project, plus this plugin when `withPlugin`. */
function prepareModules(hostDir, { withPlugin }) {
  const modules = path.join(hostDir, 'node_modules');
  fs.mkdirSync(modules, { recursive: true });
  for (const entry of fs.readdirSync(PROJECT_MODULES)) {
    if (entry.startsWith('.')) continue;
    const source = path.join(PROJECT_MODULES, entry);
    if (!entry.startsWith('@')) {
      if (!fs.existsSync(path.join(modules, entry))) link(source, path.join(modules, entry));
      continue;
    }
    // Scopes are real folders so that a plugin can be added to (or left out of) them.
    const scope = path.join(modules, entry);
    if (fs.existsSync(scope) && fs.lstatSync(scope).isSymbolicLink()) fs.rmSync(scope);
    fs.mkdirSync(scope, { recursive: true });
    for (const name of fs.readdirSync(source)) {
      const at = path.join(scope, name);
      if (`${entry}/${name}` === PKG) continue;
      if (!fs.existsSync(at)) link(path.join(source, name), at);
    }
  }
  const own = path.join(modules, PKG);
  if (withPlugin) link(ROOT, own);
  else if (fs.existsSync(own) && fs.realpathSync(own) === ROOT) fs.rmSync(own);
  return modules;
}

/** Environment for a host whose data lives in `storage`, listening on `port`. */
function hostEnv({ hostDir, storage, port, extra = {} }) {
  const modules = path.join(hostDir, 'node_modules');
  // A host started from a test runner must not believe it is one (NocoBase reads VITEST).
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(VITEST|TEST$|NODE_ENV$)/.test(key)));
  const env = {
    ...inherited,
    APP_PACKAGE_ROOT: path.join(PROJECT_MODULES, '@nocobase/app'),
    NODE_MODULES_PATH: modules,
    NODE_PATH: modules,
    STORAGE_PATH: storage,
    APP_PORT: String(port),
    APP_ENV: process.env.APP_ENV || 'production',
    APP_KEY: process.env.APP_KEY || 'email-manager-dev-key',
    INIT_ROOT_EMAIL: process.env.INIT_ROOT_EMAIL || 'admin@nocobase.com',
    INIT_ROOT_PASSWORD: process.env.INIT_ROOT_PASSWORD || 'admin123',
    LOGGER_LEVEL: process.env.LOGGER_LEVEL || 'warn',
    ...extra,
  };
  if (!env.DB_DIALECT) env.DB_DIALECT = 'sqlite';
  if (env.DB_DIALECT === 'sqlite' && !env.DB_STORAGE) env.DB_STORAGE = path.join(storage, 'db', 'nocobase.sqlite');
  return env;
}

/**
 * Runs one NocoBase command (`install`, `pm enable …`, `start` …) in a child process.
 * `quietBoot` drops the gateway's log lines for requests refused while the app is still
 * loading: readiness polling causes them and they are not errors.
 */
function run(args, env, { stdio = 'inherit', quietBoot = false } = {}) {
  const child = spawn(process.execPath, [path.join(__dirname, 'host-main.js'), ...args], {
    cwd: path.dirname(env.NODE_MODULES_PATH),
    env,
    stdio: quietBoot ? ['inherit', 'pipe', 'inherit'] : stdio,
  });
  if (quietBoot) {
    require('readline').createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.includes('"code":"APP_COMMANDING"')) process.stdout.write(`${line}\n`);
    });
  }
  const done = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, done };
}

async function runOrThrow(args, env, options) {
  const { code, signal } = await run(args, env, options).done;
  if (code !== 0) throw new Error(`nocobase ${args.join(' ')} failed (exit ${code}${signal ? `, ${signal}` : ''})`);
}

/**
 * Resolves when `url` answers 200, rejects after `timeoutMs`. While the app loads, NocoBase
 * answers 503 with what it is doing ("load plugin [acl], 2/78"): `onProgress` receives that.
 */
async function waitFor(url, timeoutMs = 180000, isAlive = () => true, onProgress = () => {}) {
  const start = Date.now();
  for (;;) {
    if (!isAlive()) throw new Error(`host exited before ${url} answered`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
      const body = await res.json().catch(() => undefined);
      if (body?.error?.message) onProgress(body.error.message);
    } catch {
      // not listening yet
    }
    if (Date.now() - start > timeoutMs) throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

module.exports = { ROOT, PKG, prepareModules, hostEnv, run, runOrThrow, waitFor };
