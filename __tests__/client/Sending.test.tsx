// The composer against the sending contract: what Send asks of mailOutbox:send and what each
// answer shows; attachments (upload, limit, 413). The fake server stands at the HTTP boundary.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import React from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyDraft, type ComposerDraft } from '../../src/client/center/compose';
import { Composer } from '../../src/client/center/Composer';
import { EmailCenterPage } from '../../src/client/center/EmailCenterPage';
import type { MailAccountDTO } from '../../src/shared/types';
import { installSend, type FakeSend } from './fake-send';
import { account, attachment, fail, type FakeMailServer } from './fake-server';
import { seedMailbox } from './mailbox';
import { renderIn, startFakeServer } from './render';

vi.mock('../../src/client/host', () => import('./fake-host'));
vi.setConfig({ testTimeout: 30_000 });

export function typeBody(composer: HTMLElement, html: string) {
  const editor = within(composer).getByRole('textbox', { name: 'Message' });
  editor.innerHTML = html;
  fireEvent.input(editor);
}

export async function fillNew(composer: HTMLElement, { to = ['zoe@example.net'], subject = 'Hello', html = '<p>Hi <strong>Zoe</strong></p>' } = {}) {
  const field = within(composer).getByRole('combobox', { name: 'To' });
  for (const address of to) fireEvent.change(field, { target: { value: `${address},` } });
  fireEvent.change(within(composer).getByRole('textbox', { name: 'Subject' }), { target: { value: subject } });
  typeBody(composer, html);
}

const sendButton = (composer: HTMLElement) => within(composer).getByRole('button', { name: /Send/ });

describe('sending from the composer', () => {
  let server: FakeMailServer;
  let send: FakeSend;
  let me: MailAccountDTO;
  let onClose: ReturnType<typeof vi.fn>;
  let onTrack: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    server = startFakeServer();
    send = installSend(server);
    me = account({ address: 'me@example.com', displayName: 'Me' });
    server.accounts = [me];
    onClose = vi.fn();
    onTrack = vi.fn();
  });
  afterEach(cleanup);

  async function open(draft: ComposerDraft = emptyDraft(me.id)) {
    await renderIn(<Composer draft={draft} accounts={[me]} onClose={onClose} onTrack={onTrack} />);
    return screen.findByTestId('composer');
  }

  it('sends the rich text once: a network failure and the retry carry the same key; sent closes with a message', async () => {
    const composer = await open();
    await fillNew(composer);
    send.dropNext = 1;
    fireEvent.click(sendButton(composer));
    expect(await within(composer).findByText('The message could not be handed to the server')).toBeTruthy();
    expect(onClose).not.toHaveBeenCalled();
    fireEvent.click(sendButton(composer));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(await screen.findByText('Message sent')).toBeTruthy();
    expect(send.sends).toHaveLength(2);
    const [first, retry] = send.sends;
    expect(retry.idempotencyKey).toBe(first.idempotencyKey);
    expect(first.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(first).toMatchObject({ accountId: me.id, mode: 'new', to: ['zoe@example.net'], cc: [], bcc: [], subject: 'Hello', html: '<p>Hi <strong>Zoe</strong></p>', uploads: [], forwarded: [], draftId: null });
    expect(send.outbox).toHaveLength(1);
  });

  it('a new composer uses a new key', async () => {
    const composer = await open();
    await fillNew(composer);
    fireEvent.click(sendButton(composer));
    await waitFor(() => expect(send.sends).toHaveLength(1));
    cleanup();
    const again = await open();
    await fillNew(again);
    fireEvent.click(sendButton(again));
    await waitFor(() => expect(send.sends).toHaveLength(2));
    expect(send.sends[1].idempotencyKey).not.toBe(send.sends[0].idempotencyKey);
  });

  it('a refused message keeps the composer open with the provider’s reason; Send tries again with a new key', async () => {
    send.fate = () => ({ status: 'failed', error: { code: 'E_PROVIDER_REJECTED', message: 'Recipient address rejected: user unknown' } });
    const composer = await open();
    await fillNew(composer, { subject: 'Keep me' });
    fireEvent.click(sendButton(composer));
    const problem = await within(composer).findByTestId('send-problem');
    expect(within(problem).getByText('The message was not sent')).toBeTruthy();
    expect(within(problem).getByText('Recipient address rejected: user unknown')).toBeTruthy();
    expect(onClose).not.toHaveBeenCalled();
    expect((within(composer).getByRole('textbox', { name: 'Subject' }) as HTMLInputElement).value).toBe('Keep me');
    send.fate = () => ({ status: 'sent' });
    fireEvent.click(sendButton(composer));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(send.sends[1].idempotencyKey).not.toBe(send.sends[0].idempotencyKey);
    // The composer's refused attempt is replaced by the new one, not left behind in the outbox.
    expect(server.callsTo('mailOutbox:destroy')).toHaveLength(1);
    expect(send.outbox.map((row) => row.status)).toEqual(['sent']);
  });

  it('shows a bad address on its field (400)', async () => {
    server.on('mailOutbox:send', () => fail(400, 'E_SEND_INVALID_ADDRESS', 'zoe@example is not a valid address', 'to'));
    const composer = await open();
    await fillNew(composer, { to: ['zoe@example.net'] });
    fireEvent.click(sendButton(composer));
    expect(await within(composer).findByText('zoe@example is not a valid address')).toBeTruthy();
    expect(within(composer).queryByTestId('send-problem')).toBeNull();
    expect(onClose).not.toHaveBeenCalled();
  });

  it('says plainly when the attachments are over the limit (413)', async () => {
    server.on('mailOutbox:send', () => fail(413, 'E_SEND_TOO_LARGE', 'Attachments over 25 MB'));
    const composer = await open();
    await fillNew(composer);
    fireEvent.click(sendButton(composer));
    const problem = await within(composer).findByTestId('send-problem');
    expect(within(problem).getByText('The attachments are too large to send')).toBeTruthy();
    expect(within(problem).getByText('Together they may be at most 25 MB. Remove some files and send again.')).toBeTruthy();
    expect(onClose).not.toHaveBeenCalled();
  });

  it('queued for a retry: says when', async () => {
    send.fate = () => ({ status: 'pending', nextAttemptAt: '2026-01-10T10:30:00Z', error: { code: 'E_PROVIDER_UNAVAILABLE', message: '503' } });
    const composer = await open();
    await fillNew(composer);
    fireEvent.click(sendButton(composer));
    expect(await screen.findByText(/^Queued, retrying at Jan 10, 2026/)).toBeTruthy();
    expect(onClose).toHaveBeenCalled();
  });

  it('fate unknown: warns that it may or may not have gone out, with a link to the outbox', async () => {
    send.fate = () => ({ status: 'unknown', error: { code: 'E_PROVIDER_UNAVAILABLE', message: 'Connection reset' } });
    const composer = await open();
    await fillNew(composer);
    fireEvent.click(sendButton(composer));
    const warning = await screen.findByTestId('send-unknown');
    expect(warning.textContent).toContain('it may or may not have gone out');
    fireEvent.click(within(warning).getByText('Open the outbox'));
    expect(onTrack).toHaveBeenCalledWith({});
  });
});

