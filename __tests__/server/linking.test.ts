// Linking mailboxes through the real OAuth flows of both providers, against the sandbox: the
// plugin is configured through its settings API, users drive it over HTTP, and a "browser"
// clicks through the consent pages. Also: linking again, reconnecting, removing, and user A
// versus user B.
import type { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import { LINK_ERRORS, OAUTH_CALLBACK_PATH, type CallbackResponse, type MailAccountDTO } from '../../src/shared/types';
import { Api, collectSecrets, seen } from './helpers/api';
import { bootApp, CLIENTS, configureProviders, createUser, REDIRECT_URI, storedTokens } from './helpers/app';
import { captureLogs, type Captured } from './helpers/capture';
import { consent } from './helpers/consent';

let sandbox: Sandbox;
let app: MockServer;
let logs: Captured;
let alice: Api; // a NocoBase user (not to be confused with the sandbox's mailboxes)
let bruno: Api;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 11, size: 20 });
  app = await bootApp();
  logs = captureLogs(app);
  await configureProviders(app, sandbox);
  alice = await Api.as(app, await createUser(app));
  bruno = await Api.as(app, await createUser(app));
});

afterAll(async () => {
  logs?.stop();
  await app?.destroy();
  await sandbox?.stop();
});

const MAILBOX = { google: 'alice@example.com', microsoft: 'carol@contoso.example' } as const;
const NAME = { google: 'Alice Andersen', microsoft: 'Carol de Vries' } as const;

async function accountsOf(api: Api) {
  return api.data<MailAccountDTO[]>(await api.call('mailAccounts', 'list'));
}

