// Outlook / Microsoft 365: Entra ID through @azure/msal-node (confidential client, PKCE) and the
// mailbox through @microsoft/microsoft-graph-client. Every call builds its own msal application
// with an empty cache, so no token of one account can ever be served to another.
import { ConfidentialClientApplication, LogLevel, ResponseMode } from '@azure/msal-node';
import { RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { ProviderFault } from '../errors';
import type { MailSync } from '../sync-types';
import type { AuthorizeUrlInput, ExchangeCodeInput, MailProfile, MailProvider, ProviderConfig, TokenSet } from '../types';
import { authorityOf } from './authority';
import { classifyMicrosoftError, describeMicrosoftError } from './errors';
import { graphClient, graphRoot } from './graph-client';
import { OutlookMail } from './mail';
import { OutlookSend } from './send';
import { ObservedNetwork } from './network';
import { OutlookSync } from './sync';

/** offline_access yields the refresh token; msal adds openid and profile on its own. */
export const OUTLOOK_SCOPES = ['offline_access', 'User.Read', 'Mail.ReadWrite', 'Mail.Send'];

/**
 * msal-node does not hand out refresh tokens (it keeps them for acquireTokenSilent); the
 * plugin stores its own, so it reads the one msal just put in its (fresh, private) cache.
 */
function refreshTokenIn(app: ConfidentialClientApplication): string | undefined {
  const cache = JSON.parse(app.getTokenCache().serialize()) as { RefreshToken?: Record<string, { secret?: string }> };
  return Object.values(cache.RefreshToken || {})[0]?.secret;
}

export class OutlookProvider implements MailProvider {
  readonly name = 'microsoft' as const;
  /** Mailbox reading: folders, delta per folder, message fetches (see sync.ts). */
  readonly sync: MailSync;
  /** Read state and attachments (see mail.ts). */
  readonly mail: OutlookMail;
  /** Sending: MIME through sendMail, or a draft with an upload session when too big (see send.ts). */
  readonly send: OutlookSend;

  constructor(private readonly config: ProviderConfig) {
    this.sync = new OutlookSync(config.options);
    this.mail = new OutlookMail(config.options);
    this.send = new OutlookSend(config.options);
  }

  private msal() {
    const network = new ObservedNetwork();
    const { authority, knownAuthorities } = authorityOf(this.config.options);
    const app = new ConfidentialClientApplication({
      auth: { clientId: this.config.clientId, clientSecret: this.config.clientSecret, authority, knownAuthorities },
      system: {
        networkClient: network,
        // msal's own log is off: its verbose lines name endpoints and accounts.
        loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined },
      },
    });
    return { app, network, authority };
  }

  /** Turns msal's "could not resolve endpoints" into what actually happened. */
  private async guard<T>(msal: ReturnType<OutlookProvider['msal']>, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof ProviderFault) throw err;
      if (msal.network.unreachable) throw new ProviderFault(`Microsoft could not be reached (${msal.network.unreachable})`, 'temporary');
      const code = (err as { errorCode?: string }).errorCode;
      if (code === 'endpoints_resolution_error' || code === 'openid_config_error') {
        const status = msal.network.lastStatus ? ` (HTTP ${msal.network.lastStatus})` : '';
        throw new ProviderFault(`Microsoft did not accept the authority ${msal.authority}${status}: check the tenant and the sign-in host`, 'config');
      }
      throw err;
    }
  }

  private graph(accessToken: string) {
    // The client attaches the bearer token only to Graph hosts it knows, or to the configured one.
    return graphClient(graphRoot(this.config.options), accessToken, true);
  }

  async authorizeUrl({ state, codeChallenge, redirectUri, loginHint }: AuthorizeUrlInput): Promise<string> {
    const msal = this.msal();
    return this.guard(msal, () =>
      msal.app.getAuthCodeUrl({
        scopes: OUTLOOK_SCOPES,
        redirectUri,
        state,
        codeChallenge,
        codeChallengeMethod: 'S256',
        loginHint,
        // Linking a new mailbox must not silently reuse the browser's current session; a
        // reconnect names its mailbox instead (msal drops login_hint under select_account).
        prompt: loginHint ? undefined : 'select_account',
        responseMode: ResponseMode.QUERY,
      }),
    );
  }

  async exchangeCode({ code, codeVerifier, redirectUri }: ExchangeCodeInput): Promise<{ tokens: TokenSet; profile: MailProfile }> {
    const msal = this.msal();
    const result = await this.guard(msal, () => msal.app.acquireTokenByCode({ code, scopes: OUTLOOK_SCOPES, redirectUri, codeVerifier }));
    const refreshToken = refreshTokenIn(msal.app);
    if (!result?.accessToken) throw new ProviderFault('Microsoft answered without an access token', 'rejected');
    if (!refreshToken) throw new ProviderFault('Microsoft answered without a refresh token (offline_access not granted)', 'rejected');
    const tokens: TokenSet = {
      accessToken: result.accessToken,
      refreshToken,
      expiresAt: result.expiresOn?.getTime() ?? Date.now() + 3600_000,
      scope: result.scopes?.join(' '),
    };
    const me = (await this.graph(tokens.accessToken)
      .api('/me')
      .select('mail,userPrincipalName,displayName')
      .middlewareOptions([new RetryHandlerOptions(1, 1)])
      .get()) as { mail?: string | null; userPrincipalName?: string; displayName?: string };
    // Personal accounts and some tenants leave `mail` empty; the sign-in name is the address then.
    const address = me.mail || me.userPrincipalName;
    if (!address) throw new ProviderFault('Microsoft Graph answered a profile without an address', 'rejected');
    return { tokens, profile: { address, displayName: me.displayName || undefined } };
  }

  async refresh(tokens: TokenSet): Promise<TokenSet> {
    const msal = this.msal();
    // forceCache: msal fills its cache only then, and the rotated refresh token is read from it.
    const result = await this.guard(msal, () => msal.app.acquireTokenByRefreshToken({ refreshToken: tokens.refreshToken, scopes: OUTLOOK_SCOPES, forceCache: true }));
    if (!result?.accessToken) throw new ProviderFault('Microsoft answered without an access token', 'rejected');
    return {
      accessToken: result.accessToken,
      refreshToken: refreshTokenIn(msal.app) || tokens.refreshToken,
      expiresAt: result.expiresOn?.getTime() ?? Date.now() + 3600_000,
      scope: result.scopes?.join(' ') || tokens.scope,
    };
  }

  async revoke(): Promise<void> {
    // Entra ID has no endpoint that revokes one refresh token (revokeSignInSessions would sign
    // the user out everywhere). The plugin forgets the tokens; the user can remove the app's
    // consent at https://myapps.microsoft.com.
  }

  classifyError(err: unknown) {
    return classifyMicrosoftError(err);
  }

  describeError(err: unknown) {
    return describeMicrosoftError(err);
  }
}
