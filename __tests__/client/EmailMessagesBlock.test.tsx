import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmailMessagesTable } from '../../src/client/blocks/EmailMessagesTable';
import type { MessageRow } from '../../src/client/blocks/query';
import { MAIL_FRAME_SANDBOX } from '../../src/client/center/mail-frame';
import { fail, type Call } from './fake-server';
import { seedMailbox } from './mailbox';
import { installSend } from './fake-send';
import { renderIn, startFakeServer } from './render';

vi.mock('../../src/client/host', () => import('./fake-host'));
vi.setConfig({ testTimeout: 20_000 });

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

  it("opens the row's conversation in the Email center's thread view: sandboxed HTML, Show images, read state", async () => {
    const server = startFakeServer();
    const { gmail } = seedMailbox(server);
    const key = server.addThread(gmail.id, {
      subject: 'Newsletter',
      count: 2,
      unread: 1,
      html: '<p>Hello <b>there</b></p><img data-remote-src="https://tracker.example/pixel.gif" alt="pixel"><script>window.parent.hacked = true</script>',
      hasRemoteImages: true,
    });
    const thread = server.threads().find((th) => th.threadKey === key)!;
    const messages = server.messages.filter((m) => m.threadKey === key);
    serveList(server, [row(8, { ...messages[1], id: messages[1].id as number, threadId: thread.id })]);
    await renderIn(<EmailMessagesTable />);
    fireEvent.click(await screen.findByText('Newsletter'));
    const listed = server.callsTo('mailMessages:list').length;
    const view = await screen.findByTestId('thread-view');
    await waitFor(() => expect(within(view).getAllByTestId('thread-message')).toHaveLength(2));
    expect(server.callsTo('mailThreads:get')[0].params.filterByTk).toBe(thread.id);
    expect(within(view).getAllByTestId('thread-message').map((m) => m.getAttribute('data-open'))).toEqual(['false', 'true']);
    const frame = within(view).getByTestId('mail-frame');
    expect(frame.getAttribute('sandbox')).toBe(MAIL_FRAME_SANDBOX);
    expect(frame.getAttribute('srcdoc')).not.toContain('<script');
    fireEvent.click(within(view).getByRole('button', { name: 'Show images' }));
    await waitFor(() => expect(within(view).getByTestId('mail-frame').getAttribute('srcdoc')).toContain('src="https://tracker.example/pixel.gif"'));
    // Opening marks it read, and the block asks for its rows again.
    await waitFor(() => expect(server.callsTo('mailMessages:setRead')).toHaveLength(1));
    expect(server.callsTo('mailMessages:setRead')[0].data).toMatchObject({ read: true, threadIds: [thread.id] });
    await waitFor(() => expect(server.callsTo('mailMessages:list').length).toBeGreaterThan(listed));
    // "Mark as unread" gives it back and closes the drawer.
    fireEvent.click(within(view).getByRole('button', { name: /Mark as unread/ }));
    await waitFor(() => expect(server.callsTo('mailMessages:setRead')).toHaveLength(2));
    expect(server.callsTo('mailMessages:setRead')[1].data).toMatchObject({ read: false });
    await waitFor(() => expect(screen.queryByTestId('thread-view')).toBeNull());
  });

  it("Reply all from a block's conversation opens the center's composer, prefilled, and sends the reply", async () => {
    const server = startFakeServer();
    const { gmail } = seedMailbox(server);
    const key = server.addThread(gmail.id, {
      subject: 'Planning',
      from: { name: 'Carol', address: 'carol@contoso.example' },
      to: [{ name: 'Me', address: 'me@example.com' }, { address: 'dan@contoso.example' }],
      text: 'See you there.',
    });
    const thread = server.threads().find((th) => th.threadKey === key)!;
    serveList(server, [row(9, { subject: 'Planning', threadId: thread.id })]);
    await renderIn(<EmailMessagesTable />);
    fireEvent.click(await screen.findByText('Planning'));
    const view = await screen.findByTestId('thread-view');
    fireEvent.click(await within(view).findByRole('button', { name: 'Reply all' }));
    const composer = await screen.findByTestId('composer');
    // To the sender, Cc the other recipient, never the user's own address.
    expect([...composer.querySelectorAll('.ant-tag')].map((tag) => tag.textContent)).toEqual(['Carol <carol@contoso.example>', 'dan@contoso.example']);
    expect((within(composer).getByLabelText('Subject') as HTMLInputElement).value).toBe('Re: Planning');
    expect(within(composer).getByRole('textbox', { name: 'Message' }).querySelector('blockquote')?.textContent).toBe('See you there.');
    const send = installSend(server);
    fireEvent.click(within(composer).getByRole('button', { name: /Send/ }));
    await waitFor(() => expect(send.sends).toHaveLength(1));
    const source = server.messages.find((m) => m.threadKey === key)!;
    expect(send.sends[0]).toMatchObject({ mode: 'replyAll', sourceMessageId: source.id, accountId: gmail.id, to: ['Carol <carol@contoso.example>'], cc: ['dan@contoso.example'] });
    expect(await screen.findByText('Message sent')).toBeTruthy();
  });

  it('says so when a row names no conversation', async () => {
    const server = startFakeServer();
    serveList(server, [row(7)]);
    await renderIn(<EmailMessagesTable />);
    fireEvent.click(await screen.findByText('Subject 7'));
    await screen.findByText('This conversation could not be loaded');
    expect(server.callsTo('mailThreads:get')).toHaveLength(0);
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
