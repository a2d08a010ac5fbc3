import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import React from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EmailCenterPage } from '../../src/client/center/EmailCenterPage';
import { MAIL_FRAME_SANDBOX, mailFrameCsp, mailFrameDocument } from '../../src/client/center/mail-frame';
import { attachmentPath } from '../../src/shared/mail';
import { attachment, type FakeMailServer } from './fake-server';
import { seedMailbox } from './mailbox';
import { renderIn, startFakeServer } from './render';

vi.mock('../../src/client/host', () => import('./fake-host'));
vi.setConfig({ testTimeout: 20_000 });

const HOSTILE = [
  '<p>Hello <b>there</b></p>',
  '<img data-remote-src="https://tracker.example/pixel.gif" alt="pixel">',
  '<img src="https://direct.example/x.png" onerror="alert(1)">',
  '<script>window.parent.hacked = true</script>',
  '<a href="javascript:alert(1)">bad</a><a href="https://ok.example/">good</a>',
].join('');

async function openThread(subject: string) {
  await renderIn(<EmailCenterPage />);
  fireEvent.click(await screen.findByText(subject));
  return screen.findByTestId('thread-view');
}

const frameDoc = (frame: HTMLElement) => new DOMParser().parseFromString(frame.getAttribute('srcdoc') ?? '', 'text/html');

