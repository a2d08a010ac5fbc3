// The provider port: everything the plugin needs from a mail provider, in the plugin's own
// words. Adapters (one folder each) implement it with the provider's official libraries and
// know nothing about NocoBase; the rest of the plugin knows this port and no provider by name.
import type { ProviderName, ProviderOptions } from '../../shared/types';
import type { MailActions } from './mail-types';
import type { MailSender } from './send-types';
import type { MailSync } from './sync-types';

/** What an adapter is built from: the admin's settings with the secret already decrypted. */
export interface ProviderConfig {
  clientId: string;
  clientSecret: string;
  options: ProviderOptions;
}

/** The grant the plugin keeps (encrypted) per account. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds when the access token stops working. */
  expiresAt: number;
  /** Space-separated scopes the user granted, when the provider says. */
  scope?: string;
}

export interface MailProfile {
  /** The mailbox address as the provider reports it (the caller lower-cases it). */
  address: string;
  displayName?: string;
}

export interface AuthorizeUrlInput {
  state: string;
  /** PKCE S256 challenge of the verifier kept with the state. */
  codeChallenge: string;
  redirectUri: string;
  /** Preselects the mailbox at the consent page (used when reconnecting). */
  loginHint?: string;
}

export interface ExchangeCodeInput {
  code: string;
  codeVerifier: string;
  redirectUri: string;
}

/**
 * How a failed provider call should be handled:
 * - temporary: network, 5xx, throttling; try again later, nothing is wrong with the grant.
 * - reauth: the grant is gone (revoked, expired, consent withdrawn); the user must link again.
 * - config: the admin's settings are wrong (client id/secret, tenant, endpoints).
 * - rejected: the provider refused this particular request (bad code, bad input).
 */
export type ErrorKind = 'temporary' | 'reauth' | 'config' | 'rejected';

export interface MailProvider {
  readonly name: ProviderName;
  /** The consent page URL to send the browser to. May contact the provider (discovery). */
  authorizeUrl(input: AuthorizeUrlInput): Promise<string>;
  /** Trades the authorization code for tokens and reads the mailbox address. */
  exchangeCode(input: ExchangeCodeInput): Promise<{ tokens: TokenSet; profile: MailProfile }>;
  /** A fresh access token; the refresh token too when the provider rotates it. */
  refresh(tokens: TokenSet): Promise<TokenSet>;
  /** Withdraws the grant at the provider when it offers that; best effort, may do nothing. */
  revoke(tokens: TokenSet): Promise<void>;
  /** One classification per provider, applied to whatever its libraries throw. */
  classifyError(err: unknown): ErrorKind;
  /**
   * A short message that is safe to log and to show: the provider's error code and status,
   * never the request (library errors carry the client secret, the code and tokens in it).
   */
  describeError(err: unknown): string;
  /** Reading the mailbox: folders, first sync, incremental changes, message content. */
  readonly sync: MailSync;
  /** What a reader does to the mailbox: read state, attachment downloads (mail-types.ts). */
  readonly mail: MailActions;
  /** Sending a message the plugin built (send-types.ts). */
  readonly send: MailSender;
}