describe('attachments', () => {
  let server: FakeMailServer;
  let send: FakeSend;
  beforeEach(() => {
    server = startFakeServer();
    send = installSend(server);
  });
  afterEach(cleanup);

  const file = (name: string, size: number) => new File([new Uint8Array(size)], name, { type: 'text/plain' });
  const attach = (composer: HTMLElement, ...files: File[]) => fireEvent.change(within(composer).getByTestId('attach-input'), { target: { files } });

  it('uploads each file at once, counts forwarded originals in the total, refuses what would go over, and sends the uploads', async () => {
    const { gmail } = seedMailbox(server);
    send.limits.maxAttachmentBytes = 10_000;
    server.addThread(gmail.id, { subject: 'Files', attachments: [attachment({ remoteId: 'orig-1', filename: 'budget.xlsx', size: 4096 })] });
    await renderIn(<EmailCenterPage />);
    fireEvent.click(await screen.findByText('Files'));
    const messages = await screen.findAllByTestId('thread-message');
    fireEvent.click(within(messages[messages.length - 1]).getByRole('button', { name: /Forward/ }));
    const composer = await screen.findByTestId('composer');
    await waitFor(() => expect(within(composer).getByTestId('attachments-total').textContent).toBe('4 KB of 9.8 KB'));

    attach(composer, file('notes.txt', 2048), file('huge.bin', 6000));
    expect(await screen.findByText('Not attached, the message would be over 9.8 KB: huge.bin')).toBeTruthy();
    await waitFor(() => expect(server.callsTo('mailUploads:create')).toHaveLength(1));
    const upload = server.callsTo('mailUploads:create')[0];
    expect(upload.params.filename).toBe('notes.txt');
    expect((upload.data as unknown as File).size).toBe(2048);
    await waitFor(() => expect(within(composer).getByTestId('upload').getAttribute('data-status')).toBe('done'));
    expect(within(composer).getByTestId('attachments-total').textContent).toBe('6 KB of 9.8 KB');

    // The server's own limit (413) removes the file and says why.
    server.on('mailUploads:create', () => fail(413, 'E_SEND_TOO_LARGE', 'Too large'));
    attach(composer, file('more.txt', 100));
    expect(await screen.findByText('Not attached, the message would be over 9.8 KB: more.txt')).toBeTruthy();
    await waitFor(() => expect(within(composer).getAllByTestId('upload')).toHaveLength(1));

    fireEvent.change(within(composer).getByRole('combobox', { name: 'To' }), { target: { value: 'zoe@example.net,' } });
    fireEvent.click(sendButton(composer));
    await waitFor(() => expect(send.sends).toHaveLength(1));
    expect(send.sends[0]).toMatchObject({ mode: 'forward', uploads: [[...send.uploads.keys()][0]], forwarded: [{ remoteId: 'orig-1' }] });
  });

  it('removing an upload deletes it on the server', async () => {
    const me = account({ address: 'me@example.com' });
    server.accounts = [me];
    await renderIn(<Composer draft={emptyDraft(me.id)} accounts={[me]} onClose={vi.fn()} />);
    const composer = await screen.findByTestId('composer');
    attach(composer, file('a.txt', 10));
    await waitFor(() => expect(within(composer).getByTestId('upload').getAttribute('data-status')).toBe('done'));
    fireEvent.click(within(composer).getByRole('button', { name: 'Remove a.txt' }));
    await waitFor(() => expect(server.callsTo('mailUploads:destroy')).toHaveLength(1));
    expect(send.uploads.size).toBe(0);
    expect(within(composer).queryByTestId('upload')).toBeNull();
  });
});
