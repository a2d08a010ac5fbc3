// The outbox: what the user sent from here, newest first, with each message's status, and one
// per-recipient send's tracking (rows of one bulkId, with counts). Either refreshes itself while
// the outbox is still working on a row. Failed and unknown rows can be sent again; pending and
// failed ones removed.
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Popconfirm, Space, Table, Tooltip, Typography } from 'antd';
import React, { useEffect } from 'react';
import type { OutboxDTO } from '../../shared/send';
import { useOnOutboxChanged, useOutbox, useOutboxActions, type MailApiError } from '../api';
import { useMessage } from '../feedback';
import { useLanguage, useT } from '../i18n';
import { addressLine, fullDate, listDate } from './format';
import { countStatuses, isActive, OutboxStatusTag, useStatusCounts } from './OutboxStatus';

export const OUTBOX_POLL_MS = 4000;
const PAGE_SIZE = 20;
/** A per-recipient send's rows on one page (the server's largest page; 100 recipients by default). */
const BULK_PAGE_SIZE = 200;

function RowActions({ row, onDone }: { row: OutboxDTO; onDone: () => void }) {
  const t = useT();
  const toast = useMessage();
  const actions = useOutboxActions();
  const run = (action: Promise<unknown>, done: string) =>
    action.then(
      () => {
        toast.success(done);
        onDone();
      },
      (error: MailApiError) => toast.error(error.message),
    );
  return (
    <Space size={4} onClick={(e) => e.stopPropagation()}>
      {(row.status === 'failed' || row.status === 'unknown') && (
        row.status === 'unknown' ? (
          <Popconfirm title={t('Send it again?')} description={t('It may already have arrived. Check Sent first, or the recipient gets it twice.')} okText={t('Send again')} cancelText={t('Cancel')} onConfirm={() => run(actions.retry(row.id), t('Sending again'))}>
            <Button size="small">{t('Send again')}</Button>
          </Popconfirm>
        ) : (
          <Button size="small" onClick={() => run(actions.retry(row.id), t('Sending again'))}>
            {t('Send again')}
          </Button>
        )
      )}
      {(row.status === 'pending' || row.status === 'failed') && (
        <Popconfirm title={row.status === 'pending' ? t('Remove it? It will not be sent.') : t('Remove it from the outbox?')} okText={t('Remove')} cancelText={t('Cancel')} onConfirm={() => run(actions.remove(row.id), t('Removed'))}>
          <Button size="small" danger>
            {t('Remove')}
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}

function Detail({ row }: { row: OutboxDTO }) {
  const t = useT();
  const language = useLanguage();
  const parts: string[] = [];
  if (row.error?.message && row.status !== 'sent') parts.push(row.error.message);
  if (row.status === 'pending' && row.nextAttemptAt) parts.push(t('Next try at {{time}}', { time: fullDate(row.nextAttemptAt, language) }));
  if (row.status === 'sent' && row.sentAt) parts.push(t('Sent at {{time}}', { time: fullDate(row.sentAt, language) }));
  if (row.attempts > 1) parts.push(t('{{count}} attempts', { count: row.attempts }));
  if (row.status === 'unknown') parts.push(t('It may or may not have gone out.'));
  return <span className="em-outbox-detail">{parts.join(' · ')}</span>;
}

export function Outbox({ bulkId, onOpenBulk, onBack }: { bulkId?: string | null; onOpenBulk?: (bulkId: string) => void; onBack?: () => void }) {
  const t = useT();
  const language = useLanguage();
  const summary = useStatusCounts();
  const [page, setPage] = React.useState(1);
  const pageSize = bulkId ? BULK_PAGE_SIZE : PAGE_SIZE;
  const outbox = useOutbox({ page, pageSize, bulkId });
  const rows = outbox.data ?? [];
  const counts = outbox.byStatus ?? countStatuses(rows.map((row) => row.status));
  const working = rows.some((row) => isActive(row.status)) || !!(bulkId && ((counts.pending ?? 0) > 0 || (counts.sending ?? 0) > 0));
  const { refresh } = outbox;
  useOnOutboxChanged(refresh);
  useEffect(() => {
    if (!working) return undefined;
    const timer = setInterval(refresh, OUTBOX_POLL_MS);
    return () => clearInterval(timer);
  }, [working, refresh]);

  return (
    <div className="em-outbox" data-testid={bulkId ? 'outbox-bulk' : 'outbox'}>
      <div className="em-toolbar">
        {onBack && (
          <Tooltip title={t('Back to the outbox')}>
            <Button type="text" icon={<ArrowLeftOutlined />} aria-label={t('Back to the outbox')} onClick={onBack} />
          </Tooltip>
        )}
        <Typography.Text strong style={{ padding: '0 8px' }}>
          {bulkId ? t('Separate messages, one per recipient') : t('Outbox')}
        </Typography.Text>
        {bulkId && rows.length > 0 && (
          <Typography.Text type="secondary" data-testid="bulk-counts">
            {summary(counts)}
          </Typography.Text>
        )}
        <span className="em-spacer" />
        <Button type="text" icon={<ReloadOutlined spin={outbox.loading && !!outbox.data} />} onClick={refresh}>
          {t('Refresh')}
        </Button>
      </div>
      {outbox.error && !outbox.data ? (
        <Alert type="error" showIcon style={{ margin: 16 }} message={t('The outbox could not be loaded')} description={outbox.error.message} action={<Button onClick={refresh}>{t('Retry')}</Button>} />
      ) : (
        <div className="em-list">
          <Table<OutboxDTO>
            rowKey={(row) => String(row.id)}
            dataSource={rows}
            loading={outbox.loading && !outbox.data}
            size="small"
            locale={{ emptyText: t('Nothing sent from here yet') }}
            onRow={(row) => ({ 'data-testid': 'outbox-row', onClick: () => row.bulkId && !bulkId && onOpenBulk?.(row.bulkId) }) as React.HTMLAttributes<HTMLElement>}
            pagination={bulkId || (outbox.meta?.count ?? 0) <= PAGE_SIZE ? false : { current: page, pageSize, total: outbox.meta?.count, onChange: setPage, showSizeChanger: false, size: 'small' }}
            columns={[
              { key: 'status', width: 120, render: (_, row) => <OutboxStatusTag status={row.status} /> },
              { key: 'to', width: 220, render: (_, row) => <span className="em-line">{[...row.to, ...row.cc, ...row.bcc].map(addressLine).join(', ') || t('(no recipients)')}</span> },
              {
                key: 'subject',
                render: (_, row) => (
                  <div className="em-line">
                    <span className="em-subject">{row.subject || t('(no subject)')}</span>
                    {row.bulkId && !bulkId && <Typography.Link style={{ marginLeft: 8 }}>{t('Track this send')}</Typography.Link>}
                    <div>
                      <Detail row={row} />
                    </div>
                  </div>
                ),
              },
              { key: 'date', width: 100, className: 'em-date', render: (_, row) => <Tooltip title={fullDate(row.createdAt, language)}>{listDate(row.createdAt, language)}</Tooltip> },
              { key: 'actions', width: 200, render: (_, row) => <RowActions row={row} onDone={refresh} /> },
            ]}
          />
        </div>
      )}
    </div>
  );
}
