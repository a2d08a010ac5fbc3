import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import React from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MailAccountsPage } from '../../src/client/accounts/MailAccountsPage';
import { relativeTime } from '../../src/client/accounts/RelativeTime';
import { goToExternal } from '../../src/client/browser';
import { host } from './fake-host';
import { account, fail, type FakeMailServer } from './fake-server';
import { renderIn, startFakeServer } from './render';

vi.mock('../../src/client/host', () => import('./fake-host'));
vi.mock('../../src/client/browser', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../src/client/browser')>()),
  goToExternal: vi.fn(),
}));

const REDIRECT_URI = 'http://localhost:3000/admin/settings/mail/oauth2';

async function rowOf(address: string) {
  const cell = await screen.findByText(address);
  return within(cell.closest('tr') as HTMLElement);
}

describe('Mail accounts page', () => {
  let server: FakeMailServer;

  beforeEach(() => {
    server = startFakeServer();
    server.linkable = ['google', 'microsoft'];
    vi.mocked(goToExternal).mockReset();
    sessionStorage.clear();
  });
  afterEach(cleanup);

  it('lists the accounts with provider, display name, status tags and last sync', async () => {
    server.accounts = [
      account({ address: 'ann@example.com', displayName: 'Ann Example', status: 'active' }),
      account({ address: 'bob@example.org', provider: 'microsoft', status: 'reauth_required', lastError: 'invalid_grant: token revoked', lastSyncAt: null }),
      account({ address: 'cy@example.com', status: 'syncing' }),
    ];
    await renderIn(<MailAccountsPage />);

    const ann = await rowOf('ann@example.com');
    expect(ann.getByText('Google (Gmail)')).toBeTruthy();
    expect(ann.getByText('Ann Example')).toBeTruthy();
    expect(ann.getByText('Active').closest('[data-status]')?.getAttribute('data-status')).toBe('active');
    expect(ann.getByText('5 minutes ago')).toBeTruthy();
    expect(ann.queryByRole('button', { name: 'Reconnect' })).toBeNull();

    const bob = await rowOf('bob@example.org');
    expect(bob.getByText('Microsoft (Outlook / Microsoft 365)')).toBeTruthy();
    expect(bob.getByText('Not yet')).toBeTruthy();
    const tag = bob.getByText('Reconnect needed');
    expect(tag.className).toContain('warning');
    fireEvent.mouseEnter(tag);
    expect(await screen.findByText('invalid_grant: token revoked')).toBeTruthy();

    expect((await rowOf('cy@example.com')).getByText('Syncing')).toBeTruthy();
  });

  it('shows a first sync in progress and refreshes itself until it is done', async () => {
    const cy = account({ address: 'cy@example.com', status: 'syncing', syncProgress: { done: 1250, total: 5000 }, lastSyncAt: null });
    server.accounts = [cy];
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      await renderIn(<MailAccountsPage />);
      const row = await rowOf('cy@example.com');
      expect(row.getByText('1,250 of about 5,000 messages')).toBeTruthy();
      expect(row.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('25');
      // The sync finishes at the server; the page notices without a reload.
      server.accounts = [{ ...cy, status: 'active', syncProgress: { done: 5000, total: 5000 }, lastSyncAt: new Date().toISOString() }];
      await vi.advanceTimersByTimeAsync(3500);
      await waitFor(() => expect(screen.queryByTestId('sync-progress')).toBeNull());
      expect((await rowOf('cy@example.com')).getByText('Active')).toBeTruthy();
      const polls = server.callsTo('mailAccounts:list').length;
      await vi.advanceTimersByTimeAsync(10_000);
      expect(server.callsTo('mailAccounts:list').length).toBe(polls);
    } finally {
      vi.useRealTimers();
    }
  });

  it('starts a sync with "Sync now", not for an account that must reconnect first', async () => {
    const ann = account({ address: 'ann@example.com', status: 'active' });
    server.accounts = [ann, account({ address: 'bob@example.org', status: 'reauth_required' })];
    await renderIn(<MailAccountsPage />);
    expect((await rowOf('bob@example.org')).queryByRole('button', { name: 'Sync now' })).toBeNull();
    fireEvent.click((await rowOf('ann@example.com')).getByRole('button', { name: 'Sync now' }));
    expect(await screen.findByText('Syncing ann@example.com…')).toBeTruthy();
    expect(server.callsTo('mailAccounts:sync').map((c) => c.params.filterByTk)).toEqual([ann.id]);
  });

  it('asks before deleting, says local mail goes, then calls destroy', async () => {
    const ann = account({ address: 'ann@example.com' });
    server.accounts = [ann];
    await renderIn(<MailAccountsPage />);

    fireEvent.click((await rowOf('ann@example.com')).getByRole('button', { name: 'Delete' }));
    const confirm = within((await screen.findByText('Delete ann@example.com?')).closest('.ant-popover') as HTMLElement);
    expect(confirm.getByText(/All mail of this account stored in NocoBase will be removed/)).toBeTruthy();
    expect(server.callsTo('mailAccounts:destroy')).toHaveLength(0);

    fireEvent.click(confirm.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(server.callsTo('mailAccounts:destroy')).toHaveLength(1));
    expect(server.callsTo('mailAccounts:destroy')[0].params).toEqual({ filterByTk: ann.id });
    expect(await screen.findByText('ann@example.com was removed')).toBeTruthy();
    expect(await screen.findByText('You have not linked a mailbox yet')).toBeTruthy();
  });

  it('does not delete when the confirmation is cancelled', async () => {
    server.accounts = [account({ address: 'ann@example.com' })];
    await renderIn(<MailAccountsPage />);
    fireEvent.click((await rowOf('ann@example.com')).getByRole('button', { name: 'Delete' }));
    const popover = (await screen.findByText('Delete ann@example.com?')).closest('.ant-popover') as HTMLElement;
    fireEvent.click(within(popover).getByRole('button', { name: 'Cancel' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.callsTo('mailAccounts:destroy')).toHaveLength(0);
  });

  it('reconnects an account that needs it: authorize with its accountId, then off to the provider', async () => {
    const bob = account({ address: 'bob@example.org', provider: 'microsoft', status: 'reauth_required' });
    server.accounts = [bob];
    await renderIn(<MailAccountsPage />);

    fireEvent.click((await rowOf('bob@example.org')).getByRole('button', { name: 'Reconnect' }));
    await waitFor(() => expect(goToExternal).toHaveBeenCalledWith('https://consent.example/microsoft?state=opaque'));
    expect(server.callsTo('mailAccounts:authorize').map((call) => call.data)).toEqual([
      { provider: 'microsoft', redirectUri: REDIRECT_URI, accountId: bob.id },
    ]);
  });

  it('with no account, invites the user to link one through the enabled providers', async () => {
    server.linkable = ['google'];
    await renderIn(<MailAccountsPage />);
    expect(await screen.findByText('You have not linked a mailbox yet')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: /Link account/ }));
    const menu = await screen.findByRole('menu');
    expect(within(menu).queryByText('Microsoft (Outlook / Microsoft 365)')).toBeNull();
    fireEvent.click(within(menu).getByText('Google (Gmail)'));

    // Before the consent page: how much mail to bring in, one month unless the user says otherwise.
    const dialog = await screen.findByRole('dialog');
    expect((within(dialog).getByLabelText('The last month') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(dialog).getByLabelText('Everything'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Continue to Google (Gmail)' }));

    await waitFor(() => expect(goToExternal).toHaveBeenCalledWith('https://consent.example/google?state=opaque'));
    expect(server.callsTo('mailAccounts:authorize')[0].data).toEqual({ provider: 'google', redirectUri: REDIRECT_URI, syncFrom: 'all' });
  });

  it('sends the default start date as a calendar date one month back', async () => {
    await renderIn(<MailAccountsPage />);
    fireEvent.click(await screen.findByRole('button', { name: /Link account/ }));
    fireEvent.click(within(await screen.findByRole('menu')).getByText('Google (Gmail)'));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Continue to Google (Gmail)' }));
    await waitFor(() => expect(goToExternal).toHaveBeenCalled());
    const today = new Date();
    const expected = new Date(today.getFullYear(), today.getMonth() - 1, today.getDate());
    const sent = server.callsTo('mailAccounts:authorize')[0].data as { syncFrom: string };
    expect(sent.syncFrom).toBe(`${expected.getFullYear()}-${String(expected.getMonth() + 1).padStart(2, '0')}-${String(expected.getDate()).padStart(2, '0')}`);
  });

  it('explains a refused link in plain words', async () => {
    server.on('mailAccounts:authorize', () => fail(400, 'E_PROVIDER_DISABLED', 'google is disabled'));
    await renderIn(<MailAccountsPage />);
    fireEvent.click(await screen.findByRole('button', { name: /Link account/ }));
    fireEvent.click(within(await screen.findByRole('menu')).getByText('Google (Gmail)'));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Continue to Google (Gmail)' }));
    expect(await screen.findByText('An administrator has switched this mail provider off.')).toBeTruthy();
    expect(goToExternal).not.toHaveBeenCalled();
  });

  it('with no provider enabled, says an administrator must set one up, and takes admins there', async () => {
    server.linkable = [];
    await renderIn(<MailAccountsPage />);
    expect(await screen.findByText('An administrator must set up Gmail or Outlook in Settings → Email settings first.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Link account/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /Open Email settings/ }));
    expect(host.navigate).toHaveBeenCalledWith('/admin/settings/mail', undefined);
  });

  it('does not offer the settings link to people who cannot open the settings', async () => {
    server = startFakeServer({ canOpenSettings: false });
    await renderIn(<MailAccountsPage />);
    expect(await screen.findByText('Mail accounts cannot be linked yet')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Open Email settings/ })).toBeNull();
  });

  it('says so when the accounts cannot be loaded, and retries', async () => {
    server.on('mailAccounts:list', () => fail(500, 'E_INTERNAL', 'Database unavailable'));
    await renderIn(<MailAccountsPage />);
    expect(await screen.findByText('Your mail accounts could not be loaded')).toBeTruthy();
    server.on('mailAccounts:list', () => ({ body: { data: [account({ address: 'back@example.com' })] } }));
    fireEvent.click(screen.getByRole('button', { name: /Retry/ }));
    expect(await screen.findByText('back@example.com')).toBeTruthy();
  });

  it.each([
    ['zh-CN', '邮箱账户', '正常', '需要重新连接', /^删\s?除$/],
    ['nl-NL', 'E-mailaccounts', 'Actief', 'Opnieuw verbinden nodig', /^Verwijderen$/],
  ])('is translated in %s', async (lng, title, active, reauth, remove) => {
    server.accounts = [account({ status: 'active' }), account({ status: 'reauth_required' })];
    await renderIn(<MailAccountsPage />, lng);
    expect(await screen.findByText(title)).toBeTruthy();
    expect(await screen.findByText(active)).toBeTruthy();
    expect(screen.getByText(reauth)).toBeTruthy();
    // antd spaces out two-character CJK button labels (删 除).
    expect(screen.getAllByRole('button', { name: remove })).toHaveLength(2);
    expect(screen.queryByText('Active')).toBeNull();
  });

  it.each([
    ['nl-NL', '5 minuten geleden'],
    ['zh-CN', '5分钟前'],
  ])('writes relative times in %s', (lng, text) => {
    const now = new Date('2025-01-01T12:00:00Z');
    expect(relativeTime(new Date('2025-01-01T11:55:00Z'), now, lng)).toBe(text);
  });
});
