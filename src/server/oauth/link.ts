// Linking a mailbox: authorize (state + PKCE, then the provider's consent URL) and callback
// (claim the state, exchange the code, read the address, then create the account or refresh
// the one the user already has: never a duplicate). Any failure answers a LINK_ERRORS code
// and leaves every account as it was.
import { UniqueConstraintError, type Model } from '@nocobase/database';
import {
  LINK_ERRORS,
  type AuthorizeResponse,
  type CallbackResponse,
  type ProviderName,
} from '../../shared/types';
import type { Accounts } from '../accounts/store';
import { toAccountDTO } from '../accounts/dto';
import { linkError, type MailApiError } from '../errors';
import type { Log } from '../log';
import type { MailProvider, MailProfile, TokenSet } from '../providers/types';
import { isProviderName, PROVIDER_LABEL, type ProviderSettings } from '../settings/store';
import { safeReason } from './redact';
import { parseSyncFrom, syncFromColumn } from './sync-from';
import { checkRedirectUri } from './redirect-uri';
import type { OAuthStates } from './state';
import type { Vault } from './vault';

/**
 * The redirect's error when the user pressed Cancel (Google and Microsoft alike; Microsoft adds
 * error_subcode=cancel). Any other error code is a failed sign-in, not a refusal.
 */
const DECLINED = 'access_denied';

export interface LinkDeps {
  accounts: Accounts;
  states: OAuthStates;
  settings: ProviderSettings;
  vault: Vault;
  log: Log;
}

type Id = number | string;
type Values = Record<string, unknown> | undefined;

export class AccountLinker {
  constructor(private readonly deps: LinkDeps) {}

  async authorize(userId: Id, values: Values): Promise<AuthorizeResponse> {
    const input = values || {};
    const redirectUri = checkRedirectUri(input.redirectUri);
    let provider: ProviderName;
    let accountId: Id | null = null;
    let loginHint: string | undefined;
    let syncFrom: string | null = null;
    if (input.accountId !== undefined && input.accountId !== null && input.accountId !== '') {
      // Reconnect: the account decides the provider, and only its owner may reconnect it.
      const account = await this.deps.accounts.getOwn(userId, input.accountId);
      provider = account.get('provider') as ProviderName;
      accountId = account.get('id') as Id;
      loginHint = account.get('address') as string;
    } else {
      if (!isProviderName(input.provider)) {
        throw linkError(LINK_ERRORS.PROVIDER_DISABLED, `provider must be google or microsoft, not "${String(input.provider ?? '').slice(0, 40)}"`);
      }
      provider = input.provider;
      syncFrom = parseSyncFrom(input.syncFrom);
    }
    const { adapter, clientSecret } = await this.deps.settings.ready(provider, { forLinking: true });
    const pending = this.deps.states.prepare();
    let url: string;
    try {
      url = await adapter.authorizeUrl({ state: pending.state, codeChallenge: pending.codeChallenge, redirectUri, loginHint });
    } catch (err) {
      throw this.failure(adapter, err, 'authorize', [clientSecret, pending.codeVerifier]);
    }
    await this.deps.states.save(pending, { userId, provider, accountId, redirectUri, syncFrom });
    return { url };
  }

