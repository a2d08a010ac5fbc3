import { useCallback } from 'react';
import { LINK_ERRORS } from '../../shared/types';
import type { MailApiError } from '../api';
import { useT } from '../i18n';

export interface LinkErrorText {
  /** What happened and what to do, in plain words. */
  text: string;
  /** Whether starting the link again can help (otherwise an administrator must act). */
  retry: boolean;
}

/** Plain words for each LINK_ERRORS code; other failures show the server's own message. */
export function useLinkErrorText() {
  const t = useT();
  return useCallback(
    (error: MailApiError): LinkErrorText => {
      switch (error.code) {
        case LINK_ERRORS.STATE_MISSING:
          return { retry: true, text: t('The answer from the provider did not say which linking attempt it belongs to. Please start again.') };
        case LINK_ERRORS.STATE_INVALID:
          return { retry: true, text: t('This sign-in link is not valid or has already been used. Please start again.') };
        case LINK_ERRORS.STATE_EXPIRED:
          return { retry: true, text: t('The sign-in took longer than 10 minutes and has expired. Please try again.') };
        case LINK_ERRORS.STATE_OTHER_USER:
          return { retry: true, text: t('This sign-in was started by another NocoBase user. Link the account while signed in as yourself.') };
        case LINK_ERRORS.CONSENT_DENIED:
          return { retry: true, text: t('Access was not granted, so the account was not linked. To link it, try again and accept the requested permissions.') };
        case LINK_ERRORS.PROVIDER_DISABLED:
          return { retry: false, text: t('An administrator has switched this mail provider off.') };
        case LINK_ERRORS.PROVIDER_MISCONFIGURED:
          return { retry: false, text: t('This mail provider is not set up correctly. Ask an administrator to check the client ID, client secret and redirect URI in Settings → Email settings.') };
        case LINK_ERRORS.CODE_REJECTED:
          return { retry: true, text: t('The provider did not accept the sign-in. This happens when the page was reloaded or the sign-in took too long. Please try again.') };
        case LINK_ERRORS.ADDRESS_MISMATCH:
          return { retry: true, text: t('You signed in with a different mailbox than the one you are reconnecting. Try again and choose the same mailbox.') };
        case LINK_ERRORS.NETWORK:
          return { retry: true, text: t('The NocoBase server could not reach the mail provider. Please try again in a moment.') };
        case LINK_ERRORS.ACCOUNT_NOT_FOUND:
          return { retry: false, text: t('The mail account to reconnect no longer exists. Link it again as a new account.') };
        case LINK_ERRORS.INVALID_REDIRECT_URI:
          return { retry: false, text: t('The redirect URI does not belong to this NocoBase. Ask an administrator to check the address NocoBase is reached at.') };
        case LINK_ERRORS.INVALID_SYNC_FROM:
          return { retry: true, text: t('The start date for syncing is not valid. Choose a date in the past, or everything.') };
        default:
          return { retry: true, text: t('Linking the account failed: {{message}}', { message: error.message }) };
      }
    },
    [t],
  );
}
