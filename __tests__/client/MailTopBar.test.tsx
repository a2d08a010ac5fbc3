import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import React from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { notifyMailChanged } from '../../src/client/api';
import { MailTopBarButton } from '../../src/client/topbar/MailTopBarProvider';
import { UNREAD_POLL_MS } from '../../src/client/topbar/useUnread';
import { host } from './fake-host';
import type { FakeMailServer } from './fake-server';
import { seedMailbox } from './mailbox';
import { renderIn, startFakeServer } from './render';

vi.mock('../../src/client/host', () => import('./fake-host'));

const badge = () => screen.getByRole('button', { name: 'Email' }).getAttribute('data-unread');

describe('top-bar mail icon', () => {
  let server: FakeMailServer;
  beforeEach(() => {
    server = startFakeServer();
    vi.useFakeTimers({ shouldAdvanceTime: true });
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('shows the unread count and opens the Email center', async () => {
    seedMailbox(server);
    await renderIn(<MailTopBarButton />);
    await waitFor(() => expect(badge()).toBe('2'));
    expect(screen.getByText('2')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Email' }));
    expect(host.navigate).toHaveBeenCalledWith('/admin/email', undefined);
  });

  it('follows a sync without a reload: asks again every 30 s while the tab is visible', async () => {
    const { gmail } = seedMailbox(server);
    await renderIn(<MailTopBarButton />);
    await waitFor(() => expect(badge()).toBe('2'));
    server.addThread(gmail.id, { subject: 'New', unread: 1 });
    await act(() => vi.advanceTimersByTimeAsync(UNREAD_POLL_MS - 1000));
    expect(badge()).toBe('2');
    await act(() => vi.advanceTimersByTimeAsync(1500));
    await waitFor(() => expect(badge()).toBe('3'));

    // Hidden tab: no requests; visible again: one at once.
    const calls = () => server.callsTo('mailAccounts:unread').length;
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    const before = calls();
    await act(() => vi.advanceTimersByTimeAsync(UNREAD_POLL_MS * 3));
    expect(calls()).toBe(before);
    server.addThread(gmail.id, { subject: 'Newer', unread: 1 });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    document.dispatchEvent(new Event('visibilitychange'));
    await waitFor(() => expect(badge()).toBe('4'));
  });

  it('updates at once when mail is read in this page', async () => {
    seedMailbox(server);
    await renderIn(<MailTopBarButton />);
    await waitFor(() => expect(badge()).toBe('2'));
    for (const message of server.messages) message.read = true;
    act(() => notifyMailChanged());
    await waitFor(() => expect(badge()).toBe('0'));
    expect(screen.queryByText('2')).toBeNull();
  });

  it('keeps its count when a poll fails', async () => {
    seedMailbox(server);
    await renderIn(<MailTopBarButton />);
    await waitFor(() => expect(badge()).toBe('2'));
    server.on('mailAccounts:unread', () => ({ status: 500, body: { errors: [{ code: 'E_INTERNAL', message: 'down' }] } }));
    await act(() => vi.advanceTimersByTimeAsync(UNREAD_POLL_MS + 100));
    expect(badge()).toBe('2');
  });
});
