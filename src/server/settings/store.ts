// Provider settings: read as DTOs (never with the secret), updated through validation, and
// turned into a ready adapter for the linking flow and token refresh.
import type { Database, Model } from '@nocobase/database';
import { LINK_ERRORS, PROVIDERS, type LinkableProviderDTO, type MailProviderDTO, type ProviderName, type ProviderOptions } from '../../shared/types';
import { linkError, MailApiError, SETTINGS_ERRORS } from '../errors';
import type { Vault } from '../oauth/vault';
import { createProvider } from '../providers/registry';
import type { MailProvider } from '../providers/types';
import { validateUpdate } from './validate';

const COLLECTION = 'mailProviders';
/** How messages name a provider. */
export const PROVIDER_LABEL: Record<ProviderName, string> = { google: 'Google', microsoft: 'Microsoft' };

export const isProviderName = (value: unknown): value is ProviderName => typeof value === 'string' && (PROVIDERS as readonly string[]).includes(value);

export interface ReadyProvider {
  adapter: MailProvider;
  /** For redaction of anything logged or answered while using the adapter. */
  clientSecret: string;
}

function toDTO(name: ProviderName, row?: Model | null): MailProviderDTO {
  const updatedAt = row?.get('updatedAt') as Date | string | undefined;
  return {
    name,
    enabled: Boolean(row?.get('enabled')),
    clientId: (row?.get('clientId') as string) || '',
    clientSecretSet: Boolean(row?.get('clientSecret')),
    options: ((row?.get('options') as ProviderOptions) || {}) as ProviderOptions,
    ...(updatedAt ? { updatedAt: new Date(updatedAt).toISOString() } : {}),
  };
}

export class ProviderSettings {
  constructor(
    private readonly db: Database,
    private readonly vault: Vault,
  ) {}

  private get repo() {
    return this.db.getRepository(COLLECTION);
  }

  /** The two rows exist from install on, disabled and empty; safe to call any number of times. */
  async ensureRows() {
    for (const name of PROVIDERS) {
      if (await this.repo.findOne({ filter: { name } })) continue;
      // Another node may win the race to the unique name; its row is as good as ours.
      await this.repo.create({ values: { name, enabled: false, clientId: '', options: {} } }).catch(() => undefined);
    }
  }

  private async row(name: ProviderName) {
    return this.repo.findOne({ filter: { name } });
  }

  private known(name: unknown): ProviderName {
    if (!isProviderName(name)) throw new MailApiError(SETTINGS_ERRORS.PROVIDER_NOT_FOUND, `There is no provider "${String(name)}"; use ${PROVIDERS.join(' or ')}`, 404);
    return name;
  }

  async list(): Promise<MailProviderDTO[]> {
    const rows = await this.repo.find();
    return PROVIDERS.map((name) => toDTO(name, rows.find((r: Model) => r.get('name') === name)));
  }

  async get(name: unknown): Promise<MailProviderDTO> {
    const known = this.known(name);
    return toDTO(known, await this.row(known));
  }

  async update(name: unknown, values: unknown): Promise<MailProviderDTO> {
    const known = this.known(name);
    await this.ensureRows();
    const row = (await this.row(known)) as Model;
    const update = validateUpdate(known, values, {
      enabled: Boolean(row.get('enabled')),
      clientId: (row.get('clientId') as string) || '',
      hasSecret: Boolean(row.get('clientSecret')),
      options: (row.get('options') as ProviderOptions) || {},
    });
    const patch: Record<string, unknown> = {};
    if (update.enabled !== undefined) patch.enabled = update.enabled;
    if (update.clientId !== undefined) patch.clientId = update.clientId;
    if (update.options !== undefined) patch.options = update.options;
    if (update.clientSecret) patch.clientSecret = await this.vault.encrypt(update.clientSecret);
    await this.repo.update({ filter: { name: known }, values: patch });
    return toDTO(known, await this.row(known));
  }

  /** What "Link account" offers: enabled providers with credentials. */
  async linkable(): Promise<LinkableProviderDTO[]> {
    const rows = await this.repo.find({ filter: { enabled: true } });
    return PROVIDERS.filter((name) => rows.some((r: Model) => r.get('name') === name && r.get('clientId') && r.get('clientSecret'))).map((name) => ({ name }));
  }

  /**
   * An adapter built from the stored credentials. Linking needs the provider enabled; refresh
   * and revoke of accounts linked earlier only need the credentials (switching a provider off
   * stops new links, not the mailboxes already linked).
   */
  async ready(name: ProviderName, { forLinking }: { forLinking: boolean }): Promise<ReadyProvider> {
    const row = await this.row(name);
    if (forLinking && !row?.get('enabled')) {
      throw linkError(LINK_ERRORS.PROVIDER_DISABLED, `Linking ${PROVIDER_LABEL[name]} accounts is switched off. An administrator can enable it in Settings → Email settings.`);
    }
    const clientId = row?.get('clientId') as string | undefined;
    const sealed = row?.get('clientSecret') as string | undefined;
    if (!clientId || !sealed) {
      throw linkError(LINK_ERRORS.PROVIDER_MISCONFIGURED, `${PROVIDER_LABEL[name]} has no client ID or client secret. An administrator can set them in Settings → Email settings.`);
    }
    let clientSecret: string;
    try {
      clientSecret = await this.vault.decrypt(sealed, `${PROVIDER_LABEL[name]} client secret`);
    } catch (err) {
      throw linkError(LINK_ERRORS.PROVIDER_MISCONFIGURED, `${(err as Error).message} Enter the client secret again in Settings → Email settings.`);
    }
    const options = ((row?.get('options') as ProviderOptions) || {}) as ProviderOptions;
    return { adapter: createProvider(name, { clientId, clientSecret, options }), clientSecret };
  }
}
