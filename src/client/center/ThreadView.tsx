import { ArrowLeftOutlined, EyeInvisibleOutlined, ForwardOutlined, PaperClipOutlined, RollbackOutlined, StarFilled, WarningOutlined } from '@ant-design/icons';
import { Alert, Avatar, Button, Skeleton, Space, Tooltip, Typography } from 'antd';
import React, { useEffect, useMemo, useRef, useState } from 'react';
import type { MailMessageDTO, MailThreadDetailDTO } from '../../shared/mail';
import { useSetRead, useThread, type MailApiError } from '../api';
import { useMessage } from '../feedback';
import { useLanguage, useT } from '../i18n';
import { draftFor, type ComposerDraft } from './compose';
import { addressLine, addressName, fullDate, listDate } from './format';
import { useMailErrorText } from './errorText';
import { MailFrame } from './MailFrame';
import { AttachmentList, ImagesBlockedBar, PlainTextBody, useInlineImages } from './MessageParts';

const AVATAR_COLORS = ['#1677ff', '#13a8a8', '#722ed1', '#eb2f96', '#fa8c16', '#52c41a', '#2f54eb', '#a0d911'];

function SenderAvatar({ message }: { message: MailMessageDTO }) {
  const label = addressName(message.from) || '?';
  const seed = [...(message.from?.address ?? label)].reduce((sum, c) => sum + c.charCodeAt(0), 0);
  return (
    <Avatar size={36} style={{ background: AVATAR_COLORS[seed % AVATAR_COLORS.length], flex: 'none' }}>
      {label.replace(/^["']/, '').charAt(0).toUpperCase()}
    </Avatar>
  );
}

type Reply = (mode: 'reply' | 'replyAll' | 'forward', message: MailMessageDTO) => void;

function MessageBody({ message }: { message: MailMessageDTO }) {
  const t = useT();
  const [showImages, setShowImages] = useState(false);
  const inline = useInlineImages(message);
  return (
    <div className="em-message-body">
      {message.malformed && (
        <Alert type="warning" showIcon icon={<WarningOutlined />} message={t('This message could not be read completely. What could be read is shown.')} style={{ marginBottom: 12 }} />
      )}
      {message.html && message.hasRemoteImages && !showImages && <ImagesBlockedBar onShow={() => setShowImages(true)} />}
      {message.html ? (
        <MailFrame html={message.html} inline={inline} showImages={showImages} title={message.subject || t('(no subject)')} />
      ) : message.text ? (
        <PlainTextBody text={message.text} />
      ) : (
        <Typography.Text type="secondary">{t('This message has no text.')}</Typography.Text>
      )}
      <AttachmentList message={message} />
    </div>
  );
}

function Recipients({ message }: { message: MailMessageDTO }) {
  const t = useT();
  const line = (list: MailMessageDTO['to']) => list.map(addressLine).join(', ');
  return (
    <div className="em-recipients">
      {message.to.length > 0 && (
        <div>
          <span className="em-label">{t('To')}:</span> {line(message.to)}
        </div>
      )}
      {message.cc.length > 0 && (
        <div>
          <span className="em-label">{t('Cc')}:</span> {line(message.cc)}
        </div>
      )}
      {message.bcc.length > 0 && (
        <div>
          <span className="em-label">{t('Bcc')}:</span> {line(message.bcc)}
        </div>
      )}
    </div>
  );
}

function MessageCard({ message, open, onToggle, onReply }: { message: MailMessageDTO; open: boolean; onToggle: () => void; onReply: Reply }) {
  const t = useT();
  const language = useLanguage();
  const date = message.sentAt || message.receivedAt;
  const header = (
    <div className="em-message-head" onClick={onToggle} role="button" tabIndex={0} aria-expanded={open} onKeyDown={(e) => (e.key === 'Enter' ? onToggle() : undefined)}>
      <SenderAvatar message={message} />
      <div className="em-message-who">
        <div className="em-message-from">
          <span className="em-from-name">{addressName(message.from) || t('Unknown sender')}</span>
          {open && message.from?.name && <span className="em-from-address">&lt;{message.from.address}&gt;</span>}
        </div>
        {open ? <Recipients message={message} /> : <div className="em-message-snippet">{message.snippet}</div>}
      </div>
      <div className="em-message-date">
        {message.attachments.some((a) => !a.inline) && <PaperClipOutlined />}
        {message.starred && <StarFilled style={{ color: '#faad14' }} />}
        <Tooltip title={fullDate(date, language)}>
          <span>{open ? fullDate(date, language) : listDate(date, language)}</span>
        </Tooltip>
      </div>
    </div>
  );
  return (
    <div className={`em-message${open ? ' em-message-open' : ''}`} data-testid="thread-message" data-open={open ? 'true' : 'false'} data-message-id={String(message.id)}>
      {header}
      {open && (
        <>
          <MessageBody message={message} />
          <div className="em-message-actions" onClick={(e) => e.stopPropagation()}>
            <Space size={8}>
              <Button icon={<RollbackOutlined />} onClick={() => onReply('reply', message)}>
                {t('Reply')}
              </Button>
              <Button onClick={() => onReply('replyAll', message)}>{t('Reply all')}</Button>
              <Button icon={<ForwardOutlined />} onClick={() => onReply('forward', message)}>
                {t('Forward')}
              </Button>
            </Space>
          </div>
        </>
      )}
    </div>
  );
}

/**
 * One conversation: every message, older ones collapsed and the newest open. Opening it marks
 * its unread messages read; "Mark as unread" gives them back their unread state.
 */
export function ThreadView({ threadId, ownAddresses, onBack, onCompose, onReadChanged }: {
  threadId: number | string;
  ownAddresses: string[];
  onBack: () => void;
  onCompose: (draft: ComposerDraft) => void;
  /** The thread's unread count changed here (the list and counts follow). */
  onReadChanged: (threadId: number | string, unreadCount: number) => void;
}) {
  const t = useT();
  const language = useLanguage();
  const toast = useMessage();
  const errorText = useMailErrorText();
  const thread = useThread(threadId);
  const setRead = useSetRead();
  const detail: MailThreadDetailDTO | undefined = thread.stale ? undefined : thread.data;
  const messages = useMemo(() => detail?.messages ?? [], [detail]);
  const newest = messages[messages.length - 1];
  // Which messages are open, for the thread as it is now: the newest from the first render on,
  // and what the user opened or closed stays so while the messages update (read state).
  const newestId = newest ? String(newest.id) : undefined;
  const [openState, setOpenState] = useState<{ newest?: string; ids: Set<string> }>({ ids: new Set() });
  const initial = () => new Set(newestId ? [newestId] : []);
  const opened = openState.newest === newestId ? openState.ids : initial();
  /** The messages this view marked read, so that "Mark as unread" can give them back. */
  const markedRead = useRef<Array<number | string>>([]);
  const readHandled = useRef<number | string | null>(null);

  const updateThread = thread.update;
  useEffect(() => {
    if (!detail || readHandled.current === threadId) return;
    readHandled.current = threadId;
    // Another user's mail, seen through the all-mail grant, is read without changing it.
    const unread = detail.readOnly ? [] : detail.messages.filter((m) => !m.read).map((m) => m.id);
    markedRead.current = unread;
    if (!unread.length) return;
    setRead.run({ threadIds: [threadId], read: true }).then(
      () => {
        updateThread((data) => ({ ...data, thread: { ...data.thread, unreadCount: 0 }, messages: data.messages.map((m) => ({ ...m, read: true })) }));
        onReadChanged(threadId, 0);
      },
      (error: MailApiError) => toast.error(t('Could not mark the conversation as read: {{error}}', { error: errorText(error) })),
    );
  }, [detail, threadId]);

  const markUnread = async () => {
    const ids = markedRead.current.length ? markedRead.current : newest ? [newest.id] : [];
    try {
      await setRead.run({ messageIds: ids, read: false });
      onReadChanged(threadId, ids.length);
      toast.info(t('Marked as unread'));
      onBack();
    } catch (error) {
      toast.error(errorText(error as MailApiError));
    }
  };

  const reply: Reply = (mode, message) => onCompose(draftFor(mode, message, ownAddresses, t, language));
  const toggle = (id: number | string) =>
    setOpenState((previous) => {
      const next = new Set(previous.newest === newestId ? previous.ids : initial());
      if (next.has(String(id))) next.delete(String(id));
      else next.add(String(id));
      return { newest: newestId, ids: next };
    });

  let content: React.ReactNode;
  if (thread.error && !detail) {
    content = (
      <Alert
        type="error"
        showIcon
        message={t('This conversation could not be loaded')}
        description={errorText(thread.error)}
        action={<Button onClick={thread.refresh}>{t('Retry')}</Button>}
      />
    );
  } else if (!detail) {
    content = <Skeleton active avatar paragraph={{ rows: 6 }} />;
  } else {
    content = (
      <>
        <h2 className="em-thread-subject">
          {detail.thread.subject || t('(no subject)')}
          {messages.length > 1 && <span className="em-thread-count">{messages.length}</span>}
        </h2>
        <div className="em-thread-messages">
          {messages.map((message) => (
            <MessageCard key={String(message.id)} message={message} open={opened.has(String(message.id))} onToggle={() => toggle(message.id)} onReply={reply} />
          ))}
        </div>
      </>
    );
  }

  return (
    <div className="em-thread" data-testid="thread-view">
      <div className="em-toolbar">
        <Tooltip title={t('Back to the list')}>
          <Button type="text" icon={<ArrowLeftOutlined />} aria-label={t('Back to the list')} onClick={onBack} />
        </Tooltip>
        {!detail?.readOnly && (
          <Button type="text" icon={<EyeInvisibleOutlined />} disabled={!detail} loading={setRead.loading} onClick={markUnread}>
            {t('Mark as unread')}
          </Button>
        )}
      </div>
      <div className="em-thread-scroll">{content}</div>
    </div>
  );
}
