import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import React from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EmailSettingsPage } from '../../src/client/settings/EmailSettingsPage';
import { fail, provider, type FakeMailServer } from './fake-server';
import { renderIn, startFakeServer } from './render';

vi.mock('../../src/client/host', () => import('./fake-host'));

const SECRET = 'stored-secret-never-returned';

async function cardOf(name: 'google' | 'microsoft') {
  return within(await screen.findByTestId(`provider-${name}`));
}

function save(card: ReturnType<typeof within>) {
  fireEvent.click(card.getByRole('button', { name: 'Save' }));
}

describe('Settings → Email settings', () => {
  let server: FakeMailServer;

  beforeEach(() => {
    server = startFakeServer({ publicPath: '/nocobase/' });
    server.providers = [
      provider('google', { enabled: true, clientId: 'google-client.apps.googleusercontent.com', clientSecretSet: true }),
      provider('microsoft'),
    ];
  });
  afterEach(cleanup);

  it('shows one card per provider; a stored secret is announced, never shown or prefilled', async () => {
    await renderIn(<EmailSettingsPage />);
    const google = await cardOf('google');
    expect(google.getByText('Google (Gmail)')).toBeTruthy();
    expect((await cardOf('microsoft')).getByText('Microsoft (Outlook / Microsoft 365)')).toBeTruthy();
    expect(google.getByText('A secret is saved')).toBeTruthy();
    expect(google.getByLabelText('Client ID')).toHaveProperty('value', 'google-client.apps.googleusercontent.com');
    expect(document.body.innerHTML).not.toContain(SECRET);

    fireEvent.click(google.getByRole('button', { name: 'Replace' }));
    const secret = google.getByLabelText('Client secret') as HTMLInputElement;
    expect(secret.type).toBe('password');
    expect(secret.value).toBe('');

    // Without a stored secret there is nothing to announce: the input is there, empty.
    const microsoft = await cardOf('microsoft');
    expect(microsoft.queryByText('A secret is saved')).toBeNull();
    expect((microsoft.getByLabelText('Client secret') as HTMLInputElement).value).toBe('');
  });

  it('saves only the fields that changed, and never an empty secret', async () => {
    await renderIn(<EmailSettingsPage />);
    const google = await cardOf('google');
    expect(google.getByRole('button', { name: 'Save' })).toHaveProperty('disabled', true);

    fireEvent.click(google.getByRole('button', { name: 'Replace' }));
    fireEvent.change(google.getByLabelText('Client ID'), { target: { value: '  new-client-id  ' } });
    save(google);

    await waitFor(() => expect(server.callsTo('mailProviders:update')).toHaveLength(1));
    const [update] = server.callsTo('mailProviders:update');
    expect(update.params).toEqual({ filterByTk: 'google' });
    expect(update.data).toEqual({ clientId: 'new-client-id' });
    expect(await screen.findByText('Google (Gmail) settings saved')).toBeTruthy();
  });

  it('sends a new secret once entered, then shows it as saved', async () => {
    await renderIn(<EmailSettingsPage />);
    const microsoft = await cardOf('microsoft');
    fireEvent.change(microsoft.getByLabelText('Client ID'), { target: { value: 'ms-app-id' } });
    fireEvent.change(microsoft.getByLabelText('Client secret'), { target: { value: 'ms-secret' } });
    fireEvent.click(microsoft.getByRole('switch'));
    save(microsoft);

    await waitFor(() => expect(server.callsTo('mailProviders:update')).toHaveLength(1));
    expect(server.callsTo('mailProviders:update')[0].data).toEqual({ enabled: true, clientId: 'ms-app-id', clientSecret: 'ms-secret' });
    expect(await microsoft.findByText('A secret is saved')).toBeTruthy();
    expect(microsoft.queryByDisplayValue('ms-secret')).toBeNull();
  });

  it('sends the Microsoft tenant and endpoints as one options object when one of them changed', async () => {
    await renderIn(<EmailSettingsPage />);
    const microsoft = await cardOf('microsoft');
    expect(microsoft.getByLabelText('Microsoft tenant')).toHaveProperty('value', 'common');
    fireEvent.change(microsoft.getByLabelText('Microsoft tenant'), { target: { value: 'contoso.onmicrosoft.com' } });
    fireEvent.click(microsoft.getByText('Advanced'));
    expect(microsoft.getByText(/national cloud/)).toBeTruthy();
    fireEvent.change(microsoft.getByLabelText('Microsoft Graph base URL'), { target: { value: 'https://127.0.0.1:9443' } });
    save(microsoft);

    await waitFor(() => expect(server.callsTo('mailProviders:update')).toHaveLength(1));
    expect(server.callsTo('mailProviders:update')[0].data).toEqual({
      options: { tenant: 'contoso.onmicrosoft.com', authorizeUrl: '', apiBaseUrl: 'https://127.0.0.1:9443' },
    });
  });

  it('puts a validation error the server names a field for next to that field', async () => {
    server.on('mailProviders:update', () =>
      fail(400, 'E_INVALID_SETTINGS', 'options.tenant: "not a tenant" is not a tenant; use common, organizations or consumers', 'options.tenant'),
    );
    await renderIn(<EmailSettingsPage />);
    const microsoft = await cardOf('microsoft');
    fireEvent.change(microsoft.getByLabelText('Microsoft tenant'), { target: { value: 'not a tenant' } });
    save(microsoft);

    const error = await microsoft.findByText('"not a tenant" is not a tenant; use common, organizations or consumers');
    expect(error.closest('.ant-form-item')?.textContent).toContain('Microsoft tenant');
    expect(microsoft.queryByText('The settings were not saved')).toBeNull();
  });

  it('shows any other server refusal as an alert above Save', async () => {
    server.on('mailProviders:update', () => fail(400, 'E_INVALID_SETTINGS', 'values: must be an object'));
    await renderIn(<EmailSettingsPage />);
    const google = await cardOf('google');
    fireEvent.change(google.getByLabelText('Client ID'), { target: { value: 'other-id' } });
    save(google);

    const alert = await google.findByRole('alert');
    expect(alert.textContent).toContain('The settings were not saved');
    expect(alert.textContent).toContain('values: must be an object');
  });

  it('asks for the client ID before a provider is switched on, without calling the server', async () => {
    await renderIn(<EmailSettingsPage />);
    const microsoft = await cardOf('microsoft');
    fireEvent.click(microsoft.getByRole('switch'));
    save(microsoft);
    expect(await microsoft.findByText('Enter the client ID before switching the provider on')).toBeTruthy();
    expect(server.callsTo('mailProviders:update')).toHaveLength(0);
  });

  it('shows the exact redirect URI under the public path, and copies it', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await renderIn(<EmailSettingsPage />);
    const uri = 'http://localhost:3000/nocobase/admin/settings/mail/oauth2';
    expect(await screen.findByDisplayValue(uri)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Copy/ }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(uri));
    expect(await screen.findByText('Redirect URI copied')).toBeTruthy();
  });

  it('links the setup hints to Google Cloud Console and the Microsoft Entra admin center', async () => {
    server.providers = [provider('google'), provider('microsoft')];
    await renderIn(<EmailSettingsPage />);
    const google = await cardOf('google');
    expect(google.getByText('Open Credentials').closest('a')?.getAttribute('href')).toBe('https://console.cloud.google.com/apis/credentials');
    const microsoft = await cardOf('microsoft');
    expect(microsoft.getByText(/Mail\.ReadWrite, Mail\.Send, offline_access and User\.Read/)).toBeTruthy();
    expect(microsoft.getByText('Open App registrations').closest('a')?.getAttribute('href')).toContain('entra.microsoft.com');
  });

  it('says plainly when nothing is configured yet, until a provider is switched on', async () => {
    server.providers = [provider('google'), provider('microsoft')];
    await renderIn(<EmailSettingsPage />);
    expect(await screen.findByText('No mail provider is configured yet')).toBeTruthy();

    const google = await cardOf('google');
    fireEvent.change(google.getByLabelText('Client ID'), { target: { value: 'g-id' } });
    fireEvent.change(google.getByLabelText('Client secret'), { target: { value: 'g-secret' } });
    fireEvent.click(google.getByRole('switch'));
    save(google);
    expect(await screen.findByText('Google (Gmail) settings saved')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText('No mail provider is configured yet')).toBeNull());
    expect(google.getByText('On')).toBeTruthy();
  });

  it('says so when the settings cannot be loaded', async () => {
    server.on('mailProviders:list', () => fail(403, 'E_FORBIDDEN', 'No permissions'));
    await renderIn(<EmailSettingsPage />);
    expect(await screen.findByText('The provider settings could not be loaded')).toBeTruthy();
    expect(screen.getByText('No permissions')).toBeTruthy();
  });

  it.each([
    ['zh-CN', '邮件服务商', '已保存密钥', '重定向 URI'],
    ['nl-NL', 'E-mailproviders', 'Er is een geheim opgeslagen', 'Omleidings-URI'],
  ])('is translated in %s', async (lng, title, secretSaved, redirect) => {
    await renderIn(<EmailSettingsPage />, lng);
    expect(await screen.findByText(title)).toBeTruthy();
    expect(await screen.findByText(secretSaved)).toBeTruthy();
    expect(screen.getByText(redirect)).toBeTruthy();
    expect(screen.queryByText('A secret is saved')).toBeNull();
  });

  it('sets how often every mailbox is synced, in whole minutes', async () => {
    await renderIn(<EmailSettingsPage />);
    const card = within(await screen.findByTestId('sync-settings'));
    const input = (await card.findByLabelText('Minutes between syncs')) as HTMLInputElement;
    await waitFor(() => expect(input.value).toBe('5'));
    expect((card.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(input, { target: { value: '15' } });
    fireEvent.click(card.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Sync settings saved')).toBeTruthy();
    expect(server.callsTo('mailSettings:save').map((c) => c.data)).toEqual([{ syncIntervalMinutes: 15 }]);
  });

  it('says why the interval was not saved', async () => {
    server.on('mailSettings:save', () => fail(400, 'E_INVALID_SETTINGS', 'syncIntervalMinutes: out of range', 'syncIntervalMinutes'));
    await renderIn(<EmailSettingsPage />);
    const card = within(await screen.findByTestId('sync-settings'));
    const input = (await card.findByLabelText('Minutes between syncs')) as HTMLInputElement;
    await waitFor(() => expect(input.value).toBe('5'));
    fireEvent.change(input, { target: { value: '2' } });
    fireEvent.click(card.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('The sync settings could not be saved: syncIntervalMinutes: out of range')).toBeTruthy();
  });

  it('grants reading all mail to the roles an admin picks, root never listed', async () => {
    server.on('roles:list', () => ({ body: { data: [
      { name: 'root', title: '{{t("Root")}}' },
      { name: 'admin', title: '{{t("Admin")}}' },
      { name: 'support', title: 'Support desk' },
    ] } }));
    await renderIn(<EmailSettingsPage />);
    const card = within(await screen.findByTestId('all-mail-roles'));
    expect(card.getByText('Nobody')).toBeTruthy();
    await waitFor(() => expect(server.callsTo('roles:list').length).toBeGreaterThan(0));
    fireEvent.mouseDown(card.getByRole('combobox', { name: 'Roles that may read all mail' }));
    const option = await screen.findByText('Support desk (support)');
    expect(screen.queryByText(/\(root\)/)).toBeNull();
    expect(screen.getByText('Admin (admin)')).toBeTruthy();
    fireEvent.click(option);
    fireEvent.click(card.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved: who may read all mail')).toBeTruthy();
    expect(server.callsTo('mailSettings:save').map((c) => c.data)).toEqual([{ allMailRoles: ['support'] }]);
  });
});
