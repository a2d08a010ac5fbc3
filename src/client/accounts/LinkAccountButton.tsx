import { DownOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import React from 'react';
import type { LinkableProviderDTO, ProviderName } from '../../shared/types';
import { useLinkAccount, type MailApiError } from '../api';
import { useMessage } from '../feedback';
import { useT } from '../i18n';
import { ProviderIcon, providerLabel } from '../mail-provider';
import { useLinkErrorText } from '../oauth/linkErrorText';

/** "Link account": pick a provider, then the browser goes to its consent page. */
export function LinkAccountButton({ providers, primary }: { providers: LinkableProviderDTO[]; primary?: boolean }) {
  const t = useT();
  const message = useMessage();
  const errorText = useLinkErrorText();
  const link = useLinkAccount();

  const start = (provider: ProviderName) =>
    link.run(provider).catch((error: MailApiError) => message.error(errorText(error).text));

  return (
    <Dropdown
      trigger={['click']}
      disabled={link.loading}
      menu={{
        items: providers.map(({ name }) => ({ key: name, icon: <ProviderIcon name={name} />, label: providerLabel(name) })),
        onClick: ({ key }) => start(key as ProviderName),
      }}
    >
      <Button type={primary ? 'primary' : 'default'} icon={<PlusOutlined />} loading={link.loading}>
        {t('Link account')} <DownOutlined />
      </Button>
    </Dropdown>
  );
}
