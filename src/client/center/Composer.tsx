import { FileOutlined, PaperClipOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, Button, Drawer, Form, Input, Select, Space, Tag, Tooltip, Typography } from 'antd';
import React, { useEffect, useState } from 'react';
import type { MailAccountDTO } from '../../shared/types';
import { useLanguage, useT } from '../i18n';
import { ProviderIcon } from '../mail-provider';
import type { ComposerDraft } from './compose';
import { fileSize, isValidAddress, parseRecipient } from './format';

/** Recipients as tags; a tag that is not an address shows red and the form says so. */
function RecipientsInput({ value, onChange, label }: { value?: string[]; onChange?: (value: string[]) => void; label: string }) {
  return (
    <Select
      mode="tags"
      aria-label={label}
      value={value}
      onChange={(next: string[]) => onChange?.(next.map((v) => v.trim()).filter(Boolean))}
      tokenSeparators={[',', ';', ' ']}
      open={false}
      suffixIcon={null}
      variant="borderless"
      style={{ width: '100%' }}
      tagRender={({ label: text, value: tagValue, closable, onClose }) => {
        const valid = isValidAddress(parseRecipient(String(tagValue)));
        return (
          <Tag color={valid ? undefined : 'error'} closable={closable} onClose={onClose} style={{ marginInlineEnd: 4 }} data-valid={valid ? 'true' : 'false'}>
            {text}
          </Tag>
        );
      }}
    />
  );
}

export interface ComposerProps {
  draft: ComposerDraft | null;
  accounts: MailAccountDTO[];
  onClose: () => void;
  /** Issue 7 wires sending here; until then the Send button stays disabled. */
  onSend?: (draft: ComposerDraft) => Promise<void>;
}

/** Write, reply or forward. Recipients, subject, body and (for forward) the original's files. */
export function Composer({ draft, accounts, onClose, onSend }: ComposerProps) {
  const t = useT();
  const language = useLanguage();
  const [form] = Form.useForm<ComposerDraft>();
  const [showCc, setShowCc] = useState(false);
  const [sending, setSending] = useState(false);
  const to = Form.useWatch('to', form) as string[] | undefined;

  useEffect(() => {
    if (!draft) return;
    form.resetFields();
    form.setFieldsValue(draft);
    setShowCc(draft.cc.length > 0 || draft.bcc.length > 0);
  }, [draft, form]);

  const addresses = (_: unknown, value?: string[]) => {
    const wrong = (value ?? []).filter((v) => !isValidAddress(parseRecipient(v)));
    return wrong.length ? Promise.reject(new Error(t('Not an email address: {{addresses}}', { addresses: wrong.join(', ') }))) : Promise.resolve();
  };

  const send = async () => {
    if (!draft || !onSend) return;
    const values = await form.validateFields();
    setSending(true);
    try {
      await onSend({ ...draft, ...values });
      onClose();
    } finally {
      setSending(false);
    }
  };

  const title = !draft ? '' : draft.mode === 'forward' ? t('Forward') : draft.mode === 'new' ? t('New email') : draft.mode === 'replyAll' ? t('Reply all') : t('Reply');
  const sendButton = (
    <Button type="primary" icon={<SendOutlined />} disabled={!onSend} loading={sending} onClick={send}>
      {t('Send')}
    </Button>
  );

  return (
    <Drawer
      open={!!draft}
      title={title}
      width={680}
      onClose={onClose}
      destroyOnClose
      data-testid="composer"
      rootClassName="em-composer"
      footer={
        <Space style={{ display: 'flex', justifyContent: 'space-between', width: '100%' }}>
          {onSend ? sendButton : <Tooltip title={t('Sending arrives soon. For now, copy the text into your mail app.')}>{<span>{sendButton}</span>}</Tooltip>}
          <Button onClick={onClose}>{t('Discard')}</Button>
        </Space>
      }
    >
      <Form form={form} layout="horizontal" labelCol={{ flex: '64px' }} labelAlign="left" colon={false} className="em-compose-form" requiredMark={false}>
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
            <Form.Item name="to" noStyle rules={[{ validator: addresses }, { required: true, type: 'array', min: 1, message: t('Add at least one recipient') }]}>
              <RecipientsInput label={t('To')} />
            </Form.Item>
            {!showCc && (
              <Button type="link" size="small" onClick={() => setShowCc(true)}>
                {t('Cc/Bcc')}
              </Button>
            )}
          </div>
        </Form.Item>
        {showCc && (
          <>
            <Form.Item name="cc" label={t('Cc')} rules={[{ validator: addresses }]}>
              <RecipientsInput label={t('Cc')} />
            </Form.Item>
            <Form.Item name="bcc" label={t('Bcc')} rules={[{ validator: addresses }]}>
              <RecipientsInput label={t('Bcc')} />
            </Form.Item>
          </>
        )}
        {draft?.perRecipient && (to?.length ?? 0) > 1 && (
          <Alert type="info" showIcon data-testid="composer-per-recipient" style={{ margin: '8px 0' }} message={t('Each of the {{count}} recipients gets a separate message.', { count: to?.length })} />
        )}
        <Form.Item name="subject" label={t('Subject')}>
          <Input aria-label={t('Subject')} variant="borderless" />
        </Form.Item>
        <Form.Item name="body" noStyle>
          <Input.TextArea aria-label={t('Message')} autoSize={{ minRows: 14, maxRows: 30 }} className="em-compose-body" />
        </Form.Item>
      </Form>
      {draft && draft.attachments.length > 0 && (
        <div className="em-attachments" data-testid="composer-attachments">
          <Typography.Text type="secondary" className="em-attachments-title">
            <PaperClipOutlined /> {t('Included from the original message')}
          </Typography.Text>
          <Space wrap size={8}>
            {draft.attachments.map(({ attachment }) => (
              <Tag key={attachment.remoteId} icon={<FileOutlined />} className="em-attachment-tag">
                {attachment.filename} · {fileSize(attachment.size, language)}
              </Tag>
            ))}
          </Space>
        </div>
      )}
    </Drawer>
  );
}
