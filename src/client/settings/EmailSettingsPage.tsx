import { Card, Empty, Typography } from 'antd';
import React from 'react';
import { useT } from '../i18n';

/**
 * Settings → "Email settings". Provider cards (Google, Microsoft) arrive with account
 * linking; until then the page says plainly that nothing is configured yet.
 */
export function EmailSettingsPage() {
  const t = useT();
  return (
    <Card data-testid="email-settings" title={t('Mail providers')}>
      <Typography.Paragraph type="secondary">
        {t('Connect Gmail and Outlook so that people can link their mailboxes to NocoBase.')}
      </Typography.Paragraph>
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={
          <>
            <Typography.Text strong>{t('No mail provider is configured yet')}</Typography.Text>
            <br />
            <Typography.Text type="secondary">
              {t('Google (Gmail) and Microsoft (Outlook) credentials will be entered here.')}
            </Typography.Text>
          </>
        }
      />
    </Card>
  );
}
