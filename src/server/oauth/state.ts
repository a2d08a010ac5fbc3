// OAuth state: 32 random bytes handed to the provider and back, stored only as SHA-256, bound
// to the user who started linking, valid 10 minutes, used once. "Used once" holds under
// concurrent callbacks because the claim is a DELETE whose row count says who won.
import { Op, type Database } from '@nocobase/database';
import { LINK_ERRORS, type ProviderName } from '../../shared/types';
import { linkError } from '../errors';
import { pkcePair, randomToken, sha256 } from './pkce';
import type { Vault } from './vault';

export const STATE_TTL_MS = 10 * 60 * 1000;
const COLLECTION = 'mailOAuthStates';

export interface PendingState {
  /** Goes into the authorize URL; never stored. */
  state: string;
  codeVerifier: string;
  codeChallenge: string;
}

export interface StateBinding {
  userId: number | string;
  provider: ProviderName;
  accountId?: number | string | null;
  redirectUri: string;
  /** An ISO time or 'all' (oauth/sync-from.ts); unset when reconnecting. */
  syncFrom?: string | null;
}

export interface ClaimedState extends StateBinding {
  codeVerifier: string;
}

export class OAuthStates {
  constructor(
    private readonly db: Database,
    private readonly vault: Vault,
  ) {}

  private get model() {
    return this.db.getCollection(COLLECTION).model;
  }

  /** A fresh state and PKCE pair; nothing is stored until the authorize URL could be built. */
  prepare(): PendingState {
    return { state: randomToken(), ...pkcePair() };
  }

  async save(pending: PendingState, binding: StateBinding, now = Date.now()) {
    // Stale states of anyone are garbage by now; dropping them here keeps the table tiny.
    await this.model.destroy({ where: { expiresAt: { [Op.lt]: new Date(now) } } }).catch(() => undefined);
    await this.db.getRepository(COLLECTION).create({
      values: {
        stateHash: sha256(pending.state),
        userId: binding.userId,
        provider: binding.provider,
        accountId: binding.accountId ?? null,
        redirectUri: binding.redirectUri,
        syncFrom: binding.syncFrom ?? null,
        codeVerifier: await this.vault.encrypt(pending.codeVerifier),
        expiresAt: new Date(now + STATE_TTL_MS),
      },
    });
  }

  /**
   * Takes the state for `userId`, once. A state of another user is refused and left alone (that
   * user may still finish); an expired one is removed.
   */
  async claim(userId: number | string, state: unknown, now = Date.now()): Promise<ClaimedState> {
    if (state === undefined || state === null || state === '') {
      throw linkError(LINK_ERRORS.STATE_MISSING, 'The answer from the provider carries no state. Start linking again.');
    }
    const invalid = () => linkError(LINK_ERRORS.STATE_INVALID, 'This sign-in was not started here, or it was already used. Start linking again.');
    if (typeof state !== 'string' || state.length > 512) throw invalid();
    const row = await this.db.getRepository(COLLECTION).findOne({ filter: { stateHash: sha256(state) } });
    if (!row) throw invalid();
    if (String(row.get('userId')) !== String(userId)) {
      throw linkError(LINK_ERRORS.STATE_OTHER_USER, 'This sign-in was started by another user.');
    }
    const taken = await this.model.destroy({ where: { id: row.get('id') } });
    if (taken !== 1) throw invalid();
    if (new Date(row.get('expiresAt') as string).getTime() <= now) {
      throw linkError(LINK_ERRORS.STATE_EXPIRED, 'This sign-in took longer than 10 minutes and expired. Start linking again.');
    }
    return {
      userId: row.get('userId') as number | string,
      provider: row.get('provider') as ProviderName,
      accountId: (row.get('accountId') as number | string | null) ?? null,
      redirectUri: row.get('redirectUri') as string,
      syncFrom: (row.get('syncFrom') as string | null) ?? null,
      codeVerifier: await this.vault.decrypt(row.get('codeVerifier') as string, 'PKCE verifier'),
    };
  }
}
