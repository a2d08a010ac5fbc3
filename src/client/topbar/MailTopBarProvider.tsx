import { MailOutlined } from '@ant-design/icons';
import { Badge, Button, Tooltip } from 'antd';
import React from 'react';
import { PinnedPluginListProvider } from '../host';
import { useT } from '../i18n';
import { EMAIL_CENTER_ROUTE, useGoTo } from '../navigation';
import { useUnread } from './useUnread';

/** The mail icon in the top bar, with the user's unread conversations as a badge. */
export function MailTopBarButton() {
  const t = useT();
  const goTo = useGoTo();
  const unread = useUnread();
  const count = unread?.total ?? 0;
  const label = count ? t('Email ({{count}} unread)', { count }) : t('Email');
  return (
    <Tooltip title={label}>
      <Button aria-label={t('Email')} data-unread={count} onClick={() => goTo(EMAIL_CENTER_ROUTE)} icon={
        <Badge count={count} size="small" overflowCount={99} offset={[4, -4]} data-testid="mail-unread-badge">
          <MailOutlined style={{ color: 'inherit' }} />
        </Badge>
      } />
    </Tooltip>
  );
}

// Next to the in-app messages bell (order 301); '*' shows it to every signed-in user.
const ITEMS = { emailManager: { order: 302, component: MailTopBarButton, pin: true, snippet: '*' } };

/** Adds the mail icon to the host's pinned top-bar list. */
export function MailTopBarProvider({ children }: { children?: React.ReactNode }) {
  return <PinnedPluginListProvider items={ITEMS}>{children}</PinnedPluginListProvider>;
}
