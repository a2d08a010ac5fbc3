// Settings → Email settings over HTTP: provider credentials are admin-only, validated field by
// field, and the client secret is write-only (stored encrypted, never answered or logged).
import type { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS_SNIPPET } from '../../src/shared/constants';
import type { MailProviderDTO } from '../../src/shared/types';
import { Api, seen } from './helpers/api';
import { bootApp, createUser, rootUser } from './helpers/app';
import { captureLogs, type Captured } from './helpers/capture';

let app: MockServer;
let logs: Captured;
let admin: Api;
let member: Api;

const SECRET = 'GOCSPX-settings-test-secret-1234';

beforeAll(async () => {
  app = await bootApp();
  logs = captureLogs(app);
  admin = await Api.as(app, await rootUser(app));
  member = await Api.as(app, await createUser(app, ['member']));
});

afterAll(async () => {
  logs?.stop();
  await app?.destroy();
});

const update = (api: Api, name: string, values: Record<string, unknown>) => api.call('mailProviders', 'update', { filterByTk: name, values });

async function storedRow(name: string) {
  return app.db.getRepository('mailProviders').findOne({ filter: { name } });
}

describe('reading', () => {
  it('both providers exist from install on, disabled and empty', async () => {
    const list = admin.data<MailProviderDTO[]>(await admin.call('mailProviders', 'list'));
    expect(list.map(({ updatedAt: _, ...dto }) => dto)).toEqual([
      { name: 'google', enabled: false, clientId: '', clientSecretSet: false, options: {} },
      { name: 'microsoft', enabled: false, clientId: '', clientSecretSet: false, options: {} },
    ]);
    expect(await app.db.getRepository('mailProviders').count()).toBe(2);
    const one = await admin.call('mailProviders', 'get', { filterByTk: 'microsoft' });
    expect(admin.data<MailProviderDTO>(one).name).toBe('microsoft');
  });

  it('an unknown provider is not found', async () => {
    for (const answer of [await admin.call('mailProviders', 'get', { filterByTk: 'yahoo' }), await update(admin, 'yahoo', { enabled: false })]) {
      expect(answer.status).toBe(404);
      expect(answer.body.errors?.[0]).toMatchObject({ code: 'E_PROVIDER_NOT_FOUND', message: expect.stringContaining('yahoo') });
    }
  });
});

describe('the client secret', () => {
  it('is stored encrypted and never answered', async () => {
    const dto = admin.data<MailProviderDTO>(
      await update(admin, 'google', { enabled: true, clientId: 'id-123.apps.googleusercontent.com', clientSecret: SECRET, options: { tokenUrl: 'https://oauth2.googleapis.com/token/' } }),
    );
    expect(dto).toMatchObject({ name: 'google', enabled: true, clientId: 'id-123.apps.googleusercontent.com', clientSecretSet: true, options: { tokenUrl: 'https://oauth2.googleapis.com/token' } });
    expect(Object.keys(dto).sort()).toEqual(['clientId', 'clientSecretSet', 'enabled', 'name', 'options', 'updatedAt']);
    const sealed = (await storedRow('google'))?.get('clientSecret') as string;
    expect(sealed).toBeTruthy();
    expect(sealed).not.toContain(SECRET);
    expect(await app.aesEncryptor.decrypt(sealed)).toBe(SECRET);
    for (const answer of [await admin.call('mailProviders', 'list'), await admin.call('mailProviders', 'get', { filterByTk: 'google' })]) {
      expect(answer.text).not.toContain(SECRET);
      expect(answer.text).not.toContain(sealed);
    }
  });

  it('is write-only: empty or omitted keeps the stored one, a new value replaces it', async () => {
    const sealed = (await storedRow('google'))?.get('clientSecret');
    admin.data(await update(admin, 'google', { clientSecret: '' }));
    admin.data(await update(admin, 'google', { clientId: 'id-456.apps.googleusercontent.com' }));
    // A form posting the DTO back unchanged is fine too.
    const dto = admin.data<MailProviderDTO>(await admin.call('mailProviders', 'get', { filterByTk: 'google' }));
    admin.data(await update(admin, 'google', { ...dto, clientSecret: undefined }));
    expect((await storedRow('google'))?.get('clientSecret')).toBe(sealed);
    admin.data(await update(admin, 'google', { clientSecret: `${SECRET}-2` }));
    expect(await app.aesEncryptor.decrypt((await storedRow('google'))?.get('clientSecret') as string)).toBe(`${SECRET}-2`);
  });
});

