import { Button, Popconfirm, Space } from 'antd';
import React from 'react';
import type { MailAccountDTO } from '../../shared/types';
import { useDeleteAccount, useLinkAccount, type MailApiError } from '../api';
import { useMessage } from '../feedback';
import { useT } from '../i18n';
import { useLinkErrorText } from '../oauth/linkErrorText';

/** Reconnect (when the provider wants a new sign-in) and Delete, with a confirmation. */
export function AccountActions({ account, onDeleted }: { account: MailAccountDTO; onDeleted: () => void }) {
  const t = useT();
  const message = useMessage();
  const errorText = useLinkErrorText();
  const reconnect = useLinkAccount();
  const remove = useDeleteAccount();

  const startReconnect = () =>
    reconnect.run(account.provider, account.id).catch((error: MailApiError) => message.error(errorText(error).text));

  const confirmDelete = async () => {
    try {
      await remove.run(account.id);
      message.success(t('{{address}} was removed', { address: account.address }));
      onDeleted();
    } catch (error) {
      message.error((error as MailApiError).message);
    }
  };

  return (
    <Space>
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
