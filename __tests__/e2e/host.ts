// A real NocoBase host for end-to-end tests, in its own temporary folder and port.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getPortPromise } from 'portfinder';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const host = require('../../scripts/host.js');

export interface Host {
  url: string;
  dir: string;
  storage: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export const PACKAGE_NAME: string = host.PKG;

/** Prepares a host folder; `withPlugin` links this checkout, otherwise the host is stock. */
export async function prepareHost({ withPlugin, env: extraEnv = {} }: { withPlugin: boolean; env?: Record<string, string> }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'email-manager-e2e-'));
  host.prepareModules(dir, { withPlugin });
  const port = await getPortPromise({ port: 14000 });
  const storage = path.join(dir, 'storage');
  // Each host gets its own SQLite file; the machine's PostgreSQL is for the server suite.
  const env = host.hostEnv({ hostDir: dir, storage, port, extra: { DB_DIALECT: 'sqlite', DB_STORAGE: path.join(storage, 'db.sqlite'), LOGGER_LEVEL: 'error', ...extraEnv } });
  return { dir, port, storage, env };
}

/** Runs a NocoBase command (`install`, `pm enable …`) to completion. */
export function nocobase(args: string[], env: Record<string, string>): Promise<void> {
  return host.runOrThrow(args, env, { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Starts the host and resolves once it answers. */
export async function start(prepared: Awaited<ReturnType<typeof prepareHost>>): Promise<Host> {
  const { child, done } = host.run(['start'], prepared.env, { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${prepared.port}`;
  try {
    await host.waitFor(`${url}/api/__health_check`, 180000, () => child.exitCode === null);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    url,
    dir: prepared.dir,
    storage: prepared.storage,
    env: prepared.env,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await done;
    },
  };
}

/** A host with this checkout's plugin installed, enabled and started: what most e2e files need. */
export async function startWithPlugin(env: Record<string, string> = {}) {
  const prepared = await prepareHost({ withPlugin: true, env });
  await nocobase(['install'], prepared.env);
  await nocobase(['pm', 'enable', PACKAGE_NAME], prepared.env);
  return { prepared, host: await start(prepared) };
}

/** Removes a host's folder (its storage included). */
export function remove(dir: string) {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Signs in through the API as the install's root user; returns a bearer token. */
export async function apiToken(url: string, env: Record<string, string>): Promise<string> {
  const res = await fetch(`${url}/api/auth:signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-authenticator': 'basic' },
    body: JSON.stringify({ account: env.INIT_ROOT_EMAIL, password: env.INIT_ROOT_PASSWORD }),
  });
  const body = await res.json();
  if (!body?.data?.token) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(body)}`);
  return body.data.token;
}

/** A POST with a JSON body, for api() and the sandbox's control API. */
export const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** A member user who signs in with these credentials (the shape signIn and apiToken take). */
export function createMember(url: string, token: string, nickname: string, who: { INIT_ROOT_EMAIL: string; INIT_ROOT_PASSWORD: string }) {
  return api(url, token, 'users:create', json({ nickname, email: who.INIT_ROOT_EMAIL, password: who.INIT_ROOT_PASSWORD, roles: ['member'] }));
}

/** Calls the host's HTTP API as the given token; returns `data` or throws with the answer. */
export async function api(url: string, token: string, action: string, init: RequestInit = {}) {
  const res = await fetch(`${url}/api/${action}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers || {}) } });
  const text = await res.text();
  if (!res.ok) throw new Error(`${action}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text).data : undefined;
}
