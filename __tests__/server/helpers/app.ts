// Boots a real NocoBase (SQLite or PostgreSQL per DB_DIALECT) with the plugin, with the ACL
// enforced over HTTP as in a real host (@nocobase/test turns it off unless asked).
import { createMockServer, type MockServer } from '@nocobase/test';
import PluginEmailManagerServer from '../../../src/server';
import type { Sandbox } from '../../../sandbox';

export { PluginEmailManagerServer };

export const CLIENTS = {
  google: { clientId: 'sandbox-google-client', clientSecret: 'sandbox-google-secret' },
  microsoft: { clientId: 'sandbox-microsoft-client', clientSecret: 'sandbox-microsoft-secret' },
} as const;

export const REDIRECT_URI = 'http://localhost:13000/admin/settings/mail/oauth2';

/** `pluginOptions` are merged over the defaults (e.g. `{ gmailQuotaUnitsPerMinute: 0 }`). */
export async function bootApp(pluginOptions: Record<string, unknown> = {}): Promise<MockServer> {
  return createMockServer({
    acl: true,
    // The tests run syncs themselves; a background schedule would race them.
    plugins: ['field-sort', 'users', 'auth', 'acl', 'data-source-manager', [PluginEmailManagerServer, { name: 'email-manager', syncSchedule: false, ...pluginOptions }]],
  });
}

export function plugin(app: MockServer): PluginEmailManagerServer {
  return app.pm.get(PluginEmailManagerServer) as PluginEmailManagerServer;
}

let userSeq = 0;

/** A user with the given roles (the first is their default role). */
export async function createUser(app: MockServer, roles: string[] = ['member']) {
  userSeq += 1;
  return app.db.getRepository('users').create({
    values: { nickname: `user${userSeq}`, username: `user${userSeq}_${Date.now()}`, email: `user${userSeq}.${Date.now()}@nocobase.test`, roles },
  });
}

/** The root user the install created: holds every role, including admin. */
export async function rootUser(app: MockServer) {
  return app.db.getRepository('users').findOne({ filter: { 'roles.name': 'root' } });
}

/** The endpoint overrides that point each provider at the sandbox. */
export function sandboxOptions(sandbox: Sandbox) {
  return {
    google: { authorizeUrl: `${sandbox.googleUrl}/o/oauth2/v2/auth`, tokenUrl: `${sandbox.googleUrl}/token`, apiBaseUrl: `${sandbox.googleUrl}/` },
    microsoft: { authorizeUrl: sandbox.microsoftUrl, apiBaseUrl: sandbox.microsoftUrl, tenant: 'common' },
  };
}

/** Points both providers at the sandbox and enables them, as an admin does in the settings page. */
export async function configureProviders(app: MockServer, sandbox: Sandbox, overrides: Partial<Record<'google' | 'microsoft', Record<string, unknown>>> = {}) {
  const admin = await app.agent().login((await rootUser(app)) as never);
  const options = sandboxOptions(sandbox);
  for (const name of ['google', 'microsoft'] as const) {
    const res = await admin.resource('mailProviders').update({ filterByTk: name, values: { enabled: true, ...CLIENTS[name], options: options[name], ...overrides[name] } });
    if (res.status !== 200) throw new Error(`configuring ${name} failed: ${res.status} ${res.text}`);
  }
}

/** The decrypted token set of an account, straight from the database. */
export async function storedTokens(app: MockServer, accountId: unknown) {
  const row = await app.db.getRepository('mailAccounts').findOne({ filterByTk: accountId as string });
  return JSON.parse(await app.aesEncryptor.decrypt(row?.get('tokens') as string)) as { accessToken: string; refreshToken: string; expiresAt: number };
}

/** Every stored account, tokens included, to prove a failed request changed nothing. */
export async function snapshotAccounts(app: MockServer) {
  const rows = await app.db.getRepository('mailAccounts').find({ sort: ['id'] });
  return rows.map((r: { toJSON(): object; get(k: string): unknown }) => JSON.stringify({ ...r.toJSON(), tokens: r.get('tokens') }));
}