describe.each(['google', 'microsoft'] as const)('%s', (provider) => {
  let linked: MailAccountDTO;

  it('links a mailbox end to end and lists it', async () => {
    const { url } = alice.data<{ url: string }>(await alice.authorize({ provider }));
    const authorize = new URL(url);
    const base = provider === 'google' ? sandbox.googleUrl : sandbox.microsoftUrl;
    expect(url.startsWith(base)).toBe(true);
    expect(authorize.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(authorize.searchParams.get('client_id')).toBe(CLIENTS[provider].clientId);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('scope')).toContain(provider === 'google' ? 'https://www.googleapis.com/auth/gmail.modify' : 'Mail.ReadWrite');
    if (provider === 'google') {
      expect(authorize.searchParams.get('access_type')).toBe('offline');
      expect(authorize.searchParams.get('prompt')).toBe('consent');
    }
    const state = authorize.searchParams.get('state') as string;
    expect(state).toMatch(/^[\w-]{43}$/);
    // The state is kept only as a hash, bound to the user, for 10 minutes.
    const states = await app.db.getRepository('mailOAuthStates').find();
    expect(states).toHaveLength(1);
    expect(JSON.stringify(states[0].toJSON())).not.toContain(state);
    expect(new Date(states[0].get('expiresAt') as string).getTime() - Date.now()).toBeGreaterThan(9 * 60_000);

    const back = await consent(url, MAILBOX[provider]);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
    expect(back.pathname.endsWith(OAUTH_CALLBACK_PATH)).toBe(true);
    seen.secrets.add(back.searchParams.get('code') as string);
    const answer = await alice.callback({ state: back.searchParams.get('state'), code: back.searchParams.get('code') });
    const { account, created } = alice.data<CallbackResponse>(answer);
    expect(created).toBe(true);
    expect(account).toMatchObject({ provider, address: MAILBOX[provider], displayName: NAME[provider], status: 'active', lastError: null });
    expect(Object.keys(account).sort()).toEqual(['address', 'createdAt', 'displayName', 'id', 'lastError', 'lastSyncAt', 'provider', 'status', 'syncFrom', 'syncProgress']);
    expect(await app.db.getRepository('mailOAuthStates').count()).toBe(0);

    const listed = await accountsOf(alice);
    expect(listed.map((a) => a.id)).toContain(account.id);
    expect(alice.data<MailAccountDTO>(await alice.call('mailAccounts', 'get', { filterByTk: account.id }))).toEqual(account);

    // Stored encrypted: the blob holds neither token in clear, and decrypts to a full grant.
    const row = await app.db.getRepository('mailAccounts').findOne({ filterByTk: account.id as string });
    const tokens = await storedTokens(app, account.id);
    expect(tokens.refreshToken).toBeTruthy();
    expect(sandbox.state.tokens.verify(tokens.accessToken)?.user.email).toBe(MAILBOX[provider]);
    expect(row?.get('tokens')).not.toContain(tokens.accessToken);
    expect(row?.get('tokens')).not.toContain(tokens.refreshToken);
    linked = account;
  });

  it('linking the same mailbox again refreshes it: no duplicate', async () => {
    const before = await storedTokens(app, linked.id);
    const { account, created } = alice.data<CallbackResponse>(await alice.link(provider, MAILBOX[provider]));
    expect(created).toBe(false);
    expect(account.id).toBe(linked.id);
    expect((await storedTokens(app, linked.id)).refreshToken).not.toBe(before.refreshToken);
    expect((await accountsOf(alice)).filter((a) => a.address === MAILBOX[provider])).toHaveLength(1);
  });

  it('reconnects an account in place: same id, same mailbox, back to active', async () => {
    await app.db.getRepository('mailAccounts').update({ filterByTk: linked.id as string, values: { status: 'reauth_required', lastError: 'revoked' } });
    const values = await alice.consentFor({ accountId: linked.id }, MAILBOX[provider]);
    const { account, created } = alice.data<CallbackResponse>(await alice.callback(values));
    expect(created).toBe(false);
    expect(account).toMatchObject({ id: linked.id, address: MAILBOX[provider], status: 'active', lastError: null });
    expect(account.createdAt).toBe(linked.createdAt);
  });

  it('the reconnect URL preselects the mailbox, and another mailbox is refused', async () => {
    const { url } = alice.data<{ url: string }>(await alice.authorize({ accountId: linked.id, redirectUri: REDIRECT_URI }));
    expect(new URL(url).searchParams.get('login_hint')).toBe(MAILBOX[provider]);
    const before = await storedTokens(app, linked.id);
    const other = provider === 'google' ? 'bob@example.com' : 'dave@contoso.example';
    const answer = await alice.callback(await consentVia(url, other));
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]).toMatchObject({ code: LINK_ERRORS.ADDRESS_MISMATCH, message: expect.stringContaining(MAILBOX[provider]) });
    expect(await storedTokens(app, linked.id)).toEqual(before);
    expect((await accountsOf(alice)).some((a) => a.address === other)).toBe(false);
  });
});

async function consentVia(url: string, email: string) {
  const back = await consent(url, email);
  seen.secrets.add(back.searchParams.get('code') as string);
  return { state: back.searchParams.get('state'), code: back.searchParams.get('code') };
}

