// The HTTP contract between the server and the client halves (request and response shapes).
// One concept, one name: the same words are used in collections, actions and the UI.

export const PROVIDERS = ['google', 'microsoft'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export const ACCOUNT_STATUSES = ['syncing', 'active', 'reauth_required', 'error', 'disabled'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** Endpoint overrides for national clouds, a corporate proxy, or the sandbox. Empty = the provider's public endpoints. */
export interface ProviderOptions {
  /** Microsoft only: common (default), organizations, consumers, a tenant id (GUID) or a verified domain. */
  tenant?: string;
  /** Google: the authorization page (…/o/oauth2/v2/auth). Microsoft: the authority host (https://login.microsoftonline.com). */
  authorizeUrl?: string;
  /** Google: the token endpoint (…/token). Microsoft: ignored (derived from the authority). */
  tokenUrl?: string;
  /** Google: the Gmail API root (https://gmail.googleapis.com/). Microsoft: the Graph root (https://graph.microsoft.com). */
  apiBaseUrl?: string;
}

/** `mailProviders:list` / `mailProviders:get` / `mailProviders:update` answer with this. The secret is never returned. */
export interface MailProviderDTO {
  name: ProviderName;
  enabled: boolean;
  clientId: string;
  /** True when a client secret is stored. */
  clientSecretSet: boolean;
  options: ProviderOptions;
  updatedAt?: string;
}

/** `mailProviders:update?filterByTk=<name>` values. `clientSecret` omitted or empty keeps the stored one. */
export interface MailProviderUpdate {
  enabled?: boolean;
  clientId?: string;
  clientSecret?: string;
  options?: ProviderOptions;
}

/** `mailSettings:get` / `mailSettings:save` (admins): settings of the email manager as a whole. */
export interface MailSettingsDTO {
  /** Minutes between two scheduled syncs of every account (1 to 1440; default 5). */
  syncIntervalMinutes: number;
  /** Roles (by name) whose users may read every user's mail, in blocks and the Email center. */
  allMailRoles?: string[];
}

/** `mailAccounts:providers`: what "Link account" offers to the current user. */
export interface LinkableProviderDTO {
  name: ProviderName;
}

/** `mailAccounts:list` / `mailAccounts:get`: the current user's accounts. Tokens are never returned. */
export interface MailAccountDTO {
  id: number | string;
  provider: ProviderName;
  address: string;
  displayName?: string;
  status: AccountStatus;
  lastSyncAt?: string | null;
  lastError?: string | null;
  syncFrom?: string | null;
  /** First sync progress: messages stored so far and the provider's estimate of the total. */
  syncProgress?: { done: number; total?: number } | null;
  createdAt: string;
}

/** `mailAccounts:authorize` values: start linking (or reconnecting `accountId`). */
export interface AuthorizeRequest {
  provider: ProviderName;
  /** The page the provider returns to: `<origin><public path>admin/settings/mail/oauth2`. */
  redirectUri: string;
  /** Reconnect this account of the current user instead of linking a new one. */
  accountId?: number | string;
  /**
   * Where the first sync starts: a date (`YYYY-MM-DD`, or a full ISO time) or `all` for the
   * whole mailbox. Omitted: one month back. Ignored when reconnecting or linking a mailbox
   * again (its sync carries on where it is).
   */
  syncFrom?: string;
}

/** `AuthorizeRequest.syncFrom` for "everything". */
export const SYNC_FROM_ALL = 'all';
/** Months back the first sync starts when the user does not choose. */
export const DEFAULT_SYNC_MONTHS = 1;

export interface AuthorizeResponse {
  /** Where to send the browser: the provider's consent page. */
  url: string;
}

/** `mailAccounts:callback` values: what the provider put in the redirect's query string. */
export interface CallbackRequest {
  state?: string;
  code?: string;
  error?: string;
  error_description?: string;
}

export interface CallbackResponse {
  account: MailAccountDTO;
  /** False when an account the user had already linked was refreshed (never a duplicate). */
  created: boolean;
}

/**
 * Error codes the linking flow answers with (HTTP 400/403/502, body `{ errors: [{ code, message }] }`).
 * The client shows a translated message per code; `message` is the English fallback.
 */
export const LINK_ERRORS = {
  STATE_MISSING: 'E_STATE_MISSING',
  STATE_INVALID: 'E_STATE_INVALID', // unknown, forged or already used
  STATE_EXPIRED: 'E_STATE_EXPIRED',
  STATE_OTHER_USER: 'E_STATE_OTHER_USER',
  CONSENT_DENIED: 'E_CONSENT_DENIED',
  PROVIDER_DISABLED: 'E_PROVIDER_DISABLED',
  PROVIDER_MISCONFIGURED: 'E_PROVIDER_MISCONFIGURED',
  CODE_REJECTED: 'E_CODE_REJECTED',
  ADDRESS_MISMATCH: 'E_ADDRESS_MISMATCH', // reconnect signed in as another mailbox
  NETWORK: 'E_PROVIDER_UNREACHABLE',
  ACCOUNT_NOT_FOUND: 'E_ACCOUNT_NOT_FOUND',
  INVALID_REDIRECT_URI: 'E_INVALID_REDIRECT_URI',
  INVALID_SYNC_FROM: 'E_INVALID_SYNC_FROM', // not a date, or in the future
} as const;
export type LinkErrorCode = (typeof LINK_ERRORS)[keyof typeof LINK_ERRORS];

/**
 * Error codes of the settings API. E_INVALID_SETTINGS also names the `field` at fault
 * (a dotted path such as `options.tenant`), and its message starts with "<field>: ".
 */
export const SETTINGS_ERRORS = {
  INVALID: 'E_INVALID_SETTINGS',
  PROVIDER_NOT_FOUND: 'E_PROVIDER_NOT_FOUND',
} as const;

/** Any unexpected failure; the details are in the server log only. */
export const INTERNAL_ERROR = 'E_INTERNAL';

/** The path the providers return to; admins register `<origin>` + this as the redirect URI. */
export const OAUTH_CALLBACK_PATH = 'admin/settings/mail/oauth2';

/** Where the user lands after linking: the Email center (its mailbox view grows in a later issue). */
export const EMAIL_CENTER_PATH = 'admin/email';
