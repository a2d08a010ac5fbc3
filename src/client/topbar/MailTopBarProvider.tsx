import { MailOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import React from 'react';
import { PinnedPluginListProvider } from '../host';
import { useT } from '../i18n';
import { EMAIL_CENTER_ROUTE, useGoTo } from '../navigation';

/** The mail icon in the top bar; the unread badge arrives with the mailbox. */
export function MailTopBarButton() {
  const t = useT();
  const goTo = useGoTo();
  return (
    <Tooltip title={t('Email')}>
      <Button aria-label={t('Email')} icon={<MailOutlined />} onClick={() => goTo(EMAIL_CENTER_ROUTE)} />
    </Tooltip>
  );
}

// Next to the in-app messages bell (order 301); '*' shows it to every signed-in user.
const ITEMS = { emailManager: { order: 302, component: MailTopBarButton, pin: true, snippet: '*' } };

/** Adds the mail icon to the host's pinned top-bar list. */
export function MailTopBarProvider({ children }: { children?: React.ReactNode }) {
  return <PinnedPluginListProvider items={ITEMS}>{children}</PinnedPluginListProvider>;
}
