import { EditOutlined, EyeInvisibleOutlined, EyeOutlined, LeftOutlined, ReloadOutlined, RightOutlined, SettingOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Drawer, Empty, Input, Select, Skeleton, Space, Tooltip, Typography } from 'antd';
import React, { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { MailThreadDTO, MailThreadQuery } from '../../shared/mail';
import type { MailAccountDTO } from '../../shared/types';
import { useAccounts, useFolders, useLinkableProviders, useLinkAccount, useSetRead, useThreads, type MailApiError } from '../api';
import { NoAccountNotice, NoProviderNotice } from '../accounts/EmptyStates';
import { MailAccountsPage } from '../accounts/MailAccountsPage';
import { SyncProgress } from '../accounts/SyncProgress';
import { useMessage } from '../feedback';
import { useLanguage, useT } from '../i18n';
import { ProviderIcon } from '../mail-provider';
import { useLinkErrorText } from '../oauth/linkErrorText';
import { useUnread } from '../topbar/useUnread';
import { emptyDraft, type ComposerDraft } from './compose';
import { useMailErrorText } from './errorText';
import { Composer } from './Composer';
import { DraftList } from './DraftList';
import { FolderNav, OUTBOX, useFolderLabel, type FolderChoice } from './FolderNav';
import { Outbox } from './Outbox';
import { CENTER_CSS } from './styles';
import { ThreadList } from './ThreadList';
import { ThreadView } from './ThreadView';
import { useSyncWatch } from './useSyncWatch';

type Id = number | string;
export const PAGE_SIZE = 50;
const ALL = '__all__';

/** Fills the window below the host's top bar, whatever its height. */
function useFillHeight() {
  const ref = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState<number>();
  useLayoutEffect(() => {
    const measure = () => {
      const top = ref.current?.getBoundingClientRect().top ?? 0;
      setHeight(Math.max(480, window.innerHeight - top));
    };
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, []);
  return { ref, height };
}

function AccountBanners({ accounts }: { accounts: MailAccountDTO[] }) {
  const t = useT();
  const toast = useMessage();
  const reconnect = useLinkAccount();
  const errorText = useLinkErrorText();
  return (
    <>
      {accounts
        .filter((a) => a.status === 'syncing' && a.syncProgress)
        .map((account) => (
          <Alert
            key={`sync-${account.id}`}
            type="info"
            data-testid="first-sync"
            message={
              <Space size={16} wrap>
                <span>{t('Bringing in the mail of {{address}}…', { address: account.address })}</span>
                <SyncProgress progress={account.syncProgress!} />
              </Space>
            }
          />
        ))}
      {accounts
        .filter((a) => a.status === 'reauth_required')
        .map((account) => (
          <Alert
            key={`reauth-${account.id}`}
            type="warning"
            showIcon
            message={t('{{address}} needs to be reconnected before its mail can sync again.', { address: account.address })}
            action={
              <Button size="small" type="primary" loading={reconnect.loading} onClick={() => reconnect.run(account.provider, account.id).catch((e: MailApiError) => toast.error(errorText(e).text))}>
                {t('Reconnect')}
              </Button>
            }
          />
        ))}
      {accounts
        .filter((a) => a.status === 'error')
        .map((account) => (
          <Alert key={`error-${account.id}`} type="error" showIcon message={t('The last sync of {{address}} failed.', { address: account.address })} description={account.lastError || undefined} />
        ))}
    </>
  );
}

/**
 * /admin/email: the Email center. Accounts and folders on the left, the conversations of the
 * chosen folder on the right, a conversation in their place once opened; the composer and the
 * account settings open in drawers.
 */
export function EmailCenterPage() {
  const t = useT();
  const language = useLanguage();
  const toast = useMessage();
  const folderLabel = useFolderLabel();
  const errorText = useMailErrorText();
  const accounts = useAccounts();
  const providers = useLinkableProviders();
  const accountList = useMemo(() => accounts.data ?? [], [accounts.data]);

  const [accountId, setAccountId] = useState<Id>();
  const [folder, setFolder] = useState<FolderChoice>({ folder: 'inbox' });
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<Id[]>([]);
  const [openThread, setOpenThread] = useState<Id | null>(null);
  const [draft, setDraft] = useState<ComposerDraft | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);

  const folders = useFolders(accountId);
  const inOutbox = folder.folder === OUTBOX;
  const inDrafts = folder.folder === 'drafts' && folder.accountId === undefined;
  const query: MailThreadQuery | null = accountList.length && !inOutbox
    ? { accountId: folder.accountId ?? accountId, folder: folder.folder, q: q || undefined, page, pageSize: PAGE_SIZE }
    : null;
  const threads = useThreads(query);
  const setRead = useSetRead();

  const refreshFolders = folders.refresh;
  const refreshThreads = threads.refresh;
  const reload = useCallback(() => {
    refreshFolders();
    refreshThreads();
  }, [refreshFolders, refreshThreads]);
  const syncWatch = useSyncWatch(accounts, reload);
  // Scheduled syncs: the badge's cheap poll says when the accounts synced again.
  useUnread(reload);

  const inView = accountList.filter((a) => accountId === undefined || String(a.id) === String(accountId));
  const own = accountList.map((a) => a.address);

  const choose = (next: Partial<{ accountId: Id | undefined; folder: FolderChoice; q: string }>) => {
    if ('accountId' in next) setAccountId(next.accountId);
    if (next.folder) setFolder(next.folder);
    if (next.q !== undefined) setQ(next.q);
    setPage(1);
    setSelected([]);
    setOpenThread(null);
  };

  const runRefresh = () =>
    syncWatch.refresh(inView).catch((error: MailApiError) => toast.error(t('Could not start the sync: {{error}}', { error: error.message })));

  const bulkRead = async (read: boolean) => {
    const ids = selected;
    try {
      await setRead.run({ threadIds: ids, read });
      const chosen = new Set(ids.map(String));
      threads.update((list) => list.map((th) => (chosen.has(String(th.id)) ? { ...th, unreadCount: read ? 0 : th.messageCount } : th)));
      setSelected([]);
      reload();
    } catch (error) {
      toast.error(t('Could not change the read state: {{error}}', { error: errorText(error as MailApiError) }));
    }
  };

  const updateThreads = threads.update;
  const onReadChanged = useCallback(
    (id: Id, unreadCount: number) => {
      updateThreads((list) => list.map((th) => (String(th.id) === String(id) ? { ...th, unreadCount } : th)));
      refreshFolders();
    },
    [updateThreads, refreshFolders],
  );

  useEffect(() => setSearch(q), [q]);
  const { ref, height } = useFillHeight();

  // Before there is a mailbox to show: loading, a failure, or nothing linked yet.
  let whole: React.ReactNode;
  if (!accounts.data && accounts.error) {
    whole = (
      <Alert type="error" showIcon message={t('Your mail accounts could not be loaded')} description={accounts.error.message} action={<Button onClick={accounts.refresh}>{t('Retry')}</Button>} />
    );
  } else if (!accounts.data) {
    whole = <Skeleton active paragraph={{ rows: 8 }} />;
  } else if (!accountList.length) {
    const linkable = providers.data ?? [];
    whole = !providers.data ? <Skeleton active /> : linkable.length ? <NoAccountNotice providers={linkable} /> : <NoProviderNotice />;
  }
  if (whole) {
    return (
      <div data-testid="email-center" ref={ref} style={{ padding: 48, background: '#fff', minHeight: height }}>
        {whole}
      </div>
    );
  }

  const list = threads.stale ? [] : threads.data ?? [];
  const count = threads.meta?.count ?? list.length;
  const first = count ? (page - 1) * PAGE_SIZE + 1 : 0;
  const last = Math.min(count, (page - 1) * PAGE_SIZE + list.length);
  const numbers = new Intl.NumberFormat(language);
  const folderName = folder.accountId === undefined ? folderLabel(folder.folder) : folders.data?.find((f) => f.remoteId === folder.folder && String(f.accountId) === String(folder.accountId))?.name ?? '';
  const allSelected = list.length > 0 && list.every((th) => selected.map(String).includes(String(th.id)));

  let listContent: React.ReactNode;
  if (threads.error && !threads.data) {
    listContent = (
      <div className="em-empty">
        <Alert type="error" showIcon message={t('The conversations could not be loaded')} description={errorText(threads.error)} action={<Button onClick={threads.refresh}>{t('Retry')}</Button>} />
      </div>
    );
  } else if (!threads.loading && !list.length) {
    listContent = q ? (
      <Empty className="em-empty" image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('No conversations match “{{q}}”', { q, interpolation: { escapeValue: false } })}>
        <Button onClick={() => choose({ q: '' })}>{t('Clear search')}</Button>
      </Empty>
    ) : (
      <Empty
        className="em-empty"
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={
          syncWatch.firstSync
            ? t('Your mail is on its way. Conversations appear here as they arrive.')
            : inDrafts
              ? t('No drafts in Gmail or Outlook')
              : t('There are no conversations in {{folder}}', { folder: folderName })
        }
      />
    );
  } else {
    listContent = (
      <ThreadList
        threads={list}
        loading={threads.loading}
        ownAddresses={own}
        selected={selected}
        onSelect={setSelected}
        onOpen={(thread: MailThreadDTO) => setOpenThread(thread.id)}
      />
    );
  }

  return (
    <div className="em-center" data-testid="email-center" ref={ref} style={{ height }}>
      <style>{CENTER_CSS}</style>
      <aside className="em-side">
        <div className="em-side-top">
          <Button className="em-write" type="primary" icon={<EditOutlined />} onClick={() => setDraft(emptyDraft(inView.find((a) => a.status !== 'disabled')?.id ?? accountList[0]?.id))}>
            {t('Write email')}
          </Button>
          <Select
            aria-label={t('Account')}
            value={accountId === undefined ? ALL : String(accountId)}
            onChange={(value: string) => choose({ accountId: value === ALL ? undefined : accountList.find((a) => String(a.id) === value)?.id, folder: { folder: folder.accountId === undefined ? folder.folder : 'inbox' } })}
            options={[
              { value: ALL, label: t('All accounts') },
              ...accountList.map((a) => ({
                value: String(a.id),
                label: (
                  <Space size={6}>
                    <ProviderIcon name={a.provider} />
                    {a.address}
                  </Space>
                ),
              })),
            ]}
          />
        </div>
        <FolderNav folders={folders.data ?? []} accounts={accountList} accountId={accountId} value={folder} onChange={(next) => choose({ folder: next })} />
        {folders.error && !folders.data && (
          <Alert type="error" style={{ margin: 8 }} message={t('The folders could not be loaded')} action={<Button size="small" onClick={folders.refresh}>{t('Retry')}</Button>} />
        )}
        <div className="em-side-bottom">
          <Button block type="text" icon={<SettingOutlined />} onClick={() => setSettingsOpen(true)} style={{ textAlign: 'left' }}>
            {t('Account settings')}
          </Button>
        </div>
      </aside>
      <main className="em-main">
        <div className="em-head">
          <Input.Search
            aria-label={t('Search mail')}
            placeholder={t('Search mail')}
            allowClear
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              if (!e.target.value && q) choose({ q: '' });
            }}
            onSearch={(value) => choose({ q: value.trim() })}
          />
        </div>
        <div className="em-banners">
          <AccountBanners accounts={inView} />
        </div>
        {inOutbox ? (
          <Outbox
            key={folder.bulkId ?? ''}
            bulkId={folder.bulkId}
            onOpenBulk={(bulkId) => choose({ folder: { folder: OUTBOX, bulkId } })}
            onBack={folder.bulkId ? () => choose({ folder: { folder: OUTBOX } }) : undefined}
          />
        ) : openThread !== null ? (
          <ThreadView
            key={String(openThread)}
            threadId={openThread}
            ownAddresses={own}
            onBack={() => setOpenThread(null)}
            onCompose={setDraft}
            onReadChanged={onReadChanged}
          />
        ) : (
          <>
            <div className="em-toolbar">
              <Checkbox
                aria-label={t('Select all')}
                style={{ padding: '0 6px' }}
                checked={allSelected}
                indeterminate={selected.length > 0 && !allSelected}
                disabled={!list.length}
                onChange={(e) => setSelected(e.target.checked ? list.map((th) => th.id) : [])}
              />
              <Tooltip title={t('Check for new mail now')}>
                <Button type="text" icon={<ReloadOutlined spin={syncWatch.running} />} onClick={runRefresh} disabled={syncWatch.running}>
                  {t('Refresh')}
                </Button>
              </Tooltip>
              {selected.length > 0 && (
                <>
                  <Typography.Text type="secondary" style={{ padding: '0 8px' }}>
                    {t('{{count}} selected', { count: selected.length })}
                  </Typography.Text>
                  <Button type="text" icon={<EyeOutlined />} loading={setRead.loading} onClick={() => bulkRead(true)}>
                    {t('Mark as read')}
                  </Button>
                  <Button type="text" icon={<EyeInvisibleOutlined />} loading={setRead.loading} onClick={() => bulkRead(false)}>
                    {t('Mark as unread')}
                  </Button>
                </>
              )}
              <span className="em-spacer" />
              {count > 0 && (
                <span className="em-pager" data-testid="pager">
                  {t('{{first}}–{{last}} of {{total}}', { first: numbers.format(first), last: numbers.format(last), total: numbers.format(count) })}
                </span>
              )}
              <Tooltip title={t('Newer')}>
                <Button type="text" aria-label={t('Newer')} icon={<LeftOutlined />} disabled={page <= 1 || threads.loading} onClick={() => (setPage(page - 1), setSelected([]))} />
              </Tooltip>
              <Tooltip title={t('Older')}>
                <Button type="text" aria-label={t('Older')} icon={<RightOutlined />} disabled={last >= count || threads.loading} onClick={() => (setPage(page + 1), setSelected([]))} />
              </Tooltip>
            </div>
            <div className="em-list" data-testid="thread-scroll">
              {inDrafts && page === 1 && <DraftList onOpen={setDraft} />}
              {listContent}
            </div>
          </>
        )}
      </main>
      <Composer
        draft={draft}
        accounts={accountList}
        onClose={() => setDraft(null)}
        onTrack={(target) => choose({ folder: { folder: OUTBOX, bulkId: target.bulkId ?? undefined } })}
      />
      <Drawer
        open={settingsOpen}
        title={t('Account settings')}
        width={1000}
        onClose={() => {
          setSettingsOpen(false);
          accounts.refresh();
          reload();
        }}
        destroyOnClose
      >
        <MailAccountsPage embedded />
      </Drawer>
    </div>
  );
}
