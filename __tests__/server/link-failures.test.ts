// Every way linking can fail answers its own LINK_ERRORS code with a fitting status, and
// changes no account: consent denied, a missing/forged/expired/reused/foreign state, a
// disabled or misconfigured provider, a rejected code, an unreachable provider, a bad
// redirect URI. States are single use even when two callbacks race.
import type { MockServer } from '@nocobase/test';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import { LINK_ERRORS, type CallbackResponse } from '../../src/shared/types';
import { Api, collectSecrets, seen, type Answer } from './helpers/api';
import { bootApp, CLIENTS, configureProviders, createUser, REDIRECT_URI, rootUser, snapshotAccounts } from './helpers/app';
import { captureLogs, type Captured } from './helpers/capture';

let sandbox: Sandbox;
let app: MockServer;
let logs: Captured;
let user: Api;
let other: Api;
let before: string[];

const MAILBOX = { google: 'alice@example.com', microsoft: 'carol@contoso.example' } as const;
const PROVIDERS = ['google', 'microsoft'] as const;
const TOKEN_OPERATION = { google: 'oauth2.token', microsoft: 'identity.token' } as const;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 12, size: 20 });
  app = await bootApp();
  logs = captureLogs(app);
  await configureProviders(app, sandbox);
  user = await Api.as(app, await createUser(app));
  other = await Api.as(app, await createUser(app));
  // Each user already has accounts, so "changes nothing" has something to protect.
  for (const provider of PROVIDERS) user.data(await user.link(provider, MAILBOX[provider]));
});

afterAll(async () => {
  logs?.stop();
  await app?.destroy();
  await sandbox?.stop();
});

beforeEach(async () => {
  before = await snapshotAccounts(app);
});

afterEach(() => {
  sandbox.state.faults.clear();
});

function expectFailure(answer: Answer, code: string, status: number) {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.body.errors).toHaveLength(1);
  expect(answer.body.errors?.[0].code).toBe(code);
  expect(answer.body.errors?.[0].message).toMatch(/\w/);
}

async function expectUnchanged() {
  expect(await snapshotAccounts(app)).toEqual(before);
}

async function setProvider(name: 'google' | 'microsoft', values: Record<string, unknown>) {
  const admin = await Api.as(app, await rootUser(app));
  admin.data(await admin.call('mailProviders', 'update', { filterByTk: name, values }));
}

describe('state', () => {
  it('missing', async () => {
    expectFailure(await user.callback({ code: 'x' }), LINK_ERRORS.STATE_MISSING, 400);
    await expectUnchanged();
  });

  it('unknown or forged', async () => {
    const values = await user.consentFor({ provider: 'google' }, MAILBOX.google);
    expectFailure(await user.callback({ ...values, state: `${values.state.slice(0, -2)}AA` }), LINK_ERRORS.STATE_INVALID, 400);
    expectFailure(await user.callback({ ...values, state: 'x'.repeat(43) }), LINK_ERRORS.STATE_INVALID, 400);
    expectFailure(await user.callback({ ...values, state: { $ne: null } }), LINK_ERRORS.STATE_INVALID, 400);
    await expectUnchanged();
  });

  it('reused: a replayed callback is refused and changes nothing', async () => {
    const values = await user.consentFor({ provider: 'google' }, MAILBOX.google);
    user.data(await user.callback(values));
    before = await snapshotAccounts(app);
    expectFailure(await user.callback(values), LINK_ERRORS.STATE_INVALID, 400);
    await expectUnchanged();
  });

  it('expired after 10 minutes', async () => {
    const values = await user.consentFor({ provider: 'microsoft' }, MAILBOX.microsoft);
    await app.db.getRepository('mailOAuthStates').update({ filter: { 'id.$gt': 0 }, values: { expiresAt: new Date(Date.now() - 1000) } });
    const pending = await app.db.getRepository('mailOAuthStates').count();
    expectFailure(await user.callback(values), LINK_ERRORS.STATE_EXPIRED, 400);
    // Used or not, an expired state is gone.
    expect(await app.db.getRepository('mailOAuthStates').count()).toBe(pending - 1);
    await expectUnchanged();
  });

  it('started by another user: refused for them, still good for its owner', async () => {
    const values = await user.consentFor({ provider: 'google' }, MAILBOX.google);
    expectFailure(await other.callback(values), LINK_ERRORS.STATE_OTHER_USER, 403);
    await expectUnchanged();
    expect(await other.call('mailAccounts', 'list').then((a) => a.body.data)).toEqual([]);
    expect(user.data<CallbackResponse>(await user.callback(values)).created).toBe(false);
  });

  it('single use under concurrent callbacks: one wins, the others are refused', async () => {
    const values = await user.consentFor({ provider: 'google' }, 'bob@example.com');
    const answers = await Promise.all([user.callback(values), user.callback(values), user.callback(values)]);
    const ok = answers.filter((a) => a.status === 200);
    expect(ok).toHaveLength(1);
    for (const answer of answers.filter((a) => a.status !== 200)) expectFailure(answer, LINK_ERRORS.STATE_INVALID, 400);
    expect(await app.db.getRepository('mailAccounts').count({ filter: { address: 'bob@example.com' } })).toBe(1);
  });
});