describe('validation: 400, naming the field and what is wrong', () => {
  const cases: Array<[string, 'google' | 'microsoft', Record<string, unknown>, string, RegExp]> = [
    ['enabling without a client ID', 'microsoft', { enabled: true }, 'clientId', /required to enable/],
    ['enabling without a secret', 'microsoft', { enabled: true, clientId: 'abc' }, 'clientSecret', /required to enable/],
    ['a non-boolean switch', 'google', { enabled: 'yes' }, 'enabled', /true or false/],
    ['a client ID with spaces', 'google', { clientId: 'a b' }, 'clientId', /spaces/],
    ['a URL that is not one', 'google', { options: { authorizeUrl: 'accounts.google.com' } }, 'options.authorizeUrl', /not a URL.*https:\/\/accounts\.google\.com/],
    ['a URL that is not http(s)', 'google', { options: { tokenUrl: 'ftp://oauth2.googleapis.com/token' } }, 'options.tokenUrl', /http\(s\)/],
    ['a URL with a query string', 'google', { options: { apiBaseUrl: 'https://gmail.googleapis.com/?x=1' } }, 'options.apiBaseUrl', /query string/],
    ['plain http for Microsoft', 'microsoft', { options: { apiBaseUrl: 'http://graph.microsoft.com' } }, 'options.apiBaseUrl', /Microsoft requires https/],
    ['a Microsoft sign-in host with a path', 'microsoft', { options: { authorizeUrl: 'https://login.microsoftonline.com/common' } }, 'options.authorizeUrl', /options\.tenant/],
    ['a tenant that is not one', 'microsoft', { options: { tenant: 'not a tenant!' } }, 'options.tenant', /common, organizations, consumers/],
    ['a tenant for Google', 'google', { options: { tenant: 'common' } }, 'options.tenant', /only Microsoft/],
    ['an unknown option', 'google', { options: { scope: 'x' } }, 'options.scope', /not a setting/],
    ['an unknown setting', 'google', { clientSecretPlain: 'x' }, 'clientSecretPlain', /not a setting/],
    ['options that are not an object', 'microsoft', { options: 'common' }, 'options', /object/],
  ];

  it.each(cases)('%s', async (_title, name, values, field, message) => {
    const before = (await storedRow(name))?.toJSON();
    const answer = await update(admin, name, values);
    expect(answer.status, answer.text).toBe(400);
    expect(answer.body.errors).toEqual([{ code: 'E_INVALID_SETTINGS', field, message: expect.stringMatching(new RegExp(`^${field.replace('.', '\\.')}: `)) }]);
    expect(answer.body.errors?.[0].message).toMatch(message);
    expect((await storedRow(name))?.toJSON()).toEqual(before);
  });

  it('accepts every tenant form Microsoft knows', async () => {
    for (const tenant of ['common', 'organizations', 'consumers', '3f2b8c1e-5a7d-4e09-b6a1-9d0c2e4f7a13', 'contoso.onmicrosoft.com', 'Fabrikam.COM']) {
      const dto = admin.data<MailProviderDTO>(await update(admin, 'microsoft', { options: { tenant } }));
      expect(dto.options.tenant).toBe(tenant.toLowerCase());
    }
    const dto = admin.data<MailProviderDTO>(await update(admin, 'microsoft', { options: { tenant: '', authorizeUrl: 'https://login.microsoftonline.us/', apiBaseUrl: 'https://graph.microsoft.us' } }));
    expect(dto.options).toEqual({ authorizeUrl: 'https://login.microsoftonline.us', apiBaseUrl: 'https://graph.microsoft.us' });
  });
});

describe('who may', () => {
  it('a member can neither read nor write provider settings', async () => {
    for (const answer of [
      await member.call('mailProviders', 'list'),
      await member.call('mailProviders', 'get', { filterByTk: 'google' }),
      await update(member, 'google', { enabled: false, clientSecret: 'member-was-here' }),
    ]) {
      expect(answer.status).toBe(403);
      expect(answer.text).not.toContain(SECRET);
    }
    expect((await storedRow('google'))?.get('enabled')).toBe(true);
    expect(await app.aesEncryptor.decrypt((await storedRow('google'))?.get('clientSecret') as string)).toBe(`${SECRET}-2`);
  });

  it('an anonymous request neither', async () => {
    const res = await app.agent().resource('mailProviders').list();
    expect([401, 403]).toContain(res.status);
  });

  it('a role holding only the settings snippet can, and so can an admin', async () => {
    await app.db.getRepository('roles').create({ values: { name: 'mailAdmins', snippets: [SETTINGS_SNIPPET], strategy: { actions: [] } } });
    const mailAdmin = await Api.as(app, await createUser(app, ['mailAdmins']));
    expect(mailAdmin.data<MailProviderDTO[]>(await mailAdmin.call('mailProviders', 'list'))).toHaveLength(2);
    expect((await update(mailAdmin, 'microsoft', { clientId: 'from-mail-admin' })).status).toBe(200);
    const adminUser = await Api.as(app, await createUser(app, ['admin']));
    expect((await adminUser.call('mailProviders', 'get', { filterByTk: 'microsoft' })).status).toBe(200);
  });

  it('every signed-in user sees which providers they can link: the enabled ones', async () => {
    expect(member.data(await member.call('mailAccounts', 'providers'))).toEqual([{ name: 'google' }]);
    admin.data(await update(admin, 'google', { enabled: false }));
    expect(member.data(await member.call('mailAccounts', 'providers'))).toEqual([]);
  });
});

describe('secrets', () => {
  it('no answer and no log line contains a client secret', () => {
    const text = logs.text();
    // The capture holds the request log of the updates, with the secret blanked.
    expect(text).toContain('mailProviders:update');
    expect(text).toContain('"clientSecret":"[redacted]"');
    for (const secret of [SECRET, `${SECRET}-2`, 'member-was-here']) {
      expect(text.includes(secret), `a log line contains ${secret}`).toBe(false);
      for (const body of seen.bodies) expect(body.includes(secret)).toBe(false);
    }
  });
});
