import { Collapse, Form, Input, Typography } from 'antd';
import React from 'react';
import type { ProviderName } from '../../shared/types';
import { useT } from '../i18n';

interface Endpoint {
  key: 'authorizeUrl' | 'tokenUrl' | 'apiBaseUrl';
  label: string;
  /** The public endpoint used when the field is empty. */
  placeholder: string;
  help?: string;
}

function useEndpoints(provider: ProviderName): Endpoint[] {
  const t = useT();
  if (provider === 'google') {
    return [
      { key: 'authorizeUrl', label: t('Authorization URL'), placeholder: 'https://accounts.google.com/o/oauth2/v2/auth' },
      { key: 'tokenUrl', label: t('Token URL'), placeholder: 'https://oauth2.googleapis.com/token' },
      { key: 'apiBaseUrl', label: t('Gmail API base URL'), placeholder: 'https://gmail.googleapis.com/' },
    ];
  }
  return [
    {
      key: 'authorizeUrl',
      label: t('Authority URL'),
      placeholder: 'https://login.microsoftonline.com',
      help: t('The sign-in host. The tenant is added to it, and the token URL is derived from it.'),
    },
    { key: 'apiBaseUrl', label: t('Microsoft Graph base URL'), placeholder: 'https://graph.microsoft.com' },
  ];
}

/** "Advanced": endpoint overrides, folded away because almost nobody needs them. */
export function EndpointFields({
  provider,
  open,
  onOpenChange,
}: {
  provider: ProviderName;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const t = useT();
  const endpoints = useEndpoints(provider);
  return (
    <Collapse
      size="small"
      activeKey={open ? ['advanced'] : []}
      onChange={(keys) => onOpenChange(([] as string[]).concat(keys).includes('advanced'))}
      style={{ marginBottom: 16 }}
      items={[
        {
          key: 'advanced',
          label: t('Advanced'),
          forceRender: true,
          children: (
            <>
              <Typography.Paragraph type="secondary">
                {t('Leave these empty to use the public endpoints. Change them only for a national cloud (such as Microsoft 365 operated by 21Vianet or US Government clouds), a corporate proxy, or the local sandbox.')}
              </Typography.Paragraph>
              {endpoints.map((endpoint) => (
                <Form.Item key={endpoint.key} name={['options', endpoint.key]} label={endpoint.label} extra={endpoint.help}>
                  <Input placeholder={endpoint.placeholder} allowClear />
                </Form.Item>
              ))}
            </>
          ),
        },
      ]}
    />
  );
}
