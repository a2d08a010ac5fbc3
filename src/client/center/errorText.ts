import { MAIL_ERRORS } from '../../shared/mail';
import type { MailApiError } from '../api';
import { useT } from '../i18n';

/** A failed mail request in the user's words: a translation per MAIL_ERRORS code, else the server's message. */
export function useMailErrorText() {
  const t = useT();
  return (error: MailApiError | undefined) => {
    switch (error?.code) {
      case MAIL_ERRORS.NOT_FOUND:
        return t('This mail is no longer there, or it is not yours to see.');
      case MAIL_ERRORS.REAUTH_REQUIRED:
        return t('The account must be reconnected first (Account settings → Reconnect).');
      case MAIL_ERRORS.PROVIDER_UNAVAILABLE:
        return t('Gmail or Outlook could not be reached. Try again in a moment.');
      case MAIL_ERRORS.PROVIDER_REJECTED:
        return t('Gmail or Outlook refused the request: the message or file may be gone there.');
      default:
        return error?.message ?? '';
    }
  };
}
