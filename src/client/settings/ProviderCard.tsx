import { Card, Tag } from 'antd';
import React, { useState } from 'react';
import type { MailProviderDTO } from '../../shared/types';
import { useT } from '../i18n';
import { ProviderTitle } from '../mail-provider';
import { ProviderForm } from './ProviderForm';
import { SetupHints } from './SetupHints';

/** One provider: its state at a glance, the setup steps and the form. */
export function ProviderCard({ provider, onSaved }: { provider: MailProviderDTO; onSaved: (saved: MailProviderDTO) => void }) {
  const t = useT();
  // A new revision after each save starts the form afresh from what the server stored.
  const [revision, setRevision] = useState(0);

  return (
    <Card
      type="inner"
      data-testid={`provider-${provider.name}`}
      title={<ProviderTitle name={provider.name} />}
      extra={provider.enabled ? <Tag color="success">{t('On')}</Tag> : <Tag>{t('Off')}</Tag>}
      style={{ marginBottom: 24 }}
    >
      <SetupHints provider={provider.name} open={!provider.clientId} />
      <ProviderForm
        key={revision}
        provider={provider}
        onSaved={(saved) => {
          onSaved(saved);
          setRevision((r) => r + 1);
        }}
      />
    </Card>
  );
}
