import { DownOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import React, { useState } from 'react';
import type { LinkableProviderDTO, ProviderName } from '../../shared/types';
import { useLinkAccount, type MailApiError } from '../api';
import { useMessage } from '../feedback';
import { useT } from '../i18n';
import { ProviderIcon, providerLabel } from '../mail-provider';
import { useLinkErrorText } from '../oauth/linkErrorText';
import { SyncFromDialog } from './SyncFromDialog';

/** "Link account": pick a provider and how much mail to bring in, then off to its consent page. */
export function LinkAccountButton({ providers, primary }: { providers: LinkableProviderDTO[]; primary?: boolean }) {
  const t = useT();
  const message = useMessage();
  const errorText = useLinkErrorText();
  const link = useLinkAccount();
  const [picked, setPicked] = useState<ProviderName>();

  const start = (syncFrom: string) =>
    picked &&
    link.run(picked, undefined, syncFrom).catch((error: MailApiError) => {
      setPicked(undefined);
      message.error(errorText(error).text);
    });

  return (
    <>
      <Dropdown
        trigger={['click']}
        disabled={link.loading}
        menu={{
          items: providers.map(({ name }) => ({ key: name, icon: <ProviderIcon name={name} />, label: providerLabel(name) })),
          onClick: ({ key }) => setPicked(key as ProviderName),
        }}
      >
        <Button type={primary ? 'primary' : 'default'} icon={<PlusOutlined />} loading={link.loading}>
          {t('Link account')} <DownOutlined />
        </Button>
      </Dropdown>
      <SyncFromDialog provider={picked} loading={link.loading} onContinue={start} onCancel={() => setPicked(undefined)} />
    </>
  );
}
