import { DeleteOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Drawer, Form, Input, Popconfirm, Select, Space, Tooltip, Typography } from 'antd';
import React, { useEffect, useState } from 'react';
import type { MailAttachmentDTO } from '../../shared/mail';
import type { MailAccountDTO } from '../../shared/types';
import { useSendLimits } from '../api';
import { useMessage } from '../feedback';
import { useLanguage, useT } from '../i18n';
import { ProviderIcon } from '../mail-provider';
import { AttachFilesButton, Attachments } from './Attachments';
import type { ComposerDraft } from './compose';
import { composeInput } from './compose-send';
import { fileSize, fullDate, isValidAddress, parseRecipient } from './format';
import { RecipientsInput } from './RecipientsInput';
import { RichTextEditor } from './RichTextEditor';
import { useAttachments } from './useAttachments';
import { useComposerSend } from './useComposerSend';
import { useDraftAutosave, type DraftAutosave } from './useDraftAutosave';

/** Where the composer points after a send: the outbox, or one per-recipient send's tracking. */
export type TrackTarget = { bulkId?: string | null };

export interface ComposerProps {
  draft: ComposerDraft | null;
  accounts: MailAccountDTO[];
  onClose: () => void;
  /** Opens the outbox (or a per-recipient send's tracking view); without it no link is offered. */
  onTrack?: (target: TrackTarget) => void;
}

type FormValues = Pick<ComposerDraft, 'accountId' | 'to' | 'cc' | 'bcc' | 'subject' | 'html' | 'perRecipient'>;

function SaveState({ autosave }: { autosave: DraftAutosave }) {
  const t = useT();
  if (autosave.status === 'saving') return <Typography.Text type="secondary">{t('Saving…')}</Typography.Text>;
  if (autosave.status === 'error') {
    return (
      <Tooltip title={autosave.error?.message}>
        <Typography.Text type="danger">{t('Draft not saved')}</Typography.Text>
      </Tooltip>
    );
  }
  if (autosave.status === 'saved' && !autosave.dirty) return <Typography.Text type="secondary">{t('Saved')}</Typography.Text>;
  return null;
}

