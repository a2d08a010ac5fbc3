// The one place that maps a provider name to its adapter. A new provider (IMAP/SMTP) is a new
// folder plus one line here.
import type { ProviderName } from '../../shared/types';
import { GmailProvider } from './gmail';
import type { ParseBatch } from './gmail/batch-parse';
import { gmailPacingFor } from './gmail/pacing';
import { OutlookProvider } from './outlook';
import type { MailProvider, ProviderConfig } from './types';

const ADAPTERS: Record<ProviderName, new (config: ProviderConfig) => MailProvider> = {
  google: GmailProvider,
  microsoft: OutlookProvider,
};

export function createProvider(name: ProviderName, config: ProviderConfig): MailProvider {
  return new ADAPTERS[name](config);
}

/** Plugin options that tune how adapters sync (the admin's provider settings are not these). */
export interface ProviderRuntimeOptions {
  /**
   * Gmail's per-user quota the sync paces itself to, in units per minute: Google's 15,000 when
   * unset; 0 or Infinity for no client-side pacing (a raised quota, or an emulator without one).
   */
  gmailQuotaUnitsPerMinute?: number | null;
}

/**
 * What turns an adapter from the settings into the one the sync engine uses. Checks the
 * options now, so a bad value fails the plugin's load rather than the first sync.
 */
export function syncAdapterTuning(options: ProviderRuntimeOptions = {}, threads: { gmailParseBatch?: ParseBatch } = {}): (adapter: MailProvider) => MailProvider {
  const pacing = options.gmailQuotaUnitsPerMinute === undefined || options.gmailQuotaUnitsPerMinute === null ? undefined : gmailPacingFor(options.gmailQuotaUnitsPerMinute);
  const parseBatch = threads.gmailParseBatch;
  if (!pacing && !parseBatch) return (adapter) => adapter;
  return (adapter) => (adapter instanceof GmailProvider ? adapter.withDeps({ ...(pacing ? { pacing } : {}), ...(parseBatch ? { parseBatch } : {}) }) : adapter);
}
