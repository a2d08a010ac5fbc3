import { CopyOutlined } from '@ant-design/icons';
import { Button, Input, Space, Typography } from 'antd';
import React from 'react';
import { useRedirectUri } from '../api';
import { copyText } from '../browser';
import { useMessage } from '../feedback';
import { useT } from '../i18n';

/** The exact redirect URI to register at Google and Microsoft, with a copy button. */
export function RedirectUriField() {
  const t = useT();
  const uri = useRedirectUri();
  const message = useMessage();

  const copy = async () => {
    if (await copyText(uri)) message.success(t('Redirect URI copied'));
    else message.error(t('Could not copy. Select the address and copy it by hand.'));
  };

  return (
    <div style={{ marginBottom: 24 }}>
      <Typography.Title level={5}>{t('Redirect URI')}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('Register this exact address as the redirect URI at Google and Microsoft. It must match character for character, including http or https and the port.')}
      </Typography.Paragraph>
      <Space.Compact style={{ width: '100%' }}>
        <Input readOnly value={uri} aria-label={t('Redirect URI')} onFocus={(event) => event.target.select()} />
        <Button icon={<CopyOutlined />} onClick={copy}>
          {t('Copy')}
        </Button>
      </Space.Compact>
    </div>
  );
}
