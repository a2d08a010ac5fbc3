import type { MailProviderDTO, MailProviderUpdate, ProviderName, ProviderOptions } from '../../shared/types';

/** The option fields each provider's card edits (Microsoft derives its token URL from the authority). */
export const OPTION_KEYS: Record<ProviderName, (keyof ProviderOptions)[]> = {
  google: ['authorizeUrl', 'tokenUrl', 'apiBaseUrl'],
  microsoft: ['tenant', 'authorizeUrl', 'apiBaseUrl'],
};

export const DEFAULT_TENANT = 'common';

export interface ProviderFormValues {
  enabled: boolean;
  clientId: string;
  /** Always starts empty: the stored secret is never sent to the browser. */
  clientSecret: string;
  options: Record<string, string>;
}

function optionValue(key: keyof ProviderOptions, options: ProviderOptions | undefined) {
  const value = (options?.[key] ?? '').trim();
  return key === 'tenant' && !value ? DEFAULT_TENANT : value;
}

function optionsOf(name: ProviderName, options: ProviderOptions | undefined) {
  return Object.fromEntries(OPTION_KEYS[name].map((key) => [key, optionValue(key, options)]));
}

export function formValuesOf(provider: MailProviderDTO): ProviderFormValues {
  return {
    enabled: !!provider.enabled,
    clientId: provider.clientId ?? '',
    clientSecret: '',
    options: optionsOf(provider.name, provider.options),
  };
}

/**
 * Only what the admin changed. An empty secret is left out (the stored one stays); options
 * go as one complete object (empty string = the provider's public endpoint) when any changed.
 */
export function providerChanges(saved: MailProviderDTO, values: ProviderFormValues): MailProviderUpdate {
  const changes: MailProviderUpdate = {};
  if (!!values.enabled !== !!saved.enabled) changes.enabled = !!values.enabled;
  const clientId = (values.clientId ?? '').trim();
  if (clientId !== (saved.clientId ?? '')) changes.clientId = clientId;
  const secret = (values.clientSecret ?? '').trim();
  if (secret) changes.clientSecret = secret;
  const before = optionsOf(saved.name, saved.options);
  const after = optionsOf(saved.name, values.options as ProviderOptions);
  if (OPTION_KEYS[saved.name].some((key) => before[key] !== after[key])) changes.options = after;
  return changes;
}

/** The provider as stored after a save the server answered without a body. */
export function appliedChanges(saved: MailProviderDTO, changes: MailProviderUpdate): MailProviderDTO {
  const { clientSecret, ...rest } = changes;
  return {
    ...saved,
    ...rest,
    clientSecretSet: saved.clientSecretSet || !!clientSecret,
    options: changes.options ?? saved.options,
  };
}

export function hasEndpointOverrides(provider: MailProviderDTO) {
  return OPTION_KEYS[provider.name].some((key) => key !== 'tenant' && !!provider.options?.[key]);
}
