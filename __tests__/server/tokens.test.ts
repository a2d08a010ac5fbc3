// getAccessToken: served from the vault while fresh, refreshed within 5 minutes of expiry,
// once per account however many callers (and processes) ask at the same time; invalid_grant
// sends the account to reauth_required and nothing else stops.
import type { MockServer } from '@nocobase/test';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import { AccessTokenError, TokenService } from '../../src/server/oauth/tokens';
import type { CallbackResponse, MailAccountDTO } from '../../src/shared/types';
import { Api, collectSecrets, seen } from './helpers/api';
import { bootApp, CLIENTS, configureProviders, createUser, plugin, storedTokens } from './helpers/app';
import { captureLogs, type Captured } from './helpers/capture';

let sandbox: Sandbox;
let app: MockServer;
let logs: Captured;
let user: Api;
const accounts = {} as Record<'google' | 'microsoft', MailAccountDTO>;
const errors: string[] = [];

const MAILBOX = { google: 'alice@example.com', microsoft: 'carol@contoso.example' } as const;
const TOKEN_OPERATION = { google: 'oauth2.token', microsoft: 'identity.token' } as const;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 14, size: 20 });
  app = await bootApp();
  logs = captureLogs(app);
  await configureProviders(app, sandbox);
  user = await Api.as(app, await createUser(app));
  for (const provider of ['google', 'microsoft'] as const) {
    accounts[provider] = user.data<CallbackResponse>(await user.link(provider, MAILBOX[provider])).account;
  }
});

afterAll(async () => {
  logs?.stop();
  await app?.destroy();
  await sandbox?.stop();
});

afterEach(() => {
  sandbox.state.faults.clear();
});

const tokens = () => plugin(app).services.tokens;
const tokenRequests = (provider: 'google' | 'microsoft') => sandbox.state.counters.requests[TOKEN_OPERATION[provider]] || 0;

/** Moves the stored expiry, as if the token had been issued long ago. */
async function expireIn(accountId: unknown, ms: number) {
  const current = await storedTokens(app, accountId);
  const sealed = await app.aesEncryptor.encrypt(JSON.stringify({ ...current, expiresAt: Date.now() + ms }));
  await app.db.getRepository('mailAccounts').update({ filterByTk: accountId as string, values: { tokens: sealed } });
  return current;
}

async function failure(promise: Promise<unknown>): Promise<AccessTokenError> {
  const err = await promise.then(
    () => undefined,
    (e) => e,
  );
  expect(err).toBeInstanceOf(AccessTokenError);
  errors.push(`${(err as Error).message} ${(err as Error).stack}`);
  return err as AccessTokenError;
}

