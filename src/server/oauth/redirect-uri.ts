// The redirect URI the client sends must be this app's OAuth landing page: an http(s) URL whose
// path ends with /admin/settings/mail/oauth2 (the address admins register at the provider).
// Anything else could send the provider's code to another page.
import { LINK_ERRORS, OAUTH_CALLBACK_PATH } from '../../shared/types';
import { linkError } from '../errors';

export function checkRedirectUri(value: unknown): string {
  const fail = (why: string) => linkError(LINK_ERRORS.INVALID_REDIRECT_URI, `redirectUri ${why}`);
  if (typeof value !== 'string' || !value.trim()) throw fail('is required');
  if (value.length > 2048) throw fail('is too long');
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw fail('must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail('must be an http(s) URL');
  if (url.username || url.password) throw fail('must not carry credentials');
  if (url.search || url.hash) throw fail('must not have a query string or a fragment');
  if (!url.pathname.endsWith(`/${OAUTH_CALLBACK_PATH}`)) throw fail(`must end with /${OAUTH_CALLBACK_PATH}`);
  return url.toString();
}
