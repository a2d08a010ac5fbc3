import { SettingOutlined } from '@ant-design/icons';
import { Button, Empty, Typography } from 'antd';
import React from 'react';
import type { LinkableProviderDTO } from '../../shared/types';
import { useT } from '../i18n';
import { EMAIL_SETTINGS_ROUTE, useCanOpenEmailSettings, useGoTo } from '../navigation';
import { LinkAccountButton } from './LinkAccountButton';

/** Nothing can be linked yet: an administrator has to set up a provider first. */
export function NoProviderNotice() {
  const t = useT();
  const canConfigure = useCanOpenEmailSettings();
  const goTo = useGoTo();
  return (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <>
          <Typography.Text strong>{t('Mail accounts cannot be linked yet')}</Typography.Text>
          <br />
          <Typography.Text type="secondary">
            {t('An administrator must set up Gmail or Outlook in Settings → Email settings first.')}
          </Typography.Text>
        </>
      }
    >
      {canConfigure && (
        <Button type="primary" icon={<SettingOutlined />} onClick={() => goTo(EMAIL_SETTINGS_ROUTE)}>
          {t('Open Email settings')}
        </Button>
      )}
    </Empty>
  );
}

/** Providers are ready but the user has not linked a mailbox. */
export function NoAccountNotice({ providers }: { providers: LinkableProviderDTO[] }) {
  const t = useT();
  return (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <>
          <Typography.Text strong>{t('You have not linked a mailbox yet')}</Typography.Text>
          <br />
          <Typography.Text type="secondary">
            {t('Link your Gmail or Outlook account to read and send your mail in NocoBase.')}
          </Typography.Text>
        </>
      }
    >
      <LinkAccountButton providers={providers} primary />
    </Empty>
  );
}
