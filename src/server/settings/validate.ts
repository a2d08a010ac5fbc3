// Validation of `mailProviders:update`. Every refusal names the field and says what is wrong,
// so the settings form can put the message next to the right input.
import type { MailProviderUpdate, ProviderName, ProviderOptions } from '../../shared/types';
import { invalidSetting } from '../errors';

const OPTION_KEYS = ['tenant', 'authorizeUrl', 'tokenUrl', 'apiBaseUrl'] as const;
type UrlKey = 'authorizeUrl' | 'tokenUrl' | 'apiBaseUrl';
/** Read-only members of MailProviderDTO a form may post back unchanged. */
const READ_ONLY = new Set(['name', 'clientSecretSet', 'updatedAt', 'createdAt', 'id']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;

const EXAMPLES: Record<ProviderName, Record<UrlKey, string>> = {
  google: { authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth', tokenUrl: 'https://oauth2.googleapis.com/token', apiBaseUrl: 'https://gmail.googleapis.com/' },
  microsoft: { authorizeUrl: 'https://login.microsoftonline.com', tokenUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/token', apiBaseUrl: 'https://graph.microsoft.com' },
};

function checkUrl(provider: ProviderName, key: UrlKey, value: string): string {
  const field = `options.${key}`;
  const example = `such as ${EXAMPLES[provider][key]}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidSetting(field, `"${value}" is not a URL; enter an absolute http(s) URL ${example}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidSetting(field, `must be an http(s) URL ${example}`);
  if (url.username || url.password) throw invalidSetting(field, 'must not contain a user name or password');
  if (url.search || url.hash) throw invalidSetting(field, 'must not contain a query string or a fragment');
  // msal-node refuses http authorities, and the Graph client drops the token over http.
  if (provider === 'microsoft' && key !== 'tokenUrl' && url.protocol !== 'https:') throw invalidSetting(field, `Microsoft requires https ${example}`);
  if (provider === 'microsoft' && key === 'authorizeUrl' && url.pathname !== '/') {
    throw invalidSetting(field, `is the sign-in host only (${EXAMPLES.microsoft.authorizeUrl}); the tenant goes in options.tenant`);
  }
  return value.replace(/\/+$/, '');
}

function checkTenant(provider: ProviderName, value: string): string {
  if (provider !== 'microsoft') throw invalidSetting('options.tenant', 'only Microsoft uses a tenant; leave it empty for Google');
  const tenant = value.toLowerCase();
  if (['common', 'organizations', 'consumers'].includes(tenant) || GUID.test(tenant) || DOMAIN.test(tenant)) return tenant;
  throw invalidSetting('options.tenant', `"${value}" is not a tenant; use common, organizations, consumers, a tenant ID (GUID) or a verified domain such as contoso.onmicrosoft.com`);
}

function checkOptions(provider: ProviderName, value: unknown): ProviderOptions {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidSetting('options', 'must be an object');
  const out: ProviderOptions = {};
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    if (!(OPTION_KEYS as readonly string[]).includes(key)) throw invalidSetting(`options.${key}`, `is not a setting; known options are ${OPTION_KEYS.join(', ')}`);
    if (raw === null || raw === undefined) continue;
    if (typeof raw !== 'string') throw invalidSetting(`options.${key}`, 'must be a string');
    const text = raw.trim();
    if (!text) continue;
    if (text.length > 2048) throw invalidSetting(`options.${key}`, 'is too long (2048 characters at most)');
    if (key === 'tenant') out.tenant = checkTenant(provider, text);
    else out[key as UrlKey] = checkUrl(provider, key as UrlKey, text);
  }
  return out;
}

function checkText(field: string, value: unknown, max: number): string {
  if (typeof value !== 'string') throw invalidSetting(field, 'must be a string');
  const text = value.trim();
  if (text.length > max) throw invalidSetting(field, `is too long (${max} characters at most)`);
  if (/[\s\p{Cc}]/u.test(text)) throw invalidSetting(field, 'must not contain spaces or control characters');
  return text;
}

export interface StoredSettings {
  enabled: boolean;
  clientId: string;
  hasSecret: boolean;
  options: ProviderOptions;
}

/** The update to apply, normalised; throws a 400 naming the field otherwise. */
export function validateUpdate(provider: ProviderName, values: unknown, stored: StoredSettings): MailProviderUpdate {
  if (!values || typeof values !== 'object' || Array.isArray(values)) throw invalidSetting('values', 'must be an object');
  const input = values as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!['enabled', 'clientId', 'clientSecret', 'options'].includes(key) && !READ_ONLY.has(key)) {
      throw invalidSetting(key, 'is not a setting; known settings are enabled, clientId, clientSecret and options');
    }
  }
  const update: MailProviderUpdate = {};
  if (input.enabled !== undefined) {
    if (typeof input.enabled !== 'boolean') throw invalidSetting('enabled', 'must be true or false');
    update.enabled = input.enabled;
  }
  if (input.clientId !== undefined && input.clientId !== null) update.clientId = checkText('clientId', input.clientId, 255);
  // Write-only: empty or omitted keeps the stored secret.
  if (input.clientSecret !== undefined && input.clientSecret !== null && input.clientSecret !== '') {
    const secret = checkText('clientSecret', input.clientSecret, 1024);
    if (secret) update.clientSecret = secret;
  }
  if (input.options !== undefined) update.options = checkOptions(provider, input.options);

  const enabled = update.enabled ?? stored.enabled;
  if (enabled) {
    if (!(update.clientId ?? stored.clientId)) throw invalidSetting('clientId', 'is required to enable the provider');
    if (!update.clientSecret && !stored.hasSecret) throw invalidSetting('clientSecret', 'is required to enable the provider');
  }
  return update;
}
