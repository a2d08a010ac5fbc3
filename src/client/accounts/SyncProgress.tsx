import { Progress, Space, Typography } from 'antd';
import React from 'react';
import type { MailAccountDTO } from '../../shared/types';
import { useLanguage, useT } from '../i18n';

/**
 * A first sync in progress: a bar against the provider's estimate of the total, or a running
 * count while the provider has not estimated it yet. The estimate can be low; the bar stops at 99%.
 */
export function SyncProgress({ progress }: { progress: NonNullable<MailAccountDTO['syncProgress']> }) {
  const t = useT();
  const numbers = new Intl.NumberFormat(useLanguage());
  const { done, total } = progress;
  const label = total
    ? t('{{done}} of about {{total}} messages', { done: numbers.format(done), total: numbers.format(total) })
    : t('{{done}} messages so far', { done: numbers.format(done) });
  return (
    <Space direction="vertical" size={0} style={{ minWidth: 180 }} data-testid="sync-progress">
      {total ? <Progress size="small" percent={Math.min(99, Math.floor((done / total) * 100))} status="active" /> : null}
      <Typography.Text type="secondary">{label}</Typography.Text>
    </Space>
  );
}
