import { Collapse, Typography } from 'antd';
import React from 'react';
import type { ProviderName } from '../../shared/types';
import { useT } from '../i18n';

interface Step {
  text: string;
  link?: { href: string; label: string };
}

function useSteps(provider: ProviderName): Step[] {
  const t = useT();
  if (provider === 'google') {
    return [
      {
        text: t('In Google Cloud Console, select or create a project and enable the Gmail API.'),
        link: { href: 'https://console.cloud.google.com/apis/library/gmail.googleapis.com', label: t('Open the Gmail API page') },
      },
      {
        text: t('Set up the OAuth consent screen. While the app is in testing, add the people who will link their mailboxes as test users.'),
        link: { href: 'https://console.cloud.google.com/apis/credentials/consent', label: t('Open the OAuth consent screen') },
      },
      {
        text: t('Under APIs & Services → Credentials, create an OAuth client ID of the type "Web application" and add the redirect URI above as an authorised redirect URI.'),
        link: { href: 'https://console.cloud.google.com/apis/credentials', label: t('Open Credentials') },
      },
      { text: t('Copy the client ID and client secret into the fields below.') },
    ];
  }
  return [
    {
      text: t('In the Microsoft Entra admin center, open App registrations and create a new registration.'),
      link: {
        href: 'https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade',
        label: t('Open App registrations'),
      },
    },
    { text: t('Choose which accounts may sign in (it must match the tenant below) and add the redirect URI above under the Web platform.') },
    { text: t('Under Certificates & secrets, create a client secret and copy its Value, not its Secret ID.') },
    { text: t('Under API permissions, add the Microsoft Graph delegated permissions Mail.ReadWrite, Mail.Send, offline_access and User.Read.') },
    { text: t('Copy the Application (client) ID from the Overview page into Client ID below.') },
  ];
}

/** Where to get the credentials, step by step; open until the provider has a client ID. */
export function SetupHints({ provider, open }: { provider: ProviderName; open: boolean }) {
  const t = useT();
  const steps = useSteps(provider);
  return (
    <Collapse
      ghost
      size="small"
      defaultActiveKey={open ? ['steps'] : []}
      items={[
        {
          key: 'steps',
          label: t('How to get a client ID and secret'),
          children: (
            <ol style={{ paddingInlineStart: 20, margin: 0 }}>
              {steps.map((step) => (
                <li key={step.text} style={{ marginBottom: 4 }}>
                  <Typography.Text>{step.text}</Typography.Text>{' '}
                  {step.link && (
                    <Typography.Link href={step.link.href} target="_blank" rel="noopener noreferrer">
                      {step.link.label}
                    </Typography.Link>
                  )}
                </li>
              ))}
            </ol>
          ),
        },
      ]}
    />
  );
}