  async callback(userId: Id, values: Values): Promise<CallbackResponse> {
    const input = values || {};
    const claimed = await this.deps.states.claim(userId, input.state);
    const label = PROVIDER_LABEL[claimed.provider];
    if (input.error !== undefined && input.error !== null && input.error !== '') {
      // An OAuth error code is a short token; anything else is not repeated back.
      const error = /^[a-z_]{1,60}$/.test(String(input.error)) ? String(input.error) : 'error';
      if (error === DECLINED) throw linkError(LINK_ERRORS.CONSENT_DENIED, `The sign-in at ${label} was cancelled, so no account was linked.`);
      throw linkError(LINK_ERRORS.CODE_REJECTED, `${label} did not complete the sign-in (${error}). Start linking again.`);
    }
    const code = input.code;
    if (typeof code !== 'string' || !code) throw linkError(LINK_ERRORS.CODE_REJECTED, `The answer from ${label} carries no authorization code. Start linking again.`);

    const { adapter, clientSecret } = await this.deps.settings.ready(claimed.provider, { forLinking: true });
    let tokens: TokenSet;
    let profile: MailProfile;
    try {
      ({ tokens, profile } = await adapter.exchangeCode({ code, codeVerifier: claimed.codeVerifier, redirectUri: claimed.redirectUri }));
    } catch (err) {
      throw this.failure(adapter, err, 'callback', [clientSecret, code, claimed.codeVerifier]);
    }
    const address = profile.address.trim().toLowerCase();
    const changes = {
      tokens: await this.deps.vault.sealTokens(tokens),
      status: 'active',
      lastError: null,
      ...(profile.displayName ? { displayName: profile.displayName } : {}),
    };

    if (claimed.accountId) {
      const account = await this.deps.accounts.getOwn(userId, claimed.accountId);
      if (account.get('address') !== address) {
        // Discard the new grant without revoking it: at Google revoking ends the user's whole
        // grant for this app, which may back another linked account of that mailbox.
        throw linkError(LINK_ERRORS.ADDRESS_MISMATCH, `You signed in as ${address}, but this account is ${account.get('address')}. Reconnect by signing in as ${account.get('address')}.`);
      }
      await account.update(changes);
      this.deps.log.info('mail account reconnected', { provider: claimed.provider, accountId: account.get('id') });
      return { account: toAccountDTO(account), created: false };
    }
    return this.upsert(userId, claimed.provider, address, changes, syncFromColumn(claimed.syncFrom));
  }

  /** Creates the account, or refreshes the one this user already linked for the mailbox. */
  /** A mailbox linked again keeps its sync (and its start date); a new one starts at `syncFrom`. */
  private async upsert(userId: Id, provider: ProviderName, address: string, changes: Record<string, unknown>, syncFrom: Date | null): Promise<CallbackResponse> {
    const repo = this.deps.accounts.repo;
    const existing = () => repo.findOne({ filter: { userId, provider, address } });
    const refresh = async (account: Model) => {
      await account.update(changes);
      this.deps.log.info('mail account linked again', { provider, accountId: account.get('id') });
      return { account: toAccountDTO(account), created: false };
    };
    const found = await existing();
    if (found) return refresh(found);
    try {
      const account = await repo.create({ values: { userId, provider, address, syncFrom, ...changes } });
      this.deps.log.info('mail account linked', { provider, accountId: account.get('id') });
      return { account: toAccountDTO(account), created: true };
    } catch (err) {
      // Two callbacks for the same mailbox at once: the unique index lets one create it.
      const winner = err instanceof UniqueConstraintError ? await existing() : null;
      if (winner) return refresh(winner);
      throw err;
    }
  }

  /** A provider failure reduced to a code and a safe message, logged once. */
  private failure(adapter: MailProvider, err: unknown, step: 'authorize' | 'callback', secrets: string[]): MailApiError {
    const kind = adapter.classifyError(err);
    const reason = safeReason(adapter, err, secrets);
    const label = PROVIDER_LABEL[adapter.name];
    this.deps.log.warn(`mail account ${step} failed at the provider`, { provider: adapter.name, kind, reason });
    if (kind === 'temporary') return linkError(LINK_ERRORS.NETWORK, `${label} could not be reached; try again in a moment. (${reason})`);
    if (kind === 'config' || step === 'authorize') {
      return linkError(LINK_ERRORS.PROVIDER_MISCONFIGURED, `${label} refused this app's settings; an administrator should check Settings → Email settings. (${reason})`);
    }
    return linkError(LINK_ERRORS.CODE_REJECTED, `${label} did not accept the sign-in; start linking again. (${reason})`);
  }
}