describe.each(PROVIDERS)('%s', (provider) => {
  it('consent denied at the provider', async () => {
    const values = await user.consentFor({ provider }, MAILBOX[provider], 'deny');
    expect(values.error).toBe('access_denied');
    expectFailure(await user.callback(values), LINK_ERRORS.CONSENT_DENIED, 400);
    await expectUnchanged();
  });

  it('code rejected by the provider (invalid_grant), or missing', async () => {
    const values = await user.consentFor({ provider }, MAILBOX[provider]);
    expectFailure(await user.callback({ ...values, code: `${values.code}x` }), LINK_ERRORS.CODE_REJECTED, 400);
    const again = await user.consentFor({ provider }, MAILBOX[provider]);
    expectFailure(await user.callback({ state: again.state }), LINK_ERRORS.CODE_REJECTED, 400);
    await expectUnchanged();
  });

  it('provider disabled: no authorize, and a callback already under way is refused', async () => {
    const values = await user.consentFor({ provider }, MAILBOX[provider]);
    await setProvider(provider, { enabled: false });
    try {
      expectFailure(await user.authorize({ provider }), LINK_ERRORS.PROVIDER_DISABLED, 400);
      expectFailure(await user.callback(values), LINK_ERRORS.PROVIDER_DISABLED, 400);
      expect(user.data(await user.call('mailAccounts', 'providers'))).not.toContainEqual({ name: provider });
    } finally {
      await setProvider(provider, { enabled: true });
    }
    await expectUnchanged();
  });

  it('provider misconfigured: the provider refuses the client secret (invalid_client)', async () => {
    const values = await user.consentFor({ provider }, MAILBOX[provider]);
    await setProvider(provider, { clientSecret: 'not-the-right-secret' });
    try {
      const answer = await user.callback(values);
      expectFailure(answer, LINK_ERRORS.PROVIDER_MISCONFIGURED, 502);
      expect(answer.body.errors?.[0].message).toContain('invalid_client');
    } finally {
      await setProvider(provider, { clientSecret: CLIENTS[provider].clientSecret });
    }
    await expectUnchanged();
  });

  it('provider unreachable: the token endpoint drops the connection', async () => {
    const values = await user.consentFor({ provider }, MAILBOX[provider]);
    sandbox.state.faults.add({ provider, operation: TOKEN_OPERATION[provider], drop: true });
    expectFailure(await user.callback(values), LINK_ERRORS.NETWORK, 502);
    await expectUnchanged();
  });

  it('a provider answer that repeats the client secret and the code is cut before it is shown or logged', async () => {
    const values = await user.consentFor({ provider }, MAILBOX[provider]);
    const echo = `client_secret=${CLIENTS[provider].clientSecret} code=${values.code} ${'padding '.repeat(40)}`;
    sandbox.state.faults.add({ provider, operation: TOKEN_OPERATION[provider], status: 400, body: { error: 'invalid_request', error_description: echo } });
    const answer = await user.callback(values);
    expectFailure(answer, LINK_ERRORS.CODE_REJECTED, 400);
    expect(answer.body.errors?.[0].message).toContain('client_secret=[redacted] code=[redacted]');
    expect(answer.text).not.toContain(CLIENTS[provider].clientSecret);
    expect(answer.text).not.toContain(values.code);
    await expectUnchanged();
  });

  it('provider unavailable: 503 at the token endpoint is temporary', async () => {
    const values = await user.consentFor({ provider }, MAILBOX[provider]);
    sandbox.state.faults.add({ provider, operation: TOKEN_OPERATION[provider], status: 503 });
    expectFailure(await user.callback(values), LINK_ERRORS.NETWORK, 502);
    await expectUnchanged();
  });
});

describe('Microsoft authority discovery over a dropped connection', () => {
  it('asks once more when the connection drops (a stale keep-alive socket), and the link starts', async () => {
    const fault = sandbox.state.faults.add({ provider: 'microsoft', operation: 'identity.discovery', drop: true, times: 1 });
    const answer = await user.authorize({ provider: 'microsoft' });
    expect(answer.status, answer.text).toBe(200);
    expect(fault.times).toBe(0);
  });

  it('reports Microsoft unreachable when the second try drops too, and keeps no state', async () => {
    const pending = await app.db.getRepository('mailOAuthStates').count();
    const fault = sandbox.state.faults.add({ provider: 'microsoft', operation: 'identity.discovery', drop: true, times: 2 });
    const answer = await user.authorize({ provider: 'microsoft' });
    expectFailure(answer, LINK_ERRORS.NETWORK, 502);
    expect(answer.body.errors?.[0].message).toMatch(/Microsoft could not be reached/);
    expect(fault.times).toBe(0);
    expect(await app.db.getRepository('mailOAuthStates').count()).toBe(pending);
  });
});