describe.each(['google', 'microsoft'] as const)('%s', (provider) => {
  it('serves a fresh token from the vault without asking the provider', async () => {
    const before = tokenRequests(provider);
    const token = await tokens().getAccessToken(accounts[provider].id);
    expect(token).toBe((await storedTokens(app, accounts[provider].id)).accessToken);
    expect(tokenRequests(provider)).toBe(before);
  });

  it('refreshes within 5 minutes of expiry, once for 5 concurrent callers', async () => {
    const old = await expireIn(accounts[provider].id, 4 * 60_000);
    // Slow token endpoint: all five callers are waiting while the refresh is in flight.
    sandbox.state.faults.add({ provider, operation: TOKEN_OPERATION[provider], latencyMs: 200 });
    const before = tokenRequests(provider);
    const locks = vi.spyOn(app.lockManager, 'runExclusive');
    const results = await Promise.all(Array.from({ length: 5 }, () => tokens().getAccessToken(accounts[provider].id)));
    // Callers in one process share a single refresh: one lock taken, one token request.
    expect(locks).toHaveBeenCalledTimes(1);
    locks.mockRestore();
    expect(tokenRequests(provider)).toBe(before + 1);
    expect(new Set(results).size).toBe(1);
    expect(results[0]).not.toBe(old.accessToken);
    const stored = await storedTokens(app, accounts[provider].id);
    expect(stored.accessToken).toBe(results[0]);
    expect(stored.refreshToken).toBeTruthy();
    expect(stored.expiresAt).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(sandbox.state.tokens.verify(results[0])?.user.email).toBe(MAILBOX[provider]);
    seen.secrets.add(stored.accessToken);
    seen.secrets.add(stored.refreshToken);
  });

  it('refreshes once across processes: the lock plus a second look at the account', async () => {
    await expireIn(accounts[provider].id, 60_000);
    sandbox.state.faults.add({ provider, operation: TOKEN_OPERATION[provider], latencyMs: 200 });
    // A second service instance shares only the database and the lock manager, like another node.
    const services = plugin(app).services;
    const otherNode = new TokenService({ db: app.db, vault: services.vault, settings: services.settings, lockManager: app.lockManager, log: services.log });
    const before = tokenRequests(provider);
    const results = await Promise.all([
      tokens().getAccessToken(accounts[provider].id),
      otherNode.getAccessToken(accounts[provider].id),
      tokens().getAccessToken(accounts[provider].id),
      otherNode.getAccessToken(accounts[provider].id),
    ]);
    expect(tokenRequests(provider)).toBe(before + 1);
    expect(new Set(results).size).toBe(1);
  });

  it('a temporary failure (503) changes nothing: the account stays active', async () => {
    await expireIn(accounts[provider].id, 60_000);
    sandbox.state.faults.add({ provider, operation: TOKEN_OPERATION[provider], status: 503 });
    const err = await failure(tokens().getAccessToken(accounts[provider].id));
    expect(err.kind).toBe('temporary');
    const row = await app.db.getRepository('mailAccounts').findOne({ filterByTk: accounts[provider].id as string });
    expect(row?.get('status')).toBe('active');
    expect(row?.get('lastError')).toBeNull();
    sandbox.state.faults.clear();
    expect(await tokens().getAccessToken(accounts[provider].id)).toBeTruthy();
  });

  it('invalid_grant after the user revoked access: reauth_required with a reason, other accounts go on', async () => {
    const other = provider === 'google' ? 'microsoft' : 'google';
    await expireIn(accounts[provider].id, 60_000);
    expect(sandbox.state.tokens.revokeUser(MAILBOX[provider])).toBeGreaterThan(0);
    const err = await failure(tokens().getAccessToken(accounts[provider].id));
    expect(err.kind).toBe('reauth');
    expect(err.message).toContain('invalid_grant');
    const dto = user.data<MailAccountDTO>(await user.call('mailAccounts', 'get', { filterByTk: accounts[provider].id }));
    expect(dto.status).toBe('reauth_required');
    expect(dto.lastError).toMatch(/reconnect it.*invalid_grant/);
    // The revoked grant is not asked again until the owner reconnects.
    const before = tokenRequests(provider);
    expect((await failure(tokens().getAccessToken(accounts[provider].id))).kind).toBe('reauth');
    expect(tokenRequests(provider)).toBe(before);
    expect(await tokens().getAccessToken(accounts[other].id)).toBeTruthy();
  });

  it('reconnecting brings the same account back to active with working tokens', async () => {
    const { account } = user.data<CallbackResponse>(await user.callback(await user.consentFor({ accountId: accounts[provider].id }, MAILBOX[provider])));
    expect(account).toMatchObject({ id: accounts[provider].id, status: 'active', lastError: null });
    const token = await tokens().getAccessToken(account.id);
    expect(sandbox.state.tokens.verify(token)?.user.email).toBe(MAILBOX[provider]);
  });
});

describe('secrets', () => {
  it('no log line and no error contains a client secret or a token', async () => {
    await collectSecrets(app);
    const secrets = [CLIENTS.google.clientSecret, CLIENTS.microsoft.clientSecret, ...seen.secrets].filter(Boolean);
    const text = logs.text();
    expect(text).toContain('mail account token refresh failed');
    expect(errors.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(text.includes(secret), `a log line contains ${secret.slice(0, 6)}…`).toBe(false);
      for (const error of errors) expect(error.includes(secret)).toBe(false);
      for (const body of seen.bodies) expect(body.includes(secret)).toBe(false);
    }
  });
});
