// The outbox's statuses in the user's words: a tag per row and a summary of a per-recipient send.
import { Tag } from 'antd';
import React from 'react';
import type { OutboxStatus } from '../../shared/send';
import { useT } from '../i18n';

const COLORS: Record<OutboxStatus, string> = { pending: 'processing', sending: 'processing', sent: 'success', failed: 'error', unknown: 'warning' };

export function useStatusLabel() {
  const t = useT();
  return (status: OutboxStatus) => {
    switch (status) {
      case 'pending':
        return t('Pending');
      case 'sending':
        return t('Sending');
      case 'sent':
        return t('Sent');
      case 'failed':
        return t('Failed');
      default:
        return t('Fate unknown');
    }
  };
}

export function OutboxStatusTag({ status }: { status: OutboxStatus }) {
  const label = useStatusLabel();
  return (
    <Tag color={COLORS[status] ?? 'default'} data-status={status}>
      {label(status)}
    </Tag>
  );
}

/** Whether the outbox is still working on any of these rows (the view then refreshes). */
export const isActive = (status: OutboxStatus) => status === 'pending' || status === 'sending';

/** Done first, then what is under way, then what needs the user. */
const SUMMARY_ORDER: OutboxStatus[] = ['sent', 'sending', 'pending', 'failed', 'unknown'];

/** "48 sent, 2 pending": the statuses present, from the server's counts or from the rows. */
export function useStatusCounts() {
  const t = useT();
  return (counts: Partial<Record<OutboxStatus, number>>) =>
    SUMMARY_ORDER.map((status) => ({ status, count: counts[status] ?? 0 }))
      .filter(({ count }) => count > 0)
      .map(({ status, count }) => {
        switch (status) {
          case 'pending':
            return t('{{count}} pending', { count });
          case 'sending':
            return t('{{count}} sending', { count });
          case 'sent':
            return t('{{count}} sent', { count });
          case 'failed':
            return t('{{count}} failed', { count });
          default:
            return t('{{count}} of unknown fate', { count });
        }
      })
      .join(', ');
}

export function countStatuses(statuses: OutboxStatus[]) {
  const counts: Partial<Record<OutboxStatus, number>> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