describe('user A and user B', () => {
  it('B never sees, reads, reconnects or removes A’s accounts: they do not exist for B', async () => {
    const mine = await accountsOf(alice);
    expect(mine.length).toBeGreaterThan(0);
    expect(await accountsOf(bruno)).toEqual([]);
    for (const account of mine) {
      for (const [action, params] of [
        ['get', { filterByTk: account.id }],
        ['destroy', { filterByTk: account.id }],
      ] as const) {
        const answer = await bruno.call('mailAccounts', action, params);
        expect(answer.status, `${action} ${answer.text}`).toBe(404);
        expect(answer.body.errors?.[0].code).toBe(LINK_ERRORS.ACCOUNT_NOT_FOUND);
      }
      const reconnect = await bruno.authorize({ accountId: account.id });
      expect(reconnect.status).toBe(404);
      expect(reconnect.body.errors?.[0].code).toBe(LINK_ERRORS.ACCOUNT_NOT_FOUND);
    }
    // Answers for a missing id look exactly the same.
    const missing = await bruno.call('mailAccounts', 'get', { filterByTk: 999999 });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual((await bruno.call('mailAccounts', 'get', { filterByTk: mine[0].id })).body);
    expect((await accountsOf(alice)).map((a) => a.id)).toEqual(mine.map((a) => a.id));
  });

  it('B can link the same mailbox as A: a separate account for each user', async () => {
    const { account, created } = bruno.data<CallbackResponse>(await bruno.link('google', 'alice@example.com'));
    expect(created).toBe(true);
    const aliceAccount = (await accountsOf(alice)).find((a) => a.address === 'alice@example.com') as MailAccountDTO;
    expect(account.id).not.toBe(aliceAccount.id);
    expect((await accountsOf(bruno)).map((a) => a.id)).toEqual([account.id]);

    // Removing B's copy must not revoke the grant at Google, which A's account still uses.
    const aliceTokens = await storedTokens(app, aliceAccount.id);
    expect(bruno.data(await bruno.call('mailAccounts', 'destroy', { filterByTk: account.id }))).toEqual({ id: String(account.id) });
    expect(sandbox.state.tokens.verify(aliceTokens.accessToken)).toBeTruthy();
    expect(await accountsOf(bruno)).toEqual([]);
  });
});

describe('removing an account', () => {
  it('deletes it with its pending states and revokes the grant at the provider', async () => {
    const { account } = bruno.data<CallbackResponse>(await bruno.link('google', 'bob@example.com'));
    const tokens = await storedTokens(app, account.id);
    // A reconnect that was started and not finished belongs to the account's local data.
    await bruno.authorize({ accountId: account.id });
    const revokes = sandbox.state.counters.requests['oauth2.revoke'] || 0;
    expect((await bruno.call('mailAccounts', 'destroy', { filterByTk: account.id })).status).toBe(200);
    expect(await app.db.getRepository('mailAccounts').count({ filter: { id: account.id } })).toBe(0);
    expect(await app.db.getRepository('mailOAuthStates').count({ filter: { accountId: account.id } })).toBe(0);
    expect(sandbox.state.counters.requests['oauth2.revoke']).toBe(revokes + 1);
    expect(sandbox.state.tokens.verify(tokens.accessToken)).toBeUndefined();
    expect((await bruno.call('mailAccounts', 'get', { filterByTk: account.id })).status).toBe(404);
  });

  it('still removes the account when the provider cannot be reached for revocation', async () => {
    const { account } = bruno.data<CallbackResponse>(await bruno.link('google', 'bob@example.com'));
    sandbox.state.faults.add({ provider: 'google', operation: 'oauth2.revoke', drop: true });
    try {
      expect((await bruno.call('mailAccounts', 'destroy', { filterByTk: account.id })).status).toBe(200);
    } finally {
      sandbox.state.faults.clear();
    }
    expect(await accountsOf(bruno)).toEqual([]);
  });
});

describe('secrets', () => {
  it('no answer and no log line contains a client secret, an authorization code, a PKCE verifier or a token', async () => {
    await collectSecrets(app);
    const secrets = [CLIENTS.google.clientSecret, CLIENTS.microsoft.clientSecret, ...seen.secrets].filter(Boolean);
    // Codes, verifiers and tokens of every flow above (two per provider at least).
    expect(secrets.length).toBeGreaterThan(20);
    const text = logs.text();
    // The capture works: it holds the request log of the callbacks, with the code blanked.
    expect(text).toContain('mailAccounts:callback');
    expect(text).toContain('[redacted]');
    for (const secret of secrets) {
      expect(text.includes(secret), `a log line contains ${secret.slice(0, 6)}…`).toBe(false);
      for (const body of seen.bodies) expect(body.includes(secret), `an answer contains ${secret.slice(0, 6)}…`).toBe(false);
    }
  });
});
