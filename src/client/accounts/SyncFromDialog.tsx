import { Modal, Radio, Space, Typography } from 'antd';
import React, { useState } from 'react';
import { SYNC_FROM_ALL, type ProviderName } from '../../shared/types';
import { useT } from '../i18n';
import { providerLabel } from '../mail-provider';

/** How far back a new account's first sync reaches; a month by default, as the server's default. */
export const SYNC_FROM_CHOICES = [
  { key: '1m', months: 1 },
  { key: '3m', months: 3 },
  { key: '1y', months: 12 },
  { key: SYNC_FROM_ALL, months: 0 },
] as const;
type Choice = (typeof SYNC_FROM_CHOICES)[number]['key'];

/** The `syncFrom` to send: a calendar date N months back in the user's own calendar, or 'all'. */
export function syncFromFor(choice: Choice, today = new Date()): string {
  const found = SYNC_FROM_CHOICES.find((c) => c.key === choice);
  if (!found || !found.months) return SYNC_FROM_ALL;
  const from = new Date(today.getFullYear(), today.getMonth() - found.months, today.getDate());
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${from.getFullYear()}-${pad(from.getMonth() + 1)}-${pad(from.getDate())}`;
}

/**
 * Asked once, before the consent page: how much existing mail to bring in. A shorter range makes
 * the first sync quick; "Everything" can take hours for a large mailbox (it shows progress).
 */
export function SyncFromDialog({ provider, loading, onContinue, onCancel }: {
  provider?: ProviderName;
  loading: boolean;
  onContinue: (syncFrom: string) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [choice, setChoice] = useState<Choice>('1m');
  const label = provider ? providerLabel(provider) : '';
  const labels: Record<Choice, string> = { '1m': t('The last month'), '3m': t('The last 3 months'), '1y': t('The last year'), [SYNC_FROM_ALL]: t('Everything') };
  return (
    <Modal
      open={!!provider}
      title={t('Link a {{provider}} account', { provider: label })}
      okText={t('Continue to {{provider}}', { provider: label })}
      cancelText={t('Cancel')}
      confirmLoading={loading}
      onOk={() => onContinue(syncFromFor(choice))}
      onCancel={onCancel}
      destroyOnClose
    >
      <Typography.Paragraph>{t('Which mail should be brought in?')}</Typography.Paragraph>
      <Radio.Group data-testid="sync-from" value={choice} onChange={(e) => setChoice(e.target.value)}>
        <Space direction="vertical">
          {SYNC_FROM_CHOICES.map((c) => (
            <Radio key={c.key} value={c.key}>
              {labels[c.key]}
            </Radio>
          ))}
        </Space>
      </Radio.Group>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
        {t('New mail always arrives. Older mail stays in your mailbox at the provider.')}
      </Typography.Paragraph>
    </Modal>
  );
}
