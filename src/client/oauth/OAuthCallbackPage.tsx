import { Button, Result, Spin, Typography } from 'antd';
import React, { useEffect, useRef, useState } from 'react';
import {
  forgetPendingLink,
  type MailApiError,
  readCallbackQuery,
  readPendingLink,
  useLinkAccount,
  useOAuthCallback,
} from '../api';
import type { CallbackResponse } from '../../shared/types';
import { useMessage } from '../feedback';
import { useT } from '../i18n';
import { EMAIL_CENTER_ROUTE, useGoTo } from '../navigation';
import { useLinkErrorText } from './linkErrorText';

/** Announces the linked account and moves on to the accounts page (once per result). */
function useFinishLinking(result: CallbackResponse | undefined) {
  const t = useT();
  const message = useMessage();
  const goTo = useGoTo();
  const done = useRef<CallbackResponse>();
  useEffect(() => {
    if (!result || done.current === result) return;
    done.current = result;
    forgetPendingLink();
    const address = result.account?.address ?? '';
    message.success(result.created === false ? t('Reconnected {{address}}', { address }) : t('Linked {{address}}', { address }));
    goTo(EMAIL_CENTER_ROUTE, { replace: true });
  }, [result, t, message, goTo]);
}

function LinkFailed({ error }: { error: MailApiError }) {
  const t = useT();
  const goTo = useGoTo();
  const message = useMessage();
  const errorText = useLinkErrorText();
  const link = useLinkAccount();
  const { text, retry } = errorText(error);

  const tryAgain = () => {
    const pending = readPendingLink();
    if (!pending) return goTo(EMAIL_CENTER_ROUTE);
    link.run(pending.provider, pending.accountId, pending.syncFrom).catch((failed: MailApiError) => message.error(errorText(failed).text));
  };

  return (
    <Result
      status="error"
      title={t('The mail account was not linked')}
      subTitle={text}
      extra={[
        <Button key="back" onClick={() => goTo(EMAIL_CENTER_ROUTE)}>
          {t('Back to mail accounts')}
        </Button>,
        retry && (
          <Button key="retry" type="primary" loading={link.loading} onClick={tryAgain}>
            {t('Try again')}
          </Button>
        ),
      ]}
    >
      {error.code && (
        <Typography.Text type="secondary" data-testid="link-error-details">
          {error.code}: {error.message}
        </Typography.Text>
      )}
    </Result>
  );
}

/**
 * /admin/settings/mail/oauth2, where Google and Microsoft send the browser back. Hands
 * their answer to `mailAccounts:callback` exactly once, then goes on to the accounts page
 * or explains what went wrong.
 */
export function OAuthCallbackPage() {
  const t = useT();
  // Read once: the query string is the provider's answer, and later navigation must not re-send it.
  const [request] = useState(() => readCallbackQuery(window.location.search));
  const outcome = useOAuthCallback(request);
  useFinishLinking(outcome.status === 'linked' ? outcome.result : undefined);

  return (
    <div style={{ padding: 24 }} data-testid="mail-oauth-callback">
      {outcome.status === 'failed' ? (
        <LinkFailed error={outcome.error} />
      ) : (
        <Result icon={<Spin size="large" />} title={t('Finishing linking your mail account…')} />
      )}
    </div>
  );
}
