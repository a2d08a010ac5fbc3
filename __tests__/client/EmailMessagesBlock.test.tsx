import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmailMessagesTable } from '../../src/client/blocks/EmailMessagesTable';
import type { MessageRow } from '../../src/client/blocks/query';
import { fail, type Call } from './fake-server';
import { renderIn, startFakeServer } from './render';

vi.mock('../../src/client/host', () => import('./fake-host'));

function row(id: number, values: Partial<MessageRow> = {}): MessageRow {
  return {
    id,
    accountId: 1,
    remoteId: `r${id}`,
    threadKey: `t${id}`,
    subject: `Subject ${id}`,
    from: { name: `Sender ${id}`, address: `sender${id}@contoso.example` },
    to: [{ address: 'alice@example.com' }],
    cc: [],
    bcc: [],
    replyTo: [],
    receivedAt: '2026-01-02T10:00:00.000Z',
    snippet: `Snippet ${id}`,
    hasRemoteImages: false,
    read: true,
    starred: false,
    folderIds: [],
    attachments: [],
    malformed: false,
    ...values,
  };
}

function serveList(server: ReturnType<typeof startFakeServer>, rows: MessageRow[]) {
  server.on('mailMessages:list', () => ({ body: { data: rows, meta: { count: rows.length, page: 1, pageSize: 20, totalPage: 1 } } }));
}

describe('the Email messages block', () => {
  afterEach(cleanup);

  it('asks for the mail of a participant domain and shows the chosen columns', async () => {
    const server = startFakeServer();
    serveList(server, [row(1, { read: false, attachments: [{ remoteId: 'a', filename: 'a.pdf', contentType: 'application/pdf', size: 3, inline: false }] }), row(2)]);
    await renderIn(<EmailMessagesTable columns={['from', 'subject', 'read', 'attachments']} scopeMode="domain" scopeValue="Carol@Contoso.Example" />);
    await screen.findByText('Subject 1');
    const call = server.callsTo('mailMessages:list')[0] as Call;
    expect(JSON.parse(String(call.params.filter))).toEqual({ participantDomains: { $eq: 'contoso.example' } });
    expect(call.params.scope).toBeUndefined();
    const headers = screen.getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['From', 'Subject', 'Read', '']);
    expect(screen.getByText('Sender 1')).toBeTruthy();
    expect(screen.getByText('Unread')).toBeTruthy();
    expect(screen.getAllByLabelText('Has attachments')).toHaveLength(1);
  });

  it('opens a read-only view of the message when a row is clicked', async () => {
    const server = startFakeServer();
    serveList(server, [row(7, { snippet: 'The quarterly numbers are in.' })]);
    await renderIn(<EmailMessagesTable />);
    fireEvent.click(await screen.findByText('Subject 7'));
    const drawer = await screen.findByTestId('mail-block-message');
    expect(within(drawer).getByText('The quarterly numbers are in.')).toBeTruthy();
    expect(within(drawer).getByText('Sender 7 <sender7@contoso.example>')).toBeTruthy();
  });

  it('shows the conversation when the row names its thread', async () => {
    const server = startFakeServer();
    serveList(server, [row(8, { threadId: 80 })]);
    server.on('mailThreads:get', () => ({
      body: { data: { thread: {}, account: { id: 1, provider: 'google', address: 'alice@example.com' }, readOnly: false, messages: [{ ...row(81), text: 'First' }, { ...row(82), text: 'Second' }] } },
    }));
    await renderIn(<EmailMessagesTable />);
    fireEvent.click(await screen.findByText('Subject 8'));
    await screen.findByText('Second');
    expect(screen.getByText('First')).toBeTruthy();
    expect(server.callsTo('mailThreads:get')[0].params.filterByTk).toBe(80);
  });

  it('shows nothing, and asks nothing, when bound to a record without an address', async () => {
    const server = startFakeServer();
    serveList(server, [row(1)]);
    await renderIn(<EmailMessagesTable scopeMode="address" scopeValue={null} />);
    await screen.findByText('This record has no address to show mail for.');
    expect(server.callsTo('mailMessages:list')).toHaveLength(0);
  });

  it("says what to do when the role may not read everyone's mail", async () => {
    const server = startFakeServer();
    server.on('mailMessages:list', () => fail(403, 'E_MAIL_ALL_FORBIDDEN', 'forbidden'));
    await renderIn(<EmailMessagesTable allMail />);
    await screen.findByText(/Your role may not read everyone's mail/);
    expect(server.callsTo('mailMessages:list')[0].params.scope).toBe('all');
  });

  it('speaks the user language', async () => {
    const server = startFakeServer();
    serveList(server, []);
    await renderIn(<EmailMessagesTable />, 'nl-NL');
    await waitFor(() => expect(screen.getByText('Geen e-mail om te tonen.')).toBeTruthy());
  });
});
