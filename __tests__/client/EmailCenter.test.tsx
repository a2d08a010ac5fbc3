import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import React from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EmailCenterPage } from '../../src/client/center/EmailCenterPage';
import { fail, type FakeMailServer } from './fake-server';
import { seedMailbox } from './mailbox';
import { renderIn, startFakeServer } from './render';

vi.mock('../../src/client/host', () => import('./fake-host'));
// antd renders slowly in jsdom.
vi.setConfig({ testTimeout: 20_000 });

const folderItem = (name: string) => screen.getByRole('menuitem', { name: new RegExp(`^${name}`) });
const rowOf = async (subject: string) => (await screen.findByText(subject)).closest('tr') as HTMLElement;
/** Types and presses Enter (rc-input takes one Enter per key press, so the key goes up again). */
export function search(box: HTMLElement, text: string) {
  fireEvent.change(box, { target: { value: text } });
  fireEvent.keyDown(box, { key: 'Enter', code: 'Enter', keyCode: 13 });
  fireEvent.keyUp(box, { key: 'Enter', code: 'Enter', keyCode: 13 });
}
const threadCalls = (server: FakeMailServer) => server.callsTo('mailThreads:list').map((c) => c.params);

describe('Email center', () => {
  let server: FakeMailServer;
  beforeEach(() => {
    server = startFakeServer();
  });
  afterEach(cleanup);

  it('lists the folders in order with unread counts over all accounts, the outbox, then each account’s own folders', async () => {
    seedMailbox(server);
    await renderIn(<EmailCenterPage />);
    await screen.findByText('Quarterly report');
    const nav = screen.getByRole('menu', { name: 'Folders' });
    const names = within(nav).getAllByRole('menuitem').map((item) => item.querySelector('.em-folder-name')?.textContent);
    expect(names).toEqual(['Inbox', 'Sent', 'Drafts', 'Starred', 'Archive', 'Spam', 'Trash', 'Outbox', 'Projects', 'Customers']);
    // Inbox: one unread conversation in each account.
    await waitFor(() => expect(within(folderItem('Inbox')).getByTestId('folder-unread').textContent).toBe('2'));
    expect(within(folderItem('Projects')).getByTestId('folder-unread').textContent).toBe('1');
    expect(within(nav).getByText('me@example.com')).toBeTruthy();
    expect(within(nav).getByText('me@work.example')).toBeTruthy();
    expect(threadCalls(server)[0]).toEqual({ folder: 'inbox', page: 1, pageSize: 50 });
  });

  it('switches folders, labels and accounts', async () => {
    const { gmail, outlook } = seedMailbox(server);
    await renderIn(<EmailCenterPage />);
    await screen.findByText('Contract renewal');

    fireEvent.click(folderItem('Sent'));
    expect(await screen.findByText('My own mail')).toBeTruthy();
    expect(screen.queryByText('Contract renewal')).toBeNull();
    expect(threadCalls(server).at(-1)).toMatchObject({ folder: 'sent' });

    fireEvent.click(folderItem('Projects'));
    expect(await screen.findByText('Label only')).toBeTruthy();
    expect(threadCalls(server).at(-1)).toMatchObject({ folder: 'Label_1', accountId: gmail.id });

    // One account: its folders and counts only.
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Account' }));
    const option = await waitFor(() => {
      const found = screen.getAllByText('me@work.example').find((node) => node.closest('.ant-select-item-option'));
      if (!found) throw new Error('no option yet');
      return found;
    });
    fireEvent.click(option);
    await waitFor(() => expect(threadCalls(server).at(-1)).toMatchObject({ folder: 'inbox', accountId: outlook.id }));
    expect(await screen.findByText('Contract renewal')).toBeTruthy();
    expect(screen.queryByText('Quarterly report')).toBeNull();
    await waitFor(() => expect(within(folderItem('Inbox')).getByTestId('folder-unread').textContent).toBe('1'));
    expect(screen.queryByRole('menuitem', { name: /^Projects/ })).toBeNull();
    expect(screen.getByRole('menuitem', { name: /^Customers/ })).toBeTruthy();
  });

  it('shows one row per conversation: who, subject, snippet, count, attachment, unread in bold', async () => {
    const { gmail } = seedMailbox(server);
    server.addThread(gmail.id, { subject: 'With a file', attachments: [{ remoteId: 'a1', filename: 'a.pdf', contentType: 'application/pdf', size: 10, inline: false }] });
    await renderIn(<EmailCenterPage />);
    const report = await rowOf('Quarterly report');
    expect(report.getAttribute('data-unread')).toBe('true');
    expect(report.className).toContain('em-unread');
    expect(within(report).getByText(/Numbers attached/)).toBeTruthy();
    expect(within(report).getByTestId('message-count').textContent).toBe('3');
    // The user's own address reads "me".
    expect(within(report).getByText(/Ann, me/)).toBeTruthy();
    const lunch = await rowOf('Lunch on Friday?');
    expect(lunch.getAttribute('data-unread')).toBe('false');
    expect(within(lunch).queryByTestId('message-count')).toBeNull();
    expect(within(lunch).queryByLabelText('Has attachments')).toBeNull();
    expect(within(await rowOf('With a file')).getByLabelText('Has attachments')).toBeTruthy();
  });

  it('pages through a big folder', async () => {
    const { gmail } = seedMailbox(server);
    for (let i = 0; i < 117; i++) server.addThread(gmail.id, { subject: `Bulk ${i}` });
    await renderIn(<EmailCenterPage />);
    await screen.findByText('Bulk 116');
    expect(screen.getByTestId('pager').textContent).toBe('1–50 of 120');
    expect(screen.getAllByRole('row')).toHaveLength(50);
    fireEvent.click(screen.getByRole('button', { name: 'Older' }));
    expect(await screen.findByText('Bulk 66')).toBeTruthy();
    expect(screen.getByTestId('pager').textContent).toBe('51–100 of 120');
    expect(threadCalls(server).at(-1)).toMatchObject({ page: 2, pageSize: 50 });
    fireEvent.click(screen.getByRole('button', { name: 'Older' }));
    await waitFor(() => expect(screen.getByTestId('pager').textContent).toBe('101–120 of 120'));
    expect((screen.getByRole('button', { name: 'Older' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Newer' }));
    await waitFor(() => expect(screen.getByTestId('pager').textContent).toBe('51–100 of 120'));
  });

  it('searches, and says so when nothing matches', async () => {
    seedMailbox(server);
    await renderIn(<EmailCenterPage />);
    await screen.findByText('Quarterly report');
    const box = screen.getByRole('searchbox', { name: 'Search mail' });
    search(box, 'carol');
    expect(await screen.findByText('Contract renewal')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText('Quarterly report')).toBeNull());
    expect(threadCalls(server).at(-1)).toMatchObject({ q: 'carol', page: 1 });

    search(box, 'nothing like this');
    expect(await screen.findByText('No conversations match “nothing like this”')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Clear search' }));
    expect(await screen.findByText('Quarterly report')).toBeTruthy();
  });

  it('marks selected conversations read and unread in bulk, and the counts follow', async () => {
    seedMailbox(server);
    await renderIn(<EmailCenterPage />);
    const report = await rowOf('Quarterly report');
    const contract = await rowOf('Contract renewal');
    fireEvent.click(within(report).getByRole('checkbox'));
    fireEvent.click(within(contract).getByRole('checkbox'));
    expect(screen.getByText('2 selected')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Mark as read/ }));
    await waitFor(() => expect(server.callsTo('mailMessages:setRead')).toHaveLength(1));
    const request = server.callsTo('mailMessages:setRead')[0].data as { threadIds: string[]; read: boolean };
    expect(request.read).toBe(true);
    expect(request.threadIds.map(String).sort()).toHaveLength(2);
    await waitFor(() => expect((screen.getByText('Quarterly report').closest('tr') as HTMLElement).getAttribute('data-unread')).toBe('false'));
    await waitFor(() => expect(within(folderItem('Inbox')).queryByTestId('folder-unread')).toBeNull());
    expect(screen.queryByText('2 selected')).toBeNull();

    fireEvent.click(within(await rowOf('Lunch on Friday?')).getByRole('checkbox'));
    fireEvent.click(screen.getByRole('button', { name: /Mark as unread/ }));
    await waitFor(() => expect((screen.getByText('Lunch on Friday?').closest('tr') as HTMLElement).getAttribute('data-unread')).toBe('true'));
    expect((server.callsTo('mailMessages:setRead')[1].data as { read: boolean }).read).toBe(false);
    await waitFor(() => expect(within(folderItem('Inbox')).getByTestId('folder-unread').textContent).toBe('1'));
  });

  it('selects every row of the page with the header checkbox', async () => {
    seedMailbox(server);
    await renderIn(<EmailCenterPage />);
    await screen.findByText('Quarterly report');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all' }));
    expect(screen.getByText('3 selected')).toBeTruthy();
  });

  it('Refresh syncs the accounts in view and reloads the list when the sync is done', async () => {
    const { gmail, outlook } = seedMailbox(server);
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      await renderIn(<EmailCenterPage />);
      await screen.findByText('Quarterly report');
      fireEvent.click(screen.getByRole('button', { name: /Refresh/ }));
      await waitFor(() => expect(server.callsTo('mailAccounts:sync').map((c) => c.params.filterByTk).sort()).toEqual([gmail.id, outlook.id].sort()));
      expect((screen.getByRole('button', { name: /Refresh/ }) as HTMLButtonElement).disabled).toBe(true);
      // The sync brings a new conversation; the accounts show a newer last sync.
      server.addThread(gmail.id, { subject: 'Fresh from the sync', unread: 1 });
      const now = new Date().toISOString();
      server.accounts = server.accounts.map((a) => ({ ...a, lastSyncAt: now }));
      await vi.advanceTimersByTimeAsync(3000);
      expect(await screen.findByText('Fresh from the sync')).toBeTruthy();
      await waitFor(() => expect((screen.getByRole('button', { name: /Refresh/ }) as HTMLButtonElement).disabled).toBe(false));
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows a first sync in progress as a progress bar', async () => {
    const { gmail } = seedMailbox(server);
    server.accounts = server.accounts.map((a) => (a.id === gmail.id ? { ...a, status: 'syncing' as const, syncProgress: { done: 300, total: 1200 }, lastSyncAt: null } : a));
    await renderIn(<EmailCenterPage />);
    const banner = await screen.findByTestId('first-sync');
    expect(within(banner).getByText('Bringing in the mail of me@example.com…')).toBeTruthy();
    expect(within(banner).getByText('300 of about 1,200 messages')).toBeTruthy();
    expect(within(banner).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('25');
  });

  it('offers Reconnect for an account that needs it', async () => {
    const { outlook } = seedMailbox(server);
    server.accounts = server.accounts.map((a) => (a.id === outlook.id ? { ...a, status: 'reauth_required' as const } : a));
    await renderIn(<EmailCenterPage />);
    expect(await screen.findByText('me@work.example needs to be reconnected before its mail can sync again.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Reconnect' })).toBeTruthy();
  });

  it('without an account, invites the user to link one', async () => {
    server.linkable = ['google'];
    await renderIn(<EmailCenterPage />);
    expect(await screen.findByText('You have not linked a mailbox yet')).toBeTruthy();
    expect(screen.getByRole('button', { name: /Link account/ })).toBeTruthy();
    expect(server.callsTo('mailThreads:list')).toHaveLength(0);
  });

  it('says a folder is empty', async () => {
    seedMailbox(server);
    await renderIn(<EmailCenterPage />);
    await screen.findByText('Quarterly report');
    fireEvent.click(folderItem('Trash'));
    expect(await screen.findByText('There are no conversations in Trash')).toBeTruthy();
  });

  it('shows a failure plainly and retries', async () => {
    seedMailbox(server);
    server.on('mailThreads:list', () => fail(500, 'E_INTERNAL', 'Database unavailable'));
    await renderIn(<EmailCenterPage />);
    expect(await screen.findByText('The conversations could not be loaded')).toBeTruthy();
    expect(screen.getByText('Database unavailable')).toBeTruthy();
    server.on('mailThreads:list', (call) => (server as unknown as { listThreads: (p: unknown) => never }).listThreads(call.params));
    fireEvent.click(screen.getByRole('button', { name: /Retry/ }));
    expect(await screen.findByText('Quarterly report')).toBeTruthy();
  });

  it('opens the account settings in a drawer, with the linked accounts and Link account', async () => {
    seedMailbox(server);
    await renderIn(<EmailCenterPage />);
    await screen.findByText('Quarterly report');
    fireEvent.click(screen.getByRole('button', { name: /Account settings/ }));
    const drawer = await screen.findByTestId('mail-accounts');
    expect(await within(drawer).findByText('me@work.example')).toBeTruthy();
    expect(within(drawer).getByText('Microsoft (Outlook / Microsoft 365)')).toBeTruthy();
    expect(within(drawer).getAllByRole('button', { name: 'Sync now' })).toHaveLength(2);
    expect(within(drawer).getAllByRole('button', { name: 'Delete' })).toHaveLength(2);
    expect(within(drawer).getByRole('button', { name: /Link account/ })).toBeTruthy();
  });

  it('is translated', async () => {
    seedMailbox(server);
    await renderIn(<EmailCenterPage />, 'nl-NL');
    await screen.findByText('Quarterly report');
    expect(screen.getByRole('menuitem', { name: /^Postvak IN/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: /E-mail schrijven/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: /Accountinstellingen/ })).toBeTruthy();
  });
});
