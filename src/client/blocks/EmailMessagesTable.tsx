// What the "Email messages" block renders: the user's mail (or everyone's, for roles granted
// it) as a table, narrowed by the block's data scope; a row opens its conversation.
import { PaperClipOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Empty, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import React, { useEffect, useMemo, useState } from 'react';
import { MAIL_ERRORS } from '../../shared/mail';
import { useLanguage, useT } from '../i18n';
import { EMAIL_CENTER_ROUTE, useGoTo } from '../navigation';
import { fullAddress, messageDate, personLabel } from './format';
import { BlockThreadDrawer } from './MailDrawers';
import { DEFAULT_COLUMNS, MESSAGE_COLUMNS, type MessageColumn, type MessageRow, type ScopeMode } from './query';
import { useMessageList } from './useMessageList';

export interface EmailMessagesTableProps {
  columns?: MessageColumn[];
  allMail?: boolean;
  scopeMode?: ScopeMode;
  /** The data scope's value, variables already resolved (e.g. the popup record's email). */
  scopeValue?: unknown;
  pageSize?: number;
}

function useColumnTitles(): Record<MessageColumn, string> {
  const t = useT();
  return {
    from: t('From'),
    to: t('To'),
    subject: t('Subject'),
    snippet: t('Preview'),
    date: t('Date'),
    read: t('Read'),
    attachments: t('Attachments'),
  };
}

/** Column choices for the block's settings, in the user's language. */
export function useColumnOptions() {
  const titles = useColumnTitles();
  return MESSAGE_COLUMNS.map((value) => ({ value, label: titles[value] }));
}

export function EmailMessagesTable({ columns = DEFAULT_COLUMNS, allMail = false, scopeMode = 'none', scopeValue, pageSize = 20 }: EmailMessagesTableProps) {
  const t = useT();
  const language = useLanguage();
  const goTo = useGoTo();
  const titles = useColumnTitles();
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<MessageRow | null>(null);
  const list = useMessageList({ allMail, scopeMode, scopeValue, page, pageSize });

  // A new scope starts again at the first page.
  const scopeKey = JSON.stringify([allMail, scopeMode, scopeValue, pageSize]);
  useEffect(() => setPage(1), [scopeKey]);

  const tableColumns = useMemo(() => {
    const shown = MESSAGE_COLUMNS.filter((c) => columns.includes(c));
    const render: Record<MessageColumn, ColumnsType<MessageRow>[number]> = {
      from: { key: 'from', title: titles.from, ellipsis: true, width: 200, render: (_, row) => <Tooltip title={row.from ? fullAddress(row.from) : ''}>{personLabel(row.from)}</Tooltip> },
      to: { key: 'to', title: titles.to, ellipsis: true, width: 200, render: (_, row) => row.to.map(personLabel).join(', ') },
      subject: {
        key: 'subject',
        title: titles.subject,
        ellipsis: true,
        render: (_, row) => <span style={{ fontWeight: row.read ? undefined : 600 }}>{row.subject || t('(no subject)')}</span>,
      },
      snippet: { key: 'snippet', title: titles.snippet, ellipsis: true, render: (_, row) => <Typography.Text type="secondary">{row.snippet}</Typography.Text> },
      date: { key: 'date', title: titles.date, width: 130, render: (_, row) => <time dateTime={row.receivedAt}>{messageDate(row.receivedAt, language)}</time> },
      read: { key: 'read', title: titles.read, width: 90, render: (_, row) => (row.read ? t('Read') : <Badge status="processing" text={t('Unread')} />) },
      attachments: {
        key: 'attachments',
        title: <PaperClipOutlined aria-label={titles.attachments} />,
        width: 48,
        render: (_, row) => (row.attachments?.some((a) => !a.inline) ? <PaperClipOutlined aria-label={t('Has attachments')} /> : null),
      },
    };
    return shown.map((c) => render[c]);
  }, [columns, titles, language, t]);

  if (list.unbound) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('This record has no address to show mail for.')} data-testid="mail-block-unbound" />;
  }

  let error: React.ReactNode = null;
  if (list.error?.code === MAIL_ERRORS.ALL_MAIL_FORBIDDEN || (allMail && list.error?.status === 403)) {
    error = <Alert type="warning" showIcon message={t("Your role may not read everyone's mail. Ask an admin to grant it in Email settings, or show your own mail in this block's settings.")} />;
  } else if (list.error) {
    error = (
      <Alert
        type="error"
        showIcon
        message={t('Could not load mail: {{error}}', { error: list.error.message })}
        action={
          <Button size="small" icon={<ReloadOutlined />} onClick={list.refresh}>
            {t('Try again')}
          </Button>
        }
      />
    );
  }

  return (
    <div data-testid="mail-block">
      {error}
      <Table<MessageRow>
        size="middle"
        rowKey={(row) => String(row.id)}
        columns={tableColumns}
        dataSource={list.rows}
        loading={list.loading}
        onRow={(row) => ({ onClick: () => setOpen(row), style: { cursor: 'pointer' } })}
        pagination={{ current: page, pageSize, total: list.total, showSizeChanger: false, onChange: setPage, hideOnSinglePage: true }}
        locale={{
          emptyText: list.error ? (
            <span />
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                <>
                  <div>{t('No mail to show.')}</div>
                  <Typography.Text type="secondary">{t('Mail of linked accounts shows here once it is synced.')}</Typography.Text>
                </>
              }
            >
              <Button size="small" onClick={() => goTo(EMAIL_CENTER_ROUTE)}>
                {t('Mail accounts')}
              </Button>
            </Empty>
          ),
        }}
      />
      <BlockThreadDrawer row={open} onClose={() => setOpen(null)} onReadChanged={list.refresh} />
    </div>
  );
}
