import { PACKAGE_NAME } from '../../shared/constants';
import {
  OAUTH_CALLBACK_PATH,
  type AuthorizeRequest,
  type AuthorizeResponse,
  type MailAccountDTO,
  type ProviderName,
} from '../../shared/types';
import { goToExternal } from '../browser';
import { useAPIClient, useApp } from '../host';
import { MailApiError } from './errors';
import { useMutation } from './hooks';
import { callAction } from './request';

/** `<origin><public path>admin/settings/mail/oauth2`, the redirect URI admins register. */
export function redirectUriFor(origin: string, publicPath: string | undefined) {
  const path = `/${publicPath ?? ''}/`.replace(/\/{2,}/g, '/');
  return `${origin}${path}${OAUTH_CALLBACK_PATH}`;
}

export function useRedirectUri() {
  const app = useApp();
  return redirectUriFor(window.location.origin, app.getPublicPath?.());
}

export interface PendingLink {
  provider: ProviderName;
  accountId?: MailAccountDTO['id'];
  /** The start date chosen for a new account (AuthorizeRequest.syncFrom). */
  syncFrom?: string;
}

// The attempt in progress survives the trip to the provider in this tab's sessionStorage,
// so that the callback page can offer "Try again" for the same provider (and account).
const PENDING_KEY = `${PACKAGE_NAME}:pending-link`;

export function rememberPendingLink(link: PendingLink) {
  try {
    sessionStorage.setItem(PENDING_KEY, JSON.stringify(link));
  } catch {
    // storage disabled: "Try again" then falls back to the accounts page
  }
}

export function readPendingLink(): PendingLink | undefined {
  try {
    const link = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null');
    return link && typeof link.provider === 'string' ? link : undefined;
  } catch {
    return undefined;
  }
}

export function forgetPendingLink() {
  try {
    sessionStorage.removeItem(PENDING_KEY);
  } catch {
    // nothing to forget
  }
}

/**
 * `mailAccounts:authorize`, then off to the provider's consent page. With `accountId` it
 * reconnects that account instead of linking a new one.
 */
export function useLinkAccount() {
  const api = useAPIClient();
  const redirectUri = useRedirectUri();
  return useMutation(async (provider: ProviderName, accountId?: MailAccountDTO['id'], syncFrom?: string) => {
    const request: AuthorizeRequest = { provider, redirectUri };
    if (accountId !== undefined) request.accountId = accountId;
    if (syncFrom !== undefined) request.syncFrom = syncFrom;
    const answer = await callAction<AuthorizeResponse>(api, 'mailAccounts:authorize', { method: 'post', data: request });
    if (!answer?.url) throw new MailApiError('The server answered without a consent page address');
    rememberPendingLink({ provider, accountId, syncFrom });
    goToExternal(answer.url);
  });
}