describe('thread view', () => {
  let server: FakeMailServer;
  let gmail: ReturnType<typeof seedMailbox>['gmail'];
  beforeEach(() => {
    server = startFakeServer();
    ({ gmail } = seedMailbox(server));
  });
  afterEach(cleanup);

  it('shows every message, older ones collapsed and the newest open, with from, to, cc and date', async () => {
    server.addThread(gmail.id, { subject: 'Planning', count: 3, cc: [{ name: 'Cy', address: 'cy@example.com' }] });
    await openThread('Planning');
    const messages = await screen.findAllByTestId('thread-message');
    expect(messages.map((m) => m.getAttribute('data-open'))).toEqual(['false', 'false', 'true']);
    const newest = within(messages[2]);
    expect(newest.getByText('Ann Example')).toBeTruthy();
    expect(newest.getByText('<ann@example.com>')).toBeTruthy();
    expect(newest.getByText(/Me <me@example.com>/)).toBeTruthy();
    expect(newest.getByText(/Cy <cy@example.com>/)).toBeTruthy();
    expect(newest.getByText(/2026/)).toBeTruthy();
    // A collapsed message shows its snippet and opens on click.
    fireEvent.click(within(messages[0]).getByText(/Snippet of message/));
    await waitFor(() => expect(screen.getAllByTestId('thread-message')[0].getAttribute('data-open')).toBe('true'));
    expect(within(screen.getAllByTestId('thread-message')[0]).getByTestId('mail-text')).toBeTruthy();
  });

  it('marks the unread messages read on opening, and the list and folder counts follow', async () => {
    await openThread('Quarterly report');
    await waitFor(() => expect(server.callsTo('mailMessages:setRead')).toHaveLength(1));
    expect(server.callsTo('mailMessages:setRead')[0].data).toMatchObject({ read: true, threadIds: [expect.any(String)] });
    await waitFor(() => expect(screen.getByRole('menuitem', { name: /^Inbox/ }).textContent).toBe('Inbox1'));
    fireEvent.click(screen.getByRole('button', { name: 'Back to the list' }));
    expect((await screen.findByText('Quarterly report')).closest('tr')?.getAttribute('data-unread')).toBe('false');
  });

  it('"Mark as unread" gives the messages back their unread state', async () => {
    await openThread('Quarterly report');
    await waitFor(() => expect(server.callsTo('mailMessages:setRead')).toHaveLength(1));
    fireEvent.click(screen.getByRole('button', { name: /Mark as unread/ }));
    await waitFor(() => expect(server.callsTo('mailMessages:setRead')).toHaveLength(2));
    const undo = server.callsTo('mailMessages:setRead')[1].data as { messageIds: unknown[]; read: boolean };
    expect(undo.read).toBe(false);
    expect(undo.messageIds).toHaveLength(1);
    // Back in the list, bold again.
    await waitFor(() => expect(screen.getByText('Quarterly report').closest('tr')?.getAttribute('data-unread')).toBe('true'));
  });

  it('does not open a conversation seen through the all-mail grant as read', async () => {
    server.on('mailThreads:get', async (call) => {
      const reply = (server as unknown as { contract: (c: unknown) => { body: { data: Record<string, unknown> } } }).contract(call);
      reply.body.data.readOnly = true;
      return reply;
    });
    await openThread('Quarterly report');
    await screen.findAllByTestId('thread-message');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.callsTo('mailMessages:setRead')).toHaveLength(0);
    expect(screen.queryByRole('button', { name: /Mark as unread/ })).toBeNull();
  });

  it('renders HTML in a sandboxed iframe without scripts, with a strict CSP and remote images held back', async () => {
    server.addThread(gmail.id, { subject: 'Newsletter', html: HOSTILE, hasRemoteImages: true });
    await openThread('Newsletter');
    const frame = await screen.findByTestId('mail-frame');
    const sandbox = frame.getAttribute('sandbox') ?? '';
    expect(sandbox).toBe(MAIL_FRAME_SANDBOX);
    expect(sandbox).not.toContain('allow-scripts');
    expect(sandbox).not.toContain('allow-same-origin');
    const doc = frameDoc(frame);
    const csp = doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content');
    expect(csp).toBe("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'");
    expect(doc.querySelector('script')).toBeNull();
    expect(doc.body.innerHTML).not.toContain('onerror');
    expect(doc.body.textContent).toContain('Hello there');
    // Nothing remote has a src: the tracker stays in data-remote-src, the direct one is dropped.
    expect([...doc.querySelectorAll('img')].map((img) => img.getAttribute('src'))).toEqual([null, null]);
    expect(doc.querySelector('a[href^="javascript"]')).toBeNull();
    expect(doc.querySelector('a[href="https://ok.example/"]')).toBeTruthy();
    expect(doc.querySelector('base')?.getAttribute('target')).toBe('_blank');

    fireEvent.click(within(screen.getByTestId('images-blocked')).getByRole('button', { name: 'Show images' }));
    await waitFor(() => expect(frameDoc(screen.getByTestId('mail-frame')).querySelector('img')?.getAttribute('src')).toBe('https://tracker.example/pixel.gif'));
    const shown = frameDoc(screen.getByTestId('mail-frame'));
    expect(shown.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toContain('img-src data: https:');
    expect(screen.queryByTestId('images-blocked')).toBeNull();
    expect(screen.getByTestId('mail-frame').getAttribute('sandbox')).toBe(MAIL_FRAME_SANDBOX);
  });

  it('shows inline (cid:) images, fetched through the API with the user’s credentials', async () => {
    const logo = attachment({ remoteId: 'logo-1', filename: 'logo.png', contentType: 'image/png', inline: true, contentId: 'logo@x' });
    server.files.set('logo-1', 'PNGDATA');
    server.on('mailMessages:attachment', () => ({ body: new Blob(['PNGDATA'], { type: 'image/png' }) }));
    const key = server.addThread(gmail.id, { subject: 'With logo', attachments: [logo] });
    const message = server.messages.find((m) => m.threadKey === key)!;
    message.html = `<p>Logo:</p><img data-inline-src="${attachmentPath(message.id, 'logo-1', true)}" alt="logo">`;
    await openThread('With logo');
    await waitFor(() => expect(frameDoc(screen.getByTestId('mail-frame')).querySelector('img')?.getAttribute('src')).toMatch(/^data:image\/png;base64,/));
    expect(server.callsTo('mailMessages:attachment')[0].params).toMatchObject({ filterByTk: String(message.id), attachmentId: 'logo-1', inline: '1' });
    // Not listed as a file, and no "Show images" for it.
    expect(screen.queryByTestId('attachments')).toBeNull();
    expect(screen.queryByTestId('images-blocked')).toBeNull();
  });

  it('renders plain-text mail as text, line breaks kept and only http(s) links linked', async () => {
    server.addThread(gmail.id, { subject: 'Plain', text: 'Line one\nLine two <b>not bold</b>\nSee https://example.com/page. javascript:alert(1)' });
    await openThread('Plain');
    const text = await screen.findByTestId('mail-text');
    expect(text.className).toBe('em-plain-text');
    expect(text.textContent).toBe('Line one\nLine two <b>not bold</b>\nSee https://example.com/page. javascript:alert(1)');
    expect(text.querySelector('b')).toBeNull();
    const links = [...text.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.com/page']);
    expect(links[0].getAttribute('rel')).toContain('noopener');
    expect(screen.queryByTestId('mail-frame')).toBeNull();
  });

  it('lists attachments with their size and downloads one through the server', async () => {
    const file = attachment({ remoteId: 'f-1', filename: 'report.pdf', size: 245_760 });
    server.files.set('f-1', '%PDF-1.7');
    server.addThread(gmail.id, { subject: 'Files', attachments: [file] });
    const createObjectURL = vi.fn(() => 'blob:test');
    const revokeObjectURL = vi.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicked: HTMLAnchorElement[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    try {
      await openThread('Files');
      const list = await screen.findByTestId('attachments');
      expect(within(list).getByText('report.pdf')).toBeTruthy();
      expect(within(list).getByText('240 KB')).toBeTruthy();
      fireEvent.click(within(list).getByRole('button', { name: /report\.pdf/ }));
      await waitFor(() => expect(click).toHaveBeenCalled());
      const call = server.callsTo('mailMessages:attachment')[0];
      expect(call.params).toMatchObject({ attachmentId: 'f-1' });
      const blob = (createObjectURL.mock.calls[0] as unknown as [Blob])[0];
      expect(blob.size).toBe('%PDF-1.7'.length);
      expect(clicked[0].download).toBe('report.pdf');
      expect(clicked[0].href).toBe('blob:test');
    } finally {
      click.mockRestore();
    }
  });

  it('says plainly when a conversation cannot be loaded', async () => {
    server.on('mailThreads:get', () => ({ status: 404, body: { errors: [{ code: 'E_MAIL_NOT_FOUND', message: 'not found' }] } }));
    await openThread('Quarterly report');
    expect(await screen.findByText('This conversation could not be loaded')).toBeTruthy();
    expect(screen.getByText('This mail is no longer there, or it is not yours to see.')).toBeTruthy();
    expect(screen.getByRole('button', { name: /Retry/ })).toBeTruthy();
  });
});

describe('mail frame document', () => {
  it('allows https images only when shown', () => {
    expect(mailFrameCsp(false)).toContain('img-src data:;');
    expect(mailFrameCsp(true)).toContain('img-src data: https:;');
    const shown = mailFrameDocument('<img data-remote-src="http://plain.example/x.gif">', { showImages: true });
    // Plain http stays blocked even then.
    expect(new DOMParser().parseFromString(shown, 'text/html').querySelector('img')?.hasAttribute('src')).toBe(false);
  });
});
