import { Alert, Button, Card, Form, InputNumber, Skeleton, Space, Typography } from 'antd';
import React, { useEffect, useState } from 'react';
import { useMailSettings, useSaveMailSettings, type MailApiError } from '../api';
import { useMessage } from '../feedback';
import { useT } from '../i18n';

const MIN = 1;
const MAX = 1440;

/** How often every linked mailbox is checked for new mail (mailSettings.syncIntervalMinutes). */
export function SyncIntervalCard() {
  const t = useT();
  const message = useMessage();
  const settings = useMailSettings();
  const save = useSaveMailSettings();
  const [minutes, setMinutes] = useState<number | null>(null);
  const stored = settings.data?.syncIntervalMinutes;
  useEffect(() => setMinutes(stored ?? null), [stored]);

  const submit = () =>
    minutes !== null &&
    save.run({ syncIntervalMinutes: minutes }).then(
      () => {
        message.success(t('Sync settings saved'));
        settings.refresh();
      },
      (error: MailApiError) => message.error(t('The sync settings could not be saved: {{message}}', { message: error.message })),
    );

  let body: React.ReactNode;
  if (!settings.data && settings.error) {
    body = <Alert type="error" showIcon message={t('The sync settings could not be loaded')} description={settings.error.message} action={<Button onClick={settings.refresh}>{t('Retry')}</Button>} />;
  } else if (!settings.data) {
    body = <Skeleton active paragraph={{ rows: 1 }} />;
  } else {
    body = (
      <Form layout="vertical" onFinish={submit}>
        <Form.Item label={t('Check every mailbox for new mail every')} extra={t('From 1 to 1440 minutes. Users can also sync an account at once with "Sync now".')}>
          <Space>
            <InputNumber aria-label={t('Minutes between syncs')} min={MIN} max={MAX} precision={0} value={minutes} onChange={(value) => setMinutes(value)} addonAfter={t('minutes')} />
            <Button type="primary" htmlType="submit" loading={save.loading} disabled={minutes === null || minutes === stored}>
              {t('Save')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
    );
  }
  return (
    <Card type="inner" data-testid="sync-settings" title={t('Sync')} style={{ marginBottom: 24 }}>
      <Typography.Paragraph type="secondary">{t('NocoBase keeps every linked mailbox up to date in the background.')}</Typography.Paragraph>
      {body}
    </Card>
  );
}
