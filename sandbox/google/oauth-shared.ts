// What the authorization and token endpoints share beyond the TokenStore contract.
import type { IdTokenSigner } from './id-token';

export interface OAuthShared {
  /** Code → whether it was asked with access_type=offline (refresh token disclosed only then). */
  offlineCodes: Map<string, boolean>;
  /** Refresh token → client it was issued to, to tell unauthorized_client from invalid_grant. */
  refreshClients: Map<string, string>;
  /** Access token → expiry (epoch ms), for tokeninfo's expires_in. */
  accessExpiry: Map<string, number>;
  signer: IdTokenSigner;
}

/** Google widens the short OpenID scope names in what it grants and reports. */
const SHORT_SCOPES: Record<string, string> = {
  email: 'https://www.googleapis.com/auth/userinfo.email',
  profile: 'https://www.googleapis.com/auth/userinfo.profile',
};

export function normalizeScopes(scope: string): string[] {
  return [...new Set(scope.split(/[\s,]+/).filter(Boolean).map((s) => SHORT_SCOPES[s] ?? s))];
}

export const hasScope = (scopes: string[], short: 'email' | 'profile' | 'openid') =>
  scopes.includes(short) || (short !== 'openid' && scopes.includes(SHORT_SCOPES[short]));

/** Injected faults on the OAuth endpoints answer in the OAuth error shape. */
export function oauthFaultBody(status: number, message: string) {
  return { error: status >= 500 ? 'internal_failure' : status === 429 ? 'rate_limit_exceeded' : 'invalid_request', error_description: message };
}
