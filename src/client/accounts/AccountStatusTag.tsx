import { Tag, Tooltip } from 'antd';
import React from 'react';
import type { AccountStatus, MailAccountDTO } from '../../shared/types';
import { useT } from '../i18n';

const COLORS: Record<AccountStatus, string> = {
  syncing: 'processing',
  active: 'success',
  reauth_required: 'warning',
  error: 'error',
  disabled: 'default',
};

function useStatusLabel() {
  const t = useT();
  return (status: AccountStatus) => {
    switch (status) {
      case 'syncing':
        return t('Syncing');
      case 'active':
        return t('Active');
      case 'reauth_required':
        return t('Reconnect needed');
      case 'error':
        return t('Sync error');
      case 'disabled':
        return t('Disabled');
      default:
        return status;
    }
  };
}

/** The account's status as a coloured tag; hovering shows the last error, if any. */
export function AccountStatusTag({ account }: { account: Pick<MailAccountDTO, 'status' | 'lastError'> }) {
  const t = useT();
  const label = useStatusLabel();
  const hint =
    account.lastError ||
    (account.status === 'reauth_required'
      ? t('The provider no longer accepts the saved sign-in. Reconnect to continue syncing.')
      : undefined);
  const tag = (
    <Tag color={COLORS[account.status] ?? 'default'} data-status={account.status}>
      {label(account.status)}
    </Tag>
  );
  return hint ? <Tooltip title={hint}>{tag}</Tooltip> : tag;
}
