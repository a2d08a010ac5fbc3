// Access tokens for the rest of the plugin. A token within 5 minutes of expiry is refreshed
// first, once per account even under concurrent use: callers in this process share one
// refresh (single flight), and app.lockManager serialises refreshes across processes, each
// re-reading the account once it holds the lock in case another one refreshed meanwhile.
// invalid_grant marks the account reauth_required; any other failure changes nothing.
import type { Database, Model } from '@nocobase/database';
import { PLUGIN_NAME } from '../../shared/constants';
import type { ProviderName } from '../../shared/types';
import { ACCOUNTS } from '../accounts/store';
import type { Log } from '../log';
import type { ErrorKind, TokenSet } from '../providers/types';
import { PROVIDER_LABEL, type ProviderSettings, type ReadyProvider } from '../settings/store';
import { safeReason } from './redact';
import type { Vault } from './vault';

export const REFRESH_MARGIN_MS = 5 * 60 * 1000;
const LOCK_TTL_MS = 60_000;

/** Why no access token could be had; `kind` tells the caller whether to retry or stop. */
export class AccessTokenError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'AccessTokenError';
  }
}

interface LockManagerLike {
  runExclusive<T>(key: string, fn: () => Promise<T>, ttl?: number): Promise<T>;
}

export interface TokenDeps {
  db: Database;
  vault: Vault;
  settings: ProviderSettings;
  lockManager: LockManagerLike;
  log: Log;
}

const fresh = (tokens: TokenSet, now = Date.now()) => tokens.expiresAt - now > REFRESH_MARGIN_MS;

export class TokenService {
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(private readonly deps: TokenDeps) {}

  /**
   * `rejected`: the access token a provider just refused (401) although it looked fresh, for
   * example because the provider expired it early. It is then refreshed once, unless another
   * caller has already replaced it.
   */
  async getAccessToken(account: Model | number | string, { rejected }: { rejected?: string } = {}): Promise<string> {
    const id = String(typeof account === 'object' ? account.get('id') : account);
    const key = rejected ? `${id}:${rejected}` : id;
    const running = this.inflight.get(key);
    if (running) return running;
    const obtained = this.obtain(id, rejected).finally(() => this.inflight.delete(key));
    this.inflight.set(key, obtained);
    return obtained;
  }

  private async load(id: string) {
    const row = await this.deps.db.getRepository(ACCOUNTS).findOne({ filterByTk: id });
    if (!row) throw new AccessTokenError('rejected', 'The mail account no longer exists.');
    if (row.get('status') === 'reauth_required') {
      // Asking again with a revoked grant only earns more invalid_grant answers.
      throw new AccessTokenError('reauth', 'The mail account must be reconnected by its owner.');
    }
    let tokens: TokenSet;
    try {
      tokens = await this.deps.vault.openTokens(row.get('tokens') as string);
    } catch (err) {
      throw new AccessTokenError('config', (err as Error).message);
    }
    return { row, tokens };
  }

  private async obtain(id: string, rejected?: string): Promise<string> {
    const usable = (tokens: TokenSet) => fresh(tokens) && tokens.accessToken !== rejected;
    const first = await this.load(id);
    if (usable(first.tokens)) return first.tokens.accessToken;
    return this.deps.lockManager.runExclusive(
      `${PLUGIN_NAME}:tokens:${id}`,
      async () => {
        const { row, tokens } = await this.load(id);
        if (usable(tokens)) return tokens.accessToken;
        return this.refresh(row, tokens);
      },
      LOCK_TTL_MS,
    );
  }

  private async refresh(row: Model, tokens: TokenSet): Promise<string> {
    const provider = row.get('provider') as ProviderName;
    let ready: ReadyProvider;
    try {
      ready = await this.deps.settings.ready(provider, { forLinking: false });
    } catch (err) {
      throw new AccessTokenError('config', (err as Error).message);
    }
    let next: TokenSet;
    try {
      next = await ready.adapter.refresh(tokens);
    } catch (err) {
      const kind = ready.adapter.classifyError(err);
      const reason = safeReason(ready.adapter, err, [ready.clientSecret, tokens.refreshToken, tokens.accessToken]);
      this.deps.log.warn('mail account token refresh failed', { provider, accountId: row.get('id'), kind, reason });
      if (kind === 'reauth') {
        await row.update({ status: 'reauth_required', lastError: `${PROVIDER_LABEL[provider]} no longer accepts this account's authorization; reconnect it. (${reason})` });
      }
      throw new AccessTokenError(kind, reason);
    }
    await row.update({ tokens: await this.deps.vault.sealTokens(next) });
    return next.accessToken;
  }
}
