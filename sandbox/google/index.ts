// The Google half of the sandbox: accounts.google.com / oauth2.googleapis.com (OAuth 2.0 and
// OpenID Connect) and gmail.googleapis.com (Gmail API v1 and its batch endpoint), all under
// one root URL. Point the client libraries at it with OAuth2Client({ endpoints }) and
// gmail({ rootUrl }); see README.md in this folder.
import type { Router, SandboxState } from '../core/types';
import { mountBatch } from './batch';
import { mountDrafts } from './gmail-drafts';
import { mountHistory } from './gmail-history';
import { mountLabels } from './gmail-labels';
import { mountMessages } from './gmail-messages';
import { mountProfile } from './gmail-profile';
import { mountThreads } from './gmail-threads';
import { mountUpload } from './gmail-upload';
import { createIdTokenSigner } from './id-token';
import { mountAuthorize } from './oauth-authorize';
import type { OAuthShared } from './oauth-shared';
import { mountToken } from './oauth-token';

export { googleErrorBody } from './errors';
export { GMAIL_COSTS, UNITS_PER_MINUTE, CONCURRENT_PER_USER } from './quota';
export { UPLOAD_LIMIT } from './gmail-upload';

/** The endpoint set to give google-auth-library's OAuth2Client for a sandbox at `baseUrl`. */
export function googleEndpoints(baseUrl: string) {
  return {
    oauth2AuthBaseUrl: `${baseUrl}/o/oauth2/v2/auth`,
    oauth2TokenUrl: `${baseUrl}/token`,
    oauth2RevokeUrl: `${baseUrl}/revoke`,
    tokenInfoUrl: `${baseUrl}/tokeninfo`,
    oauth2FederatedSignonPemCertsUrl: `${baseUrl}/oauth2/v1/certs`,
    oauth2FederatedSignonJwkCertsUrl: `${baseUrl}/oauth2/v3/certs`,
  };
}

export function mountGoogle(router: Router, state: SandboxState, options: { baseUrl: string }): void {
  const shared: OAuthShared = { offlineCodes: new Map(), refreshClients: new Map(), accessExpiry: new Map(), signer: createIdTokenSigner() };
  mountAuthorize(router, state, shared);
  mountToken(router, state, shared, options.baseUrl);
  mountProfile(router, state);
  mountLabels(router, state);
  mountMessages(router, state);
  mountThreads(router, state);
  mountHistory(router, state);
  mountDrafts(router, state);
  mountUpload(router, state);
  mountBatch(router, state);
}
