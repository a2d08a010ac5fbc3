import { describe, expect, it, vi } from 'vitest';
import { MailApiError, redirectUriFor, toMailApiError } from '../../src/client/api';
import { callAction } from '../../src/client/api/request';
import { providerChanges } from '../../src/client/settings/changes';
import { provider } from './fake-server';

vi.mock('../../src/client/host', () => import('./fake-host'));

describe('api helpers', () => {
  it('asks the host not to notify (the page shows the error itself) and unwraps { data }', async () => {
    const request = vi.fn(async () => ({ data: { data: [{ name: 'google' }] } }));
    const data = await callAction({ request } as never, 'mailAccounts:providers', { method: 'get' });
    expect(data).toEqual([{ name: 'google' }]);
    expect(request).toHaveBeenCalledWith({ url: 'mailAccounts:providers', method: 'get', skipNotify: true });
  });

  it('reads errors[0] (code, message, field) of a failed response', async () => {
    const failed = { message: 'Request failed', response: { status: 400, data: { errors: [{ code: 'E_INVALID_SETTINGS', message: 'clientId: bad', field: 'clientId' }] } } };
    const request = vi.fn(async () => Promise.reject(failed));
    const error = await callAction({ request } as never, 'mailProviders:update', { method: 'post' }).catch((e) => e);
    expect(error).toBeInstanceOf(MailApiError);
    expect(error).toMatchObject({ code: 'E_INVALID_SETTINGS', message: 'clientId: bad', status: 400, field: 'clientId' });
  });

  it('keeps network failures readable, without a code', () => {
    expect(toMailApiError(new Error('Network Error'))).toMatchObject({ message: 'Network Error', code: undefined });
  });

  it.each([
    ['/', 'https://crm.example.com/admin/settings/mail/oauth2'],
    ['/nocobase/', 'https://crm.example.com/nocobase/admin/settings/mail/oauth2'],
    ['nocobase', 'https://crm.example.com/nocobase/admin/settings/mail/oauth2'],
    [undefined, 'https://crm.example.com/admin/settings/mail/oauth2'],
  ])('builds the redirect URI under the public path %s', (publicPath, uri) => {
    expect(redirectUriFor('https://crm.example.com', publicPath)).toBe(uri);
  });

  it('leaves unchanged settings, empty secrets and untouched defaults out of an update', () => {
    const saved = provider('microsoft', { clientId: 'id', clientSecretSet: true, options: {} });
    const values = { enabled: false, clientId: 'id', clientSecret: '   ', options: { tenant: 'common', authorizeUrl: '', apiBaseUrl: '' } };
    expect(providerChanges(saved, values)).toEqual({});
    expect(providerChanges(saved, { ...values, enabled: true, clientSecret: ' s3cret ' })).toEqual({ enabled: true, clientSecret: 's3cret' });
  });
});
