// Gmail: Google OAuth 2.0 through google-auth-library's OAuth2Client, and the Gmail API through
// @googleapis/gmail. Endpoint overrides (national/corporate proxies, the sandbox) come from the
// provider options; nothing here knows NocoBase.
import { gmail } from '@googleapis/gmail';
import { CodeChallengeMethod, OAuth2Client, type Credentials, type OAuth2ClientOptions } from 'google-auth-library';
import { ProviderFault } from '../errors';
import type { AuthorizeUrlInput, ExchangeCodeInput, MailProfile, MailProvider, ProviderConfig, TokenSet } from '../types';
import { classifyGoogleError, describeGoogleError } from './errors';
import type { ParseBatch } from './batch-parse';
import { GmailCalls } from './calls';
import { GmailMail } from './mail';
import { GmailSend } from './send';
import { sharedGmailPacing, type GmailPacing } from './pacing';
import { GmailSync, type GmailSyncTuning } from './sync';

/**
 * gmail.modify reads, labels, trashes and drafts; gmail.send sends. Neither allows permanent
 * deletion, which the plugin never does. openid/email/profile give the display name.
 */
export const GMAIL_SCOPES = [
  'https://www.googleapis.com/auth/gmail.modify',
  'https://www.googleapis.com/auth/gmail.send',
  'openid',
  'email',
  'profile',
];

const DEFAULT_API_ROOT = 'https://gmail.googleapis.com/';

/** The name claim of an ID token that came straight from the token endpoint over TLS. */
function nameFromIdToken(idToken: string | null | undefined): string | undefined {
  // OpenID Connect Core 3.1.3.7: a token received directly from the token endpoint may be
  // trusted on the strength of TLS, so decoding (without verifying) is enough for a label.
  const payload = idToken?.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { name?: unknown };
    return typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : undefined;
  } catch {
    return undefined;
  }
}

function tokenSet(credentials: Credentials, previous?: TokenSet): TokenSet {
  const accessToken = credentials.access_token;
  const refreshToken = credentials.refresh_token || previous?.refreshToken;
  if (!accessToken) throw new ProviderFault('Google answered without an access token', 'rejected');
  if (!refreshToken) {
    // Without access_type=offline + prompt=consent Google withholds it; we always ask for both.
    throw new ProviderFault('Google answered without a refresh token', 'rejected');
  }
  return {
    accessToken,
    refreshToken,
    expiresAt: credentials.expiry_date ?? Date.now() + 3600_000,
    scope: credentials.scope ?? previous?.scope,
  };
}

/** What tests (and a future multi-process pacer) may swap; the registry passes none. */
export interface GmailProviderDeps {
  /** Defaults to the process-wide pacer, so every provider instance shares one budget per mailbox. */
  pacing?: GmailPacing;
  tuning?: Partial<GmailSyncTuning>;
  /** Who reads the sync's batch answers: the plugin's MIME workers, when it has them. */
  parseBatch?: ParseBatch;
}

export class GmailProvider implements MailProvider {
  readonly name = 'google' as const;
  readonly sync: GmailSync;
  readonly mail: GmailMail;
  readonly send: GmailSend;

  constructor(
    private readonly config: ProviderConfig,
    private readonly deps: GmailProviderDeps = {},
  ) {
    this.sync = new GmailSync({
      api: (accessToken) => this.apiFor(accessToken),
      apiRoot: this.apiRoot(),
      pacing: deps.pacing,
      tuning: deps.tuning,
      parseBatch: deps.parseBatch,
    });
    // Same pacer as the sync: a reader's clicks and the sync share the mailbox's quota.
    const calls = new GmailCalls((accessToken) => this.apiFor(accessToken), this.apiRoot(), deps.pacing ?? sharedGmailPacing);
    this.mail = new GmailMail(calls);
    this.send = new GmailSend(calls);
  }

  /** The same provider with some dependencies swapped (the sync engine's pacer, from the plugin options). */
  withDeps(deps: GmailProviderDeps): GmailProvider {
    return new GmailProvider(this.config, { ...this.deps, ...deps });
  }

  private client(redirectUri?: string) {
    const { authorizeUrl, tokenUrl } = this.config.options;
    const endpoints: OAuth2ClientOptions['endpoints'] = {};
    if (authorizeUrl) endpoints.oauth2AuthBaseUrl = authorizeUrl;
    if (tokenUrl) {
      endpoints.oauth2TokenUrl = tokenUrl;
      // Google serves revocation next to the token endpoint (oauth2.googleapis.com/{token,revoke}).
      endpoints.oauth2RevokeUrl = tokenUrl.replace(/\/token\/?$/, '/revoke');
    }
    return new OAuth2Client({ clientId: this.config.clientId, clientSecret: this.config.clientSecret, redirectUri, endpoints });
  }

  private apiRoot(): string {
    const root = this.config.options.apiBaseUrl || DEFAULT_API_ROOT;
    return root.endsWith('/') ? root : `${root}/`;
  }

  private api(auth: OAuth2Client) {
    // googleapis-common bundles its own google-auth-library typings; the client object is the same.
    return gmail({ version: 'v1', auth: auth as never, rootUrl: this.apiRoot() });
  }

  /**
   * The Gmail client for sync calls: the access token alone. Without a refresh token the library
   * never refreshes behind the engine's back; a 401 reaches the engine, which refreshes once.
   */
  private apiFor(accessToken: string) {
    const client = this.client();
    client.setCredentials({ access_token: accessToken });
    return this.api(client);
  }

  async authorizeUrl({ state, codeChallenge, redirectUri, loginHint }: AuthorizeUrlInput): Promise<string> {
    return this.client(redirectUri).generateAuthUrl({
      access_type: 'offline',
      prompt: 'consent',
      scope: GMAIL_SCOPES,
      state,
      code_challenge: codeChallenge,
      code_challenge_method: CodeChallengeMethod.S256,
      login_hint: loginHint,
    });
  }

  async exchangeCode({ code, codeVerifier, redirectUri }: ExchangeCodeInput): Promise<{ tokens: TokenSet; profile: MailProfile }> {
    const client = this.client(redirectUri);
    const { tokens: credentials } = await client.getToken({ code, codeVerifier, redirect_uri: redirectUri });
    const tokens = tokenSet(credentials);
    client.setCredentials(credentials);
    const { data } = await this.api(client).users.getProfile({ userId: 'me' });
    if (!data.emailAddress) throw new ProviderFault('Gmail answered a profile without an address', 'rejected');
    return { tokens, profile: { address: data.emailAddress, displayName: nameFromIdToken(credentials.id_token) } };
  }

  async refresh(tokens: TokenSet): Promise<TokenSet> {
    const client = this.client();
    client.setCredentials({ refresh_token: tokens.refreshToken });
    const { credentials } = await client.refreshAccessToken();
    return tokenSet(credentials, tokens);
  }

  async revoke(tokens: TokenSet): Promise<void> {
    // Revoking the refresh token ends the whole grant (and its access tokens) at Google.
    await this.client().revokeToken(tokens.refreshToken || tokens.accessToken);
  }

  classifyError(err: unknown) {
    return classifyGoogleError(err);
  }

  describeError(err: unknown) {
    return describeGoogleError(err);
  }
}
