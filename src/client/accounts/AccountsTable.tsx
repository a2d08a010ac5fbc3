import { Table, Typography } from 'antd';
import React from 'react';
import type { MailAccountDTO } from '../../shared/types';
import { useT } from '../i18n';
import { ProviderTitle } from '../mail-provider';
import { AccountActions } from './AccountActions';
import { AccountStatusTag } from './AccountStatusTag';
import { RelativeTime } from './RelativeTime';
import { SyncProgress } from './SyncProgress';

/** The current user's linked accounts, with each one's sync state. */
export function AccountsTable({ accounts, onChanged, onSyncStarted }: { accounts: MailAccountDTO[]; onChanged: () => void; onSyncStarted: () => void }) {
  const t = useT();
  return (
    <Table<MailAccountDTO>
      rowKey="id"
      dataSource={accounts}
      pagination={false}
      scroll={{ x: 'max-content' }}
      columns={[
        { key: 'provider', title: t('Provider'), render: (_, account) => <ProviderTitle name={account.provider} /> },
        { key: 'address', title: t('Address'), render: (_, account) => <Typography.Text strong>{account.address}</Typography.Text> },
        {
          key: 'displayName',
          title: t('Display name'),
          render: (_, account) => account.displayName || <Typography.Text type="secondary">—</Typography.Text>,
        },
        { key: 'status', title: t('Account status'), render: (_, account) => <AccountStatusTag account={account} /> },
        {
          key: 'lastSyncAt',
          title: t('Last sync'),
          render: (_, account) => {
            if (account.status === 'syncing' && account.syncProgress) return <SyncProgress progress={account.syncProgress} />;
            return account.lastSyncAt ? <RelativeTime value={account.lastSyncAt} /> : <Typography.Text type="secondary">{t('Not yet')}</Typography.Text>;
          },
        },
        { key: 'actions', title: t('Actions'), render: (_, account) => <AccountActions account={account} onChanged={onChanged} onSyncStarted={onSyncStarted} /> },
      ]}
    />
  );
}
