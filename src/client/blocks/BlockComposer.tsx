// The composer a "Send email" action opens, prefilled with the selected records' addresses.
// Each recipient will get a message of their own (issue 7 brings sending; until then Send is
// disabled). The Email center's Composer (src/client/center) can take this one's place.
import { SendOutlined } from '@ant-design/icons';
import { Alert, Button, Drawer, Form, Input, Select, Tooltip } from 'antd';
import React, { useEffect } from 'react';
import { useT } from '../i18n';
import { closeComposer, useComposerRequest } from './composer-store';

interface Draft {
  to: string[];
  subject: string;
  body: string;
}

export function BlockComposer({ to, open, onClose }: { to: string[]; open: boolean; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<Draft>();
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ to, subject: '', body: '' });
  }, [open, to, form]);

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={640}
      title={t('New email')}
      data-testid="mail-block-composer"
      extra={
        <Tooltip title={t('Sending is not available yet.')}>
          <Button type="primary" icon={<SendOutlined />} disabled>
            {t('Send')}
          </Button>
        </Tooltip>
      }
    >
      <Form form={form} layout="vertical">
        <Form.Item name="to" label={t('To')}>
          <Select mode="tags" aria-label={t('To')} open={false} tokenSeparators={[',', ';', ' ']} suffixIcon={null} />
        </Form.Item>
        {to.length > 1 ? <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('Each of the {{count}} recipients gets a separate message.', { count: to.length })} /> : null}
        <Form.Item name="subject" label={t('Subject')}>
          <Input aria-label={t('Subject')} />
        </Form.Item>
        <Form.Item name="body" label={t('Message')}>
          <Input.TextArea aria-label={t('Message')} rows={12} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

/** Mounted once around the app: shows the composer when an action asks for it. */
export function BlockComposerProvider({ children }: { children?: React.ReactNode }) {
  const request = useComposerRequest();
  return (
    <>
      {children}
      <BlockComposer open={!!request} to={request?.to ?? []} onClose={closeComposer} />
    </>
  );
}
