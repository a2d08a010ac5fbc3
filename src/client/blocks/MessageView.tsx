// The read-only view a row of the "Email messages" block opens. When the row names its
// conversation (threadId), every message of it is shown as text; otherwise the row itself.
// The Email center's ThreadView (src/client/center) takes the conversation's place once it lands.
import { PaperClipOutlined } from '@ant-design/icons';
import { Alert, Descriptions, Divider, Drawer, Empty, Space, Spin, Tag, Typography } from 'antd';
import React, { useEffect, useState } from 'react';
import type { MailMessageDTO, MailThreadDetailDTO } from '../../shared/mail';
import { MailApiError, toMailApiError } from '../api/errors';
import { useAPIClient } from '../host';
import { useLanguage, useT } from '../i18n';
import { fullAddress, messageDateTime } from './format';
import type { MessageRow } from './query';

type Shown = Pick<MailMessageDTO, 'id' | 'subject' | 'from' | 'to' | 'cc' | 'receivedAt' | 'sentAt' | 'snippet' | 'attachments'> & { text?: string | null };

function useThreadDetail(threadId: number | string | undefined) {
  const api = useAPIClient();
  const [state, setState] = useState<{ data?: MailThreadDetailDTO; loading: boolean; error?: MailApiError }>({ loading: false });
  useEffect(() => {
    if (threadId === undefined || threadId === null) return;
    let current = true;
    setState({ loading: true });
    api.request<{ data: MailThreadDetailDTO }>({ url: 'mailThreads:get', method: 'get', params: { filterByTk: threadId }, skipNotify: true }).then(
      (response) => current && setState({ data: response.data?.data, loading: false }),
      (error: unknown) => current && setState({ loading: false, error: toMailApiError(error) }),
    );
    return () => {
      current = false;
    };
  }, [api, threadId]);
  return state;
}

function OneMessage({ message }: { message: Shown }) {
  const t = useT();
  const language = useLanguage();
  const list = (addresses: MailMessageDTO['to']) => addresses?.map(fullAddress).join(', ');
  return (
    <article data-testid="mail-block-message">
      <Descriptions size="small" column={1} colon={false} styles={{ label: { width: 64 } }}>
        <Descriptions.Item label={t('From')}>{message.from ? fullAddress(message.from) : ''}</Descriptions.Item>
        <Descriptions.Item label={t('To')}>{list(message.to)}</Descriptions.Item>
        {message.cc?.length ? <Descriptions.Item label={t('Cc')}>{list(message.cc)}</Descriptions.Item> : null}
        <Descriptions.Item label={t('Date')}>{messageDateTime(message.sentAt || message.receivedAt, language)}</Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 12 }}>{message.text || message.snippet}</Typography.Paragraph>
      {message.attachments?.length ? (
        <Space wrap>
          {message.attachments
            .filter((a) => !a.inline)
            .map((a) => (
              <Tag key={a.remoteId} icon={<PaperClipOutlined />}>
                {a.filename}
              </Tag>
            ))}
        </Space>
      ) : null}
    </article>
  );
}

/** A drawer with the row's conversation (or the row alone), read-only. */
export function MessageDrawer({ row, onClose }: { row: MessageRow | null; onClose: () => void }) {
  const t = useT();
  const thread = useThreadDetail(row?.threadId);
  const messages: Shown[] = row?.threadId !== undefined && thread.data ? thread.data.messages : row ? [row] : [];
  return (
    <Drawer open={!!row} onClose={onClose} width={720} destroyOnClose title={row?.subject || t('(no subject)')} data-testid="mail-block-drawer">
      {thread.loading ? <Spin /> : null}
      {thread.error ? <Alert type="error" showIcon message={t('Could not open the conversation: {{error}}', { error: thread.error.message })} /> : null}
      {!thread.loading && !messages.length ? <Empty /> : null}
      {messages.map((message, index) => (
        <React.Fragment key={String(message.id)}>
          {index ? <Divider /> : null}
          <OneMessage message={message} />
        </React.Fragment>
      ))}
    </Drawer>
  );
}
