// Drafts: the composer saves itself a few seconds after typing stops and on close, Discard
// deletes, and the Drafts folder reopens a draft with its content, files and account.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import React from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyDraft } from '../../src/client/center/compose';
import { Composer } from '../../src/client/center/Composer';
import { EmailCenterPage } from '../../src/client/center/EmailCenterPage';
import { AUTOSAVE_DELAY_MS } from '../../src/client/center/useDraftAutosave';
import type { DraftDTO } from '../../src/shared/send';
import type { MailAccountDTO } from '../../src/shared/types';
import { installSend, type FakeSend } from './fake-send';
import { account, type FakeMailServer } from './fake-server';
import { seedMailbox } from './mailbox';
import { findPopconfirm, renderIn, startFakeServer } from './render';

vi.mock('../../src/client/host', () => import('./fake-host'));
vi.setConfig({ testTimeout: 30_000 });

const subjectOf = (composer: HTMLElement) => within(composer).getByRole('textbox', { name: 'Subject' });
const typeSubject = (composer: HTMLElement, value: string) => fireEvent.change(subjectOf(composer), { target: { value } });
const saves = (server: FakeMailServer) => server.callsTo('mailDrafts:save').map((call) => call.data as unknown as DraftDTO);

describe('draft autosave', () => {
  let server: FakeMailServer;
  let send: FakeSend;
  let me: MailAccountDTO;
  let onClose: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    server = startFakeServer();
    send = installSend(server);
    me = account({ address: 'me@example.com' });
    server.accounts = [me];
    onClose = vi.fn();
  });
  afterEach(() => {
    vi.useRealTimers();
    cleanup();
  });

  async function open() {
    await renderIn(<Composer draft={emptyDraft(me.id)} accounts={[me]} onClose={onClose} />);
    return screen.findByTestId('composer');
  }

  it('saves once, with the latest content, a few seconds after typing stops; later saves update the same draft', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const composer = await open();
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS + 500);
    // Nothing typed, nothing saved.
    expect(saves(server)).toHaveLength(0);
    for (const subject of ['P', 'Pl', 'Plan']) {
      typeSubject(composer, subject);
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(saves(server)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS);
    await waitFor(() => expect(saves(server)).toHaveLength(1));
    expect(saves(server)[0]).toMatchObject({ accountId: me.id, mode: 'new', subject: 'Plan', to: [] });
    expect(saves(server)[0].id).toBeUndefined();
    await waitFor(() => expect(within(composer).getByTestId('save-state').textContent).toBe('Saved'));

    typeSubject(composer, 'Plan B');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS + 100);
    await waitFor(() => expect(saves(server)).toHaveLength(2));
    expect(saves(server)[1]).toMatchObject({ id: send.drafts[0].id, subject: 'Plan B' });
    expect(send.drafts).toHaveLength(1);
    const draftId = send.drafts[0].id;

    // Sending passes the draft; the server removes it once the message is accepted.
    fireEvent.change(within(composer).getByRole('combobox', { name: 'To' }), { target: { value: 'zoe@example.net,' } });
    fireEvent.click(within(composer).getByRole('button', { name: /Send/ }));
    await waitFor(() => expect(send.sends).toHaveLength(1));
    expect(send.sends[0].draftId).toBe(draftId);
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(send.drafts).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS * 2);
    expect(saves(server)).toHaveLength(2);
  });

  it('saves at once when the composer is closed', async () => {
    const composer = await open();
    typeSubject(composer, 'Unfinished');
    fireEvent.click(document.querySelector('.ant-drawer-close') as HTMLElement);
    expect(onClose).toHaveBeenCalled();
    await waitFor(() => expect(saves(server)).toHaveLength(1));
    expect(saves(server)[0].subject).toBe('Unfinished');
    expect(within(composer).queryByTestId('send-problem')).toBeNull();
  });

  it('Discard asks, then deletes the saved draft', async () => {
    const composer = await open();
    typeSubject(composer, 'Never mind');
    fireEvent.click(document.querySelector('.ant-drawer-close') as HTMLElement);
    await waitFor(() => expect(send.drafts).toHaveLength(1));
    fireEvent.click(within(composer).getByRole('button', { name: /Discard/ }));
    const confirm = await findPopconfirm();
    expect(within(confirm).getByText('Discard this draft?')).toBeTruthy();
    fireEvent.click(within(confirm).getByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(server.callsTo('mailDrafts:destroy')).toHaveLength(1));
    expect(send.drafts).toHaveLength(0);
  });
});

describe('the Drafts folder', () => {
  afterEach(cleanup);

  it('lists the drafts written here and reopens one with its content, files and account', async () => {
    const server = startFakeServer();
    const send = installSend(server);
    const { outlook } = seedMailbox(server);
    send.drafts = [
      {
        id: 41,
        accountId: outlook.id,
        mode: 'new',
        to: ['carol@contoso.example'],
        cc: [],
        bcc: [],
        subject: 'Contract draft',
        html: '<p>Dear <em>Carol</em></p>',
        uploads: ['up-9'],
        uploadsInfo: [{ id: 'up-9', filename: 'terms.pdf', contentType: 'application/pdf', size: 2048 }],
        updatedAt: '2026-01-10T09:00:00Z',
      },
    ];
    await renderIn(<EmailCenterPage />);
    await screen.findByText('Quarterly report');
    fireEvent.click(screen.getByRole('menuitem', { name: /^Drafts/ }));
    const list = await screen.findByTestId('saved-drafts');
    expect(within(list).getByText('Written here (1)')).toBeTruthy();
    fireEvent.click(within(list).getByText('Contract draft'));
    const composer = await screen.findByTestId('composer');
    await waitFor(() => expect((subjectOf(composer) as HTMLInputElement).value).toBe('Contract draft'));
    expect(within(composer).getByRole('textbox', { name: 'Message' }).innerHTML).toBe('<p>Dear <em>Carol</em></p>');
    expect(within(composer).getByText('carol@contoso.example')).toBeTruthy();
    expect(within(composer).getByText('Me at work <me@work.example>')).toBeTruthy();
    expect(within(composer).getByText('terms.pdf')).toBeTruthy();
    fireEvent.click(within(composer).getByRole('button', { name: /Send/ }));
    await waitFor(() => expect(send.sends).toHaveLength(1));
    expect(send.sends[0]).toMatchObject({ draftId: 41, accountId: outlook.id, uploads: ['up-9'], subject: 'Contract draft' });
  });
});
