// The Email center's own thread view and composer, opened from the page blocks:
//  - BlockThreadDrawer: a row of the "Email messages" block opens its conversation (ThreadView:
//    sandboxed iframe, Show images, attachments, mark read/unread, Reply / Reply all / Forward).
//  - MailComposerProvider: mounted once by the plugin; the "Send email" action hands it the
//    selected records' addresses (composer-store), and it opens the center's Composer. After a
//    per-recipient send the tracking view opens in a drawer (OutboxDrawer).
import { Alert, Drawer } from 'antd';
import React, { useMemo, useState } from 'react';
import { useAccounts } from '../api';
import { useT } from '../i18n';
import type { ComposerDraft } from '../center/compose';
import { Composer, type TrackTarget } from '../center/Composer';
import { CENTER_CSS } from '../center/styles';
import { ThreadView } from '../center/ThreadView';
import { closeComposer, useComposerRequest } from './composer-store';
import { OutboxDrawer } from './OutboxDrawer';
import type { MessageRow } from './query';

/** The center's Composer with the user's accounts; a draft without an account gets the first usable one. */
export function AccountsComposer({ draft, onClose }: { draft: ComposerDraft | null; onClose: () => void }) {
  const [tracking, setTracking] = useState<TrackTarget | null>(null);
  const accounts = useAccounts();
  const list = useMemo(() => accounts.data ?? [], [accounts.data]);
  const firstId = (list.find((a) => a.status !== 'disabled') ?? list[0])?.id;
  const shown = useMemo(() => (draft && draft.accountId === undefined && firstId !== undefined ? { ...draft, accountId: firstId } : draft), [draft, firstId]);
  return (
    <>
      <style>{CENTER_CSS}</style>
      <Composer draft={shown} accounts={list} onClose={onClose} onTrack={setTracking} />
      <OutboxDrawer target={tracking} onClose={() => setTracking(null)} />
    </>
  );
}

function ThreadDrawerBody({ threadId, onClose, onReadChanged }: { threadId: number | string; onClose: () => void; onReadChanged: () => void }) {
  const accounts = useAccounts();
  const own = useMemo(() => (accounts.data ?? []).map((a) => a.address), [accounts.data]);
  const [draft, setDraft] = useState<ComposerDraft | null>(null);
  return (
    <>
      <ThreadView key={String(threadId)} threadId={threadId} ownAddresses={own} onBack={onClose} onCompose={setDraft} onReadChanged={onReadChanged} />
      {/* Inside the block's tree, so that it stacks above the drawer (and a record popup). */}
      <AccountsComposer draft={draft} onClose={() => setDraft(null)} />
    </>
  );
}

/** A row's conversation in a drawer, as the Email center shows it. */
export function BlockThreadDrawer({ row, onClose, onReadChanged }: { row: MessageRow | null; onClose: () => void; onReadChanged: () => void }) {
  const t = useT();
  const threadId = row?.threadId;
  return (
    <Drawer
      open={!!row}
      onClose={onClose}
      width={860}
      destroyOnClose
      closable={false}
      data-testid="mail-block-drawer"
      styles={{ body: { padding: 0, display: 'flex', flexDirection: 'column' } }}
    >
      <style>{CENTER_CSS}</style>
      {row && threadId !== undefined && threadId !== null ? (
        <ThreadDrawerBody threadId={threadId} onClose={onClose} onReadChanged={onReadChanged} />
      ) : row ? (
        <Alert type="error" showIcon style={{ margin: 16 }} message={t('This conversation could not be loaded')} />
      ) : null}
    </Drawer>
  );
}

/** Mounted once around the app: shows the composer when a "Send email" action asks for it. */
export function MailComposerProvider({ children }: { children?: React.ReactNode }) {
  const request = useComposerRequest();
  // The accounts are asked for once a composer is first opened, not on every page.
  const [used, setUsed] = useState(false);
  if (request && !used) setUsed(true);
  const draft = useMemo<ComposerDraft | null>(
    () => (request ? { mode: 'new', to: request.to, cc: [], bcc: [], subject: '', html: '', attachments: [], perRecipient: true } : null),
    [request],
  );
  return (
    <>
      {children}
      {used ? <AccountsComposer draft={draft} onClose={closeComposer} /> : null}
    </>
  );
}
