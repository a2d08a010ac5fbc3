import { Alert, Button, Card, Skeleton } from 'antd';
import React, { useEffect, useState } from 'react';
import { useAccounts, useLinkableProviders } from '../api';
import { useT } from '../i18n';
import { AccountsTable } from './AccountsTable';
import { NoAccountNotice, NoProviderNotice } from './EmptyStates';
import { LinkAccountButton } from './LinkAccountButton';

const POLL_MS = 3000;
/** How long the list keeps refreshing after "Sync now" (an incremental sync takes seconds). */
const WATCH_AFTER_SYNC_MS = 20_000;

/**
 * The current user's mail accounts: the Email center's "Account settings" (`embedded` there,
 * inside its drawer), and a page of its own in tests.
 */
export function MailAccountsPage({ embedded = false }: { embedded?: boolean }) {
  const t = useT();
  const accounts = useAccounts();
  const providers = useLinkableProviders();
  const linkable = providers.data ?? [];
  const list = accounts.data ?? [];
  const failure = (!accounts.data && accounts.error) || (!providers.data && providers.error);
  // While a sync runs (a first sync, or one just asked for), the list refreshes itself.
  const [watchUntil, setWatchUntil] = useState(0);
  const syncing = list.some((account) => account.status === 'syncing');
  const refreshAccounts = accounts.refresh;
  useEffect(() => {
    if (!syncing && watchUntil < Date.now()) return undefined;
    const timer = setInterval(() => {
      refreshAccounts();
      if (!syncing && watchUntil < Date.now()) clearInterval(timer);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [syncing, watchUntil, refreshAccounts]);

  const retry = () => {
    accounts.refresh();
    providers.refresh();
  };

  let content: React.ReactNode;
  if (failure) {
    content = (
      <Alert
        type="error"
        showIcon
        message={t('Your mail accounts could not be loaded')}
        description={failure.message}
        action={<Button onClick={retry}>{t('Retry')}</Button>}
      />
    );
  } else if (!accounts.data || !providers.data) {
    content = <Skeleton active />;
  } else if (list.length) {
    content = <AccountsTable accounts={list} onChanged={accounts.refresh} onSyncStarted={() => setWatchUntil(Date.now() + WATCH_AFTER_SYNC_MS)} />;
  } else if (linkable.length) {
    content = <NoAccountNotice providers={linkable} />;
  } else {
    content = <NoProviderNotice />;
  }

  return (
    <div style={{ padding: embedded ? 0 : 24 }}>
      <Card
        data-testid="mail-accounts"
        bordered={!embedded}
        title={t('Mail accounts')}
        extra={list.length > 0 && linkable.length > 0 ? <LinkAccountButton providers={linkable} /> : null}
      >
        {content}
      </Card>
    </div>
  );
}