describe('provider misconfigured at authorize', () => {
  it('Microsoft with a tenant the directory does not know', async () => {
    const pending = await app.db.getRepository('mailOAuthStates').count();
    await setProvider('microsoft', { options: { authorizeUrl: sandbox.microsoftUrl, apiBaseUrl: sandbox.microsoftUrl, tenant: 'fabrikam.example' } });
    try {
      const answer = await user.authorize({ provider: 'microsoft' });
      expectFailure(answer, LINK_ERRORS.PROVIDER_MISCONFIGURED, 502);
      expect(answer.body.errors?.[0].message).toContain('fabrikam.example');
    } finally {
      await setProvider('microsoft', { options: { authorizeUrl: sandbox.microsoftUrl, apiBaseUrl: sandbox.microsoftUrl, tenant: 'common' } });
    }
    // No state is kept for an authorize that failed.
    expect(await app.db.getRepository('mailOAuthStates').count()).toBe(pending);
  });
});

describe('provider misconfigured locally', () => {
  it('a stored secret that no longer decrypts (the app key changed) is reported, not used', async () => {
    const providers = app.db.getRepository('mailProviders');
    const sealed = (await providers.findOne({ filter: { name: 'google' } }))?.get('clientSecret');
    await providers.update({ filter: { name: 'google' }, values: { clientSecret: await app.aesEncryptor.encrypt('x').then((s) => `${s.slice(0, 32)}00`) } });
    try {
      const answer = await user.authorize({ provider: 'google' });
      expectFailure(answer, LINK_ERRORS.PROVIDER_MISCONFIGURED, 502);
      expect(answer.body.errors?.[0].message).toMatch(/cannot be decrypted.*APP_AES_SECRET_KEY/);
    } finally {
      await providers.update({ filter: { name: 'google' }, values: { clientSecret: sealed } });
    }
    expect((await user.authorize({ provider: 'google' })).status).toBe(200);
  });
});

describe('provider down (sandbox stopped)', () => {
  it('answers E_PROVIDER_UNREACHABLE at authorize and at callback, and changes nothing', async () => {
    const down = await startSandbox({ seed: 13, size: 10 });
    await configureProviders(app, down);
    try {
      const started = {
        google: await user.consentFor({ provider: 'google' }, MAILBOX.google),
        microsoft: await user.consentFor({ provider: 'microsoft' }, MAILBOX.microsoft),
      };
      await down.stop();
      for (const provider of PROVIDERS) {
        const answer = await user.callback(started[provider]);
        expectFailure(answer, LINK_ERRORS.NETWORK, 502);
        expect(answer.body.errors?.[0].message).toMatch(/could not be reached \(E\w+\)/);
      }
      // msal reads the authority's OpenID configuration before it can build the URL.
      expectFailure(await user.authorize({ provider: 'microsoft' }), LINK_ERRORS.NETWORK, 502);
    } finally {
      await down.stop().catch(() => undefined);
      await configureProviders(app, sandbox);
    }
    await expectUnchanged();
  });
});

describe('request checks', () => {
  it('refuses redirect URIs that are not the OAuth landing page', async () => {
    for (const redirectUri of [undefined, '', 'not a url', 'ftp://localhost/admin/settings/mail/oauth2', 'http://localhost:13000/admin/settings/mail', 'https://evil.example/admin/settings/mail/oauth2?next=/x', 'https://u:p@host/admin/settings/mail/oauth2', 'javascript:alert(1)//admin/settings/mail/oauth2']) {
      expectFailure(await user.authorize({ provider: 'google', redirectUri }), LINK_ERRORS.INVALID_REDIRECT_URI, 400);
    }
    // Any origin and public path is fine as long as the path ends with the landing page.
    expect((await user.authorize({ provider: 'google', redirectUri: 'https://crm.example.com/nocobase/admin/settings/mail/oauth2' })).status).toBe(200);
    expect(new URL(user.data<{ url: string }>(await user.authorize({ provider: 'google', redirectUri: REDIRECT_URI })).url).searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
  });

  it('refuses an unknown provider', async () => {
    expectFailure(await user.authorize({ provider: 'yahoo' }), LINK_ERRORS.PROVIDER_DISABLED, 400);
  });

  it('needs a signed-in user', async () => {
    for (const action of ['list', 'providers', 'authorize', 'callback']) {
      const res = await app.agent().resource('mailAccounts')[action]({ values: { provider: 'google', redirectUri: REDIRECT_URI } });
      expect([401, 403], `${action}: ${res.status}`).toContain(res.status);
    }
    await expectUnchanged();
  });
});

describe('secrets', () => {
  it('no failure answer or log line contains a client secret, a code, a verifier or a token', async () => {
    await collectSecrets(app);
    const secrets = [CLIENTS.google.clientSecret, CLIENTS.microsoft.clientSecret, 'not-the-right-secret', ...seen.secrets].filter(Boolean);
    const text = logs.text();
    // The capture saw the failures, with the provider's reasons.
    expect(text).toContain('mail account callback failed at the provider');
    expect(text).toContain('invalid_client');
    for (const secret of secrets) {
      expect(text.includes(secret), `a log line contains ${secret.slice(0, 6)}…`).toBe(false);
      for (const body of seen.bodies) expect(body.includes(secret), `an answer contains ${secret.slice(0, 6)}…`).toBe(false);
    }
  });
});
