import { Alert, Button, Card, Skeleton, Typography } from 'antd';
import React, { useState } from 'react';
import type { MailProviderDTO, ProviderName } from '../../shared/types';
import { useProviderSettings } from '../api';
import { useT } from '../i18n';
import { ProviderCard } from './ProviderCard';
import { RedirectUriField } from './RedirectUriField';
import { AllMailRolesCard } from './AllMailRolesCard';
import { SyncIntervalCard } from './SyncIntervalCard';

function ProviderStateNotice({ providers }: { providers: MailProviderDTO[] }) {
  const t = useT();
  if (providers.some((p) => p.enabled)) return null;
  const configured = providers.some((p) => p.clientId);
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 24 }}
      message={configured ? t('No mail provider is switched on') : t('No mail provider is configured yet')}
      description={
        configured
          ? t('People cannot link their mailboxes until a provider is switched on.')
          : t('Enter the client ID and secret of Google or Microsoft below and switch it on. Then people can link their mailboxes.')
      }
    />
  );
}

/** Settings → "Email settings" (admins): the redirect URI and one card per provider. */
export function EmailSettingsPage() {
  const t = useT();
  const { providers: loaded, error, refresh } = useProviderSettings();
  // What each card saved since the list was loaded.
  const [saved, setSaved] = useState<Partial<Record<ProviderName, MailProviderDTO>>>({});
  const providers = loaded?.map((provider) => saved[provider.name] ?? provider);

  return (
    <Card data-testid="email-settings" title={t('Mail providers')}>
      <Typography.Paragraph type="secondary">
        {t('Connect Gmail and Outlook so that people can link their mailboxes to NocoBase.')}
      </Typography.Paragraph>
      {error && !providers ? (
        <Alert
          type="error"
          showIcon
          message={t('The provider settings could not be loaded')}
          description={error.message}
          action={<Button onClick={refresh}>{t('Retry')}</Button>}
        />
      ) : !providers ? (
        <Skeleton active />
      ) : (
        <>
          <ProviderStateNotice providers={providers} />
          <RedirectUriField />
          {providers.map((provider) => (
            <ProviderCard
              key={provider.name}
              provider={provider}
              onSaved={(next) => setSaved((current) => ({ ...current, [provider.name]: next }))}
            />
          ))}
          <SyncIntervalCard />
          <AllMailRolesCard />
        </>
      )}
    </Card>
  );
}