/** One composer session: its own idempotency key, draft id and uploads. */
function ComposerWindow({ draft, open, accounts, onClose, onTrack, afterClose }: ComposerProps & { draft: ComposerDraft; open: boolean; afterClose: () => void }) {
  const t = useT();
  const language = useLanguage();
  const toast = useMessage();
  const limits = useSendLimits();
  const limitText = fileSize(limits.maxAttachmentBytes, language);
  const [form] = Form.useForm<FormValues>();
  const [showCc, setShowCc] = useState(draft.cc.length > 0 || draft.bcc.length > 0);
  const [forwarded, setForwarded] = useState<MailAttachmentDTO[]>(() => draft.attachments.map((a) => a.attachment));
  const [dragging, setDragging] = useState(false);
  const attachments = useAttachments(draft.uploads, forwarded, limits.maxAttachmentBytes, (names) =>
    toast.error(t('Not attached, the message would be over {{limit}}: {{names}}', { limit: limitText, names: names.join(', ') })),
  );
  const sender = useComposerSend(form, limitText);

  const watched = {
    accountId: Form.useWatch('accountId', form),
    to: Form.useWatch('to', form),
    cc: Form.useWatch('cc', form),
    bcc: Form.useWatch('bcc', form),
    subject: Form.useWatch('subject', form),
    html: Form.useWatch('html', form),
    perRecipient: Form.useWatch('perRecipient', form),
  };
  // Before the form has registered its fields, useWatch gives undefined: the draft stands in.
  const current: ComposerDraft = {
    ...draft,
    ...(Object.fromEntries(Object.entries(watched).filter(([, value]) => value !== undefined)) as Partial<FormValues>),
    attachments: draft.attachments.filter((a) => forwarded.some((f) => f.remoteId === a.attachment.remoteId)),
    uploads: attachments.uploads,
  };
  const autosave = useDraftAutosave(composeInput(current), draft.draftId);

  const recipients = watched.to ?? draft.to;
  const perRecipient = !!watched.perRecipient && recipients.length > 1;

  const addresses = (_: unknown, value?: string[]) => {
    const wrong = (value ?? []).filter((v) => !isValidAddress(parseRecipient(v)));
    return wrong.length ? Promise.reject(new Error(t('Not an email address: {{addresses}}', { addresses: wrong.join(', ') }))) : Promise.resolve();
  };
  const bulkLimit = (_: unknown, value?: string[]) =>
    perRecipient && (value?.length ?? 0) > limits.maxBulkRecipients
      ? Promise.reject(new Error(t('Separate messages go to at most {{count}} recipients at once.', { count: limits.maxBulkRecipients })))
      : Promise.resolve();
  const noCopies = (_: unknown, value?: string[]) =>
    perRecipient && value?.length ? Promise.reject(new Error(t('Cc and Bcc cannot be used when each recipient gets a separate message.'))) : Promise.resolve();

  const close = () => {
    autosave.flush().then((saved) => saved || toast.error(t('Your draft could not be saved.')));
    onClose();
  };

  const discard = async () => {
    try {
      await autosave.discard();
      attachments.items.forEach((item) => attachments.remove(item.key));
      onClose();
    } catch (error) {
      toast.error(t('The draft could not be deleted: {{error}}', { error: (error as Error).message }));
    }
  };

  const send = async () => {
    try {
      await form.validateFields();
    } catch {
      return;
    }
    const draftId = await autosave.settle();
    const outcome = await sender.send({ ...current, draftId });
    if (outcome.kind === 'kept') {
      autosave.flush();
      return;
    }
    autosave.stop();
    if (outcome.kind === 'sent') toast.success(t('Message sent'));
    else if (outcome.kind === 'queued') {
      const at = outcome.item.nextAttemptAt;
      toast.info(at ? t('Queued, retrying at {{time}}', { time: fullDate(at, language) }) : t('Queued: the message goes out in a moment.'));
    } else if (outcome.kind === 'bulk') {
      toast.success(t('{{count}} messages queued, one per recipient', { count: outcome.count }));
      onTrack?.({ bulkId: outcome.bulkId });
    } else {
      toast.warning({
        duration: 12,
        content: (
          <span data-testid="send-unknown">
            {t('The connection broke while the message was being sent: it may or may not have gone out. Check Sent before sending it again.')}{' '}
            {onTrack && (
              <Typography.Link onClick={() => onTrack({})}>{t('Open the outbox')}</Typography.Link>
            )}
          </span>
        ),
      });
    }
    onClose();
  };

  const title = draft.mode === 'forward' ? t('Forward') : draft.mode === 'new' ? t('New email') : draft.mode === 'replyAll' ? t('Reply all') : t('Reply');
  const pristine = !autosave.draftId() && !autosave.dirty;
  const discardButton = <Button icon={<DeleteOutlined />} aria-label={t('Discard')} onClick={pristine ? onClose : undefined}>{t('Discard')}</Button>;

  return (
    <Drawer
      open={open}
      title={title}
      width={720}
      onClose={close}
      afterOpenChange={(visible) => !visible && afterClose()}
      destroyOnClose
      data-testid="composer"
      rootClassName="em-composer"
      footer={
        <div className="em-composer-footer">
          <Tooltip title={attachments.busy ? t('Wait until the files are uploaded') : undefined}>
            <Button type="primary" icon={<SendOutlined />} loading={sender.sending} disabled={attachments.busy} onClick={send}>
              {t('Send')}
            </Button>
          </Tooltip>
          <AttachFilesButton onFiles={attachments.add} />
          <span className="em-save-state" data-testid="save-state">
            <SaveState autosave={autosave} />
          </span>
          <span className="em-spacer" />
          {pristine ? discardButton : (
            <Popconfirm title={t('Discard this draft?')} description={t('The draft and its files are deleted.')} okText={t('Discard')} cancelText={t('Keep')} onConfirm={discard}>
              {discardButton}
            </Popconfirm>
          )}
        </div>
      }
    >
      {sender.problem && (
        <Alert type="error" showIcon closable onClose={sender.clearProblem} data-testid="send-problem" style={{ marginBottom: 12 }} message={sender.problem.title} description={sender.problem.detail} />
      )}
      <div
        className={`em-drop${dragging ? ' em-dragging' : ''}`}
        onDragOver={(e) => {
          if (!e.dataTransfer?.types?.includes('Files')) return;
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          const files = Array.from(e.dataTransfer?.files ?? []);
          setDragging(false);
          if (!files.length) return;
          e.preventDefault();
          attachments.add(files);
        }}
      >
        <Form form={form} initialValues={draft} layout="horizontal" labelCol={{ flex: '64px' }} labelAlign="left" colon={false} className="em-compose-form" requiredMark={false}>
          <Form.Item name="accountId" label={t('From')} rules={[{ required: true, message: t('Choose the account to send from') }]}>
            <Select
              aria-label={t('From')}
              variant="borderless"
              options={accounts.map((account) => ({
                value: account.id,
                label: (
                  <Space size={6}>
                    <ProviderIcon name={account.provider} />
                    {account.displayName ? `${account.displayName} <${account.address}>` : account.address}
                  </Space>
                ),
              }))}
            />
          </Form.Item>
          <Form.Item label={t('To')} required>
            <div style={{ display: 'flex', alignItems: 'flex-start' }}>
              <Form.Item name="to" noStyle rules={[{ validator: addresses }, { validator: bulkLimit }, { required: true, type: 'array', min: 1, message: t('Add at least one recipient') }]}>
                <RecipientsInput label={t('To')} />
              </Form.Item>
              {!showCc && !perRecipient && (
                <Button type="link" size="small" onClick={() => setShowCc(true)}>
                  {t('Cc/Bcc')}
                </Button>
              )}
            </div>
          </Form.Item>
          {showCc && (
            <>
              <Form.Item name="cc" label={t('Cc')} rules={[{ validator: addresses }, { validator: noCopies }]}>
                <RecipientsInput label={t('Cc')} />
              </Form.Item>
              <Form.Item name="bcc" label={t('Bcc')} rules={[{ validator: addresses }, { validator: noCopies }]}>
                <RecipientsInput label={t('Bcc')} />
              </Form.Item>
            </>
          )}
          <Form.Item name="perRecipient" valuePropName="checked" hidden={draft.mode !== 'new' || recipients.length < 2} className="em-per-recipient">
            <Checkbox>{t('Send a separate message to each recipient')}</Checkbox>
          </Form.Item>
          {perRecipient && (
            <Alert type="info" showIcon data-testid="composer-per-recipient" style={{ margin: '8px 0' }} message={t('Each of the {{count}} recipients gets a separate message.', { count: recipients.length })} />
          )}
          <Form.Item name="subject" label={t('Subject')}>
            <Input aria-label={t('Subject')} variant="borderless" />
          </Form.Item>
          <Form.Item name="html" noStyle>
            <RichTextEditor label={t('Message')} />
          </Form.Item>
        </Form>
        {(forwarded.length > 0 || attachments.items.length > 0) && (
          <Attachments state={attachments} forwarded={forwarded} limit={limits.maxAttachmentBytes} onRemoveForwarded={(remoteId) => setForwarded((list) => list.filter((a) => a.remoteId !== remoteId))} />
        )}
      </div>
    </Drawer>
  );
}

/**
 * Write, reply or forward: recipients, subject, rich text, attachments; the draft saves itself
 * and Send goes through the outbox. Each draft handed in starts a new session (key, draft id).
 */
export function Composer({ draft, accounts, onClose, onTrack }: ComposerProps) {
  const [session, setSession] = useState<{ id: number; draft: ComposerDraft; open: boolean } | null>(null);
  useEffect(() => {
    setSession((previous) => {
      if (!draft) return previous && { ...previous, open: false };
      if (previous?.draft === draft) return previous.open ? previous : { ...previous, open: true };
      return { id: (previous?.id ?? 0) + 1, draft, open: true };
    });
  }, [draft]);
  if (!session) return null;
  return (
    <ComposerWindow
      key={session.id}
      draft={session.draft}
      open={session.open}
      accounts={accounts}
      onClose={onClose}
      onTrack={onTrack}
      afterClose={() => setSession((previous) => (previous && !previous.open ? null : previous))}
    />
  );
}
