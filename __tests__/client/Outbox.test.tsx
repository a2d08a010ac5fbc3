// The Email center's outbox: each message's status, reason and attempts; Send again and Remove
// where they apply; a per-recipient send's tracking with counts.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import React from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EmailCenterPage } from '../../src/client/center/EmailCenterPage';
import { installSend, outboxRow, type FakeSend } from './fake-send';
import { type FakeMailServer } from './fake-server';
import { seedMailbox } from './mailbox';
import { findPopconfirm, renderIn, startFakeServer } from './render';

vi.mock('../../src/client/host', () => import('./fake-host'));
vi.setConfig({ testTimeout: 30_000 });

const rowWith = (subject: string) => screen.getByText(subject).closest('tr') as HTMLElement;
const buttons = (row: HTMLElement) => within(row).queryAllByRole('button').map((b) => b.textContent);

describe('outbox', () => {
  let server: FakeMailServer;
  let send: FakeSend;
  beforeEach(() => {
    server = startFakeServer();
    send = installSend(server);
    seedMailbox(server);
  });
  afterEach(cleanup);

  async function openOutbox(lng = 'en-US') {
    await renderIn(<EmailCenterPage />, lng);
    await screen.findByText('Quarterly report');
    fireEvent.click(screen.getByRole('menuitem', { name: lng === 'en-US' ? /^Outbox/ : /^Postvak UIT/ }));
    return screen.findByTestId('outbox');
  }

  it('lists the messages with status, recipients, reason and attempts, and the actions each allows', async () => {
    send.outbox = [
      outboxRow({ subject: 'Went out', status: 'sent', to: [{ name: 'Zoe', address: 'zoe@example.net' }], sentAt: '2026-01-10T09:05:00Z' }),
      outboxRow({ subject: 'Bounced', status: 'failed', attempts: 1, error: { code: 'E_PROVIDER_REJECTED', message: 'Recipient address rejected' } }),
      outboxRow({ subject: 'Waiting', status: 'pending', attempts: 2, nextAttemptAt: '2026-01-10T10:30:00Z', error: { code: 'E_PROVIDER_UNAVAILABLE', message: 'Service unavailable' } }),
      outboxRow({ subject: 'Who knows', status: 'unknown', error: { code: 'E_CONNECTION', message: 'Connection reset' } }),
    ];
    await openOutbox();
    await screen.findByText('Went out');
    expect(server.callsTo('mailThreads:list').every((c) => c.params.folder !== '__outbox__')).toBe(true);
    const tag = (subject: string) => within(rowWith(subject)).getByText(/./, { selector: '.ant-tag' }).textContent;
    expect(['Went out', 'Bounced', 'Waiting', 'Who knows'].map(tag)).toEqual(['Sent', 'Failed', 'Pending', 'Fate unknown']);
    expect(within(rowWith('Went out')).getByText('Zoe <zoe@example.net>')).toBeTruthy();
    expect(within(rowWith('Bounced')).getByText('Recipient address rejected')).toBeTruthy();
    expect(within(rowWith('Waiting')).getByText(/Service unavailable · Next try at Jan 10, 2026.* · 2 attempts/)).toBeTruthy();
    expect(within(rowWith('Who knows')).getByText(/It may or may not have gone out\./)).toBeTruthy();
    expect(buttons(rowWith('Went out'))).toEqual([]);
    expect(buttons(rowWith('Bounced'))).toEqual(['Send again', 'Remove']);
    expect(buttons(rowWith('Waiting'))).toEqual(['Remove']);
    expect(buttons(rowWith('Who knows'))).toEqual(['Send again']);

    fireEvent.click(within(rowWith('Bounced')).getByRole('button', { name: 'Send again' }));
    await waitFor(() => expect(server.callsTo('mailOutbox:retry').map((c) => c.params.filterByTk)).toEqual([send.outbox[1].id]));
    await waitFor(() => expect(within(rowWith('Bounced')).getByText('Pending')).toBeTruthy());

    fireEvent.click(within(rowWith('Waiting')).getByRole('button', { name: 'Remove' }));
    const confirm = await findPopconfirm();
    expect(within(confirm).getByText('Remove it? It will not be sent.')).toBeTruthy();
    fireEvent.click(within(confirm).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.queryByText('Waiting')).toBeNull());
    expect(send.outbox.map((row) => row.subject)).not.toContain('Waiting');
  });

  it('opens one per-recipient send’s tracking with counts', async () => {
    const bulk = { bulkId: 'bulk-key-1', subject: 'Spring offer' };
    // Newest first, as the server lists them: 50 rows, more than a page of the whole outbox.
    send.outbox = [
      outboxRow({ subject: 'Alone', status: 'sent' }),
      outboxRow({ ...bulk, status: 'pending' }),
      outboxRow({ ...bulk, status: 'pending' }),
      ...Array.from({ length: 48 }, () => outboxRow({ ...bulk, status: 'sent' })),
    ];
    await openOutbox();
    fireEvent.click((await screen.findAllByText('Track this send'))[0]);
    const tracking = await screen.findByTestId('outbox-bulk');
    await waitFor(() => expect(within(tracking).getByTestId('bulk-counts').textContent).toBe('48 sent, 2 pending'));
    expect(within(tracking).queryByText('Alone')).toBeNull();
    expect(within(tracking).getAllByTestId('outbox-row')).toHaveLength(50);
    expect(server.callsTo('mailOutbox:list').at(-1)?.params).toMatchObject({ bulkId: 'bulk-key-1' });
    fireEvent.click(within(tracking).getByRole('button', { name: 'Back to the outbox' }));
    expect(await screen.findByText('Alone')).toBeTruthy();
  });

  it('is translated', async () => {
    send.outbox = [outboxRow({ subject: 'Bounced', status: 'failed' })];
    await openOutbox('nl-NL');
    await screen.findByText('Bounced');
    expect(within(rowWith('Bounced')).getByText('Mislukt')).toBeTruthy();
    expect(within(rowWith('Bounced')).getByRole('button', { name: 'Opnieuw verzenden' })).toBeTruthy();
  });
});
