import { Button, Popconfirm, Space } from 'antd';
import React from 'react';
import type { MailAccountDTO } from '../../shared/types';
import { useDeleteAccount, useLinkAccount, useSyncAccount, type MailApiError } from '../api';
import { useMessage } from '../feedback';
import { useT } from '../i18n';
import { useLinkErrorText } from '../oauth/linkErrorText';

/** Sync now, Reconnect (when the provider wants a new sign-in) and Delete, with a confirmation. */
export function AccountActions({ account, onChanged, onSyncStarted }: { account: MailAccountDTO; onChanged: () => void; onSyncStarted: () => void }) {
  const t = useT();
  const message = useMessage();
  const errorText = useLinkErrorText();
  const reconnect = useLinkAccount();
  const remove = useDeleteAccount();
  const sync = useSyncAccount();

  const syncNow = () =>
    sync.run(account.id).then(
      () => {
        message.info(t('Syncing {{address}}…', { address: account.address }));
        onSyncStarted();
      },
      (error: MailApiError) => message.error(error.message),
    );

  const startReconnect = () =>
    reconnect.run(account.provider, account.id).catch((error: MailApiError) => message.error(errorText(error).text));

  const confirmDelete = async () => {
    try {
      await remove.run(account.id);
      message.success(t('{{address}} was removed', { address: account.address }));
      onChanged();
    } catch (error) {
      message.error((error as MailApiError).message);
    }
  };

  return (
    <Space>
      {account.status !== 'reauth_required' && (
        <Button size="small" loading={sync.loading} onClick={syncNow}>
          {t('Sync now')}
        </Button>
      )}
      {account.status === 'reauth_required' && (
        <Button type="primary" size="small" loading={reconnect.loading} onClick={startReconnect}>
          {t('Reconnect')}
        </Button>
      )}
      <Popconfirm
        title={t('Delete {{address}}?', { address: account.address })}
        description={t('All mail of this account stored in NocoBase will be removed. The mailbox itself at Google or Microsoft stays as it is.')}
        okText={t('Delete')}
        cancelText={t('Cancel')}
        okButtonProps={{ danger: true, loading: remove.loading }}
        onConfirm={confirmDelete}
      >
        <Button danger size="small">
          {t('Delete')}
        </Button>
      </Popconfirm>
    </Space>
  );
}
