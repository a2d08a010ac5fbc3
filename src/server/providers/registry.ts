// The one place that maps a provider name to its adapter. A new provider (IMAP/SMTP) is a new
// folder plus one line here.
import type { ProviderName } from '../../shared/types';
import { GmailProvider } from './gmail';
import { OutlookProvider } from './outlook';
import type { MailProvider, ProviderConfig } from './types';

const ADAPTERS: Record<ProviderName, new (config: ProviderConfig) => MailProvider> = {
  google: GmailProvider,
  microsoft: OutlookProvider,
};

export function createProvider(name: ProviderName, config: ProviderConfig): MailProvider {
  return new ADAPTERS[name](config);
}
