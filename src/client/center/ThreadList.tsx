import { PaperClipOutlined, StarFilled } from '@ant-design/icons';
import { Table, Tooltip } from 'antd';
import React from 'react';
import type { MailAddress, MailThreadDTO } from '../../shared/mail';
import { useLanguage, useT } from '../i18n';
import { addressName, fullDate, listDate, sameAddress } from './format';

type Id = number | string;

/** "Ann, me, Bob": the first participants' names, the user's own addresses as "me". */
export function useParticipantsLabel(ownAddresses: string[]) {
  const t = useT();
  return (participants: MailAddress[]) => {
    const names: string[] = [];
    for (const participant of participants) {
      const name = ownAddresses.some((own) => sameAddress(own, participant.address)) ? t('me') : addressName(participant).split(/\s+/)[0].replace(/^["']|["',]$/g, '') || participant.address;
      if (!names.includes(name)) names.push(name);
      if (names.length === 3) break;
    }
    return names.join(', ') || t('(no participants)');
  };
}

/** One row per conversation: who, subject and snippet, count, attachment, date; unread in bold. */
export function ThreadList({ threads, loading, ownAddresses, selected, onSelect, onOpen }: {
  threads: MailThreadDTO[];
  loading: boolean;
  ownAddresses: string[];
  selected: Id[];
  onSelect: (ids: Id[]) => void;
  onOpen: (thread: MailThreadDTO) => void;
}) {
  const t = useT();
  const language = useLanguage();
  const participants = useParticipantsLabel(ownAddresses);
  return (
    <Table<MailThreadDTO>
      data-testid="thread-list"
      rowKey={(thread) => String(thread.id)}
      dataSource={threads}
      loading={loading && { delay: 200 }}
      showHeader={false}
      pagination={false}
      size="small"
      tableLayout="fixed"
      locale={{ emptyText: ' ' }}
      rowClassName={(thread) => (thread.unreadCount > 0 ? 'em-unread' : 'em-read')}
      rowSelection={{
        selectedRowKeys: selected.map(String),
        onChange: (keys) => onSelect(keys as Id[]),
        columnWidth: 44,
      }}
      onRow={(thread) => ({
        onClick: (event) => {
          // The checkbox cell selects; the rest of the row opens the conversation.
          if ((event.target as HTMLElement).closest('.ant-table-selection-column')) return;
          onOpen(thread);
        },
        'data-unread': thread.unreadCount > 0 ? 'true' : 'false',
        'data-thread-id': String(thread.id),
      } as React.HTMLAttributes<HTMLElement>)}
      columns={[
        {
          key: 'star',
          width: 28,
          render: (_, thread) => (thread.starred ? <StarFilled style={{ color: '#f4b400' }} aria-label={t('Starred')} /> : null),
        },
        {
          key: 'who',
          width: 200,
          render: (_, thread) => (
            <div className="em-who" title={thread.participants.map((p) => p.address).join(', ')}>
              {participants(thread.participants)}
              {thread.messageCount > 1 && <span className="em-count" data-testid="message-count">{thread.messageCount}</span>}
            </div>
          ),
        },
        {
          key: 'subject',
          render: (_, thread) => (
            <div className="em-line">
              <span className="em-subject">{thread.subject || t('(no subject)')}</span>
              {thread.snippet && <span className="em-snippet"> – {thread.snippet}</span>}
            </div>
          ),
        },
        {
          key: 'attachment',
          width: 28,
          render: (_, thread) => (thread.hasAttachments ? <PaperClipOutlined aria-label={t('Has attachments')} style={{ color: 'rgba(0,0,0,.55)' }} /> : null),
        },
        {
          key: 'date',
          width: 88,
          render: (_, thread) => (
            <Tooltip title={fullDate(thread.lastMessageAt, language)} mouseEnterDelay={0.6}>
              <div className="em-date">{listDate(thread.lastMessageAt, language)}</div>
            </Tooltip>
          ),
        },
      ]}
    />
  );
}
