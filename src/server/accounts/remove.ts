// Unlinking: the account and its local data go at once; the grant is then withdrawn at the
// provider, best effort (a failure there never keeps the account).
import type { Database, Model, Transaction } from '@nocobase/database';
import type { ProviderName } from '../../shared/types';
import type { Log } from '../log';
import { redact, safeReason } from '../oauth/redact';
import type { Vault } from '../oauth/vault';
import type { ProviderSettings } from '../settings/store';
import { ACCOUNTS, type Accounts } from './store';

export interface RemoveDeps {
  db: Database;
  accounts: Accounts;
  settings: ProviderSettings;
  vault: Vault;
  log: Log;
}

/** Everything stored for an account besides its row, children before the summaries built from them. */
const ACCOUNT_DATA = ['mailMessages', 'mailThreads', 'mailFolders', 'mailSyncRuns', 'mailOAuthStates'];

/**
 * Deletes an account's local data with one DELETE per collection. The collections' belongsTo
 * cascades would do it too, but NocoBase emulates a cascade by loading every row and
 * destroying them one by one with hooks: minutes for a mailbox of 100k messages. Called before
 * the account row goes, the cascade then finds nothing left to do.
 */
export async function deleteAccountData(db: Database, accountId: unknown, transaction?: Transaction): Promise<void> {
  for (const collection of ACCOUNT_DATA) {
    await db.getModel(collection).destroy({ where: { accountId }, transaction });
  }
}

/**
 * Whoever deletes an account row (NocoBase, when its user is deleted) gets the bulk deletes
 * too: this hook runs before NocoBase's emulated cascade, which then finds nothing to do.
 */
export function deleteAccountDataOnDestroy(db: Database) {
  db.on(`${ACCOUNTS}.beforeDestroy`, async (account: Model, options: { transaction?: Transaction }) => {
    await deleteAccountData(db, account.get('id'), options.transaction);
  });
}

export async function removeAccount(deps: RemoveDeps, userId: number | string, id: unknown): Promise<void> {
  const account = await deps.accounts.getOwn(userId, id);
  const accountId = account.get('id');
  const provider = account.get('provider') as ProviderName;
  const address = account.get('address') as string;
  const sealed = account.get('tokens') as string | null;

  // Its messages, threads, folders and runs go with it, in bulk (deleteAccountDataOnDestroy).
  await deps.db.sequelize.transaction(async (transaction) => {
    await deps.db.getRepository(ACCOUNTS).destroy({ filterByTk: accountId as string, transaction });
  });
  deps.log.info('mail account removed', { provider, accountId });

  // The same mailbox linked by another user shares the provider grant (Google ends every token
  // of a user and app on revocation), so it is withdrawn only when nobody else uses it.
  const others = await deps.db.getRepository(ACCOUNTS).count({ filter: { provider, address } });
  if (others > 0 || !sealed) return;
  let secrets: string[] = [];
  try {
    const tokens = await deps.vault.openTokens(sealed);
    const { adapter, clientSecret } = await deps.settings.ready(provider, { forLinking: false });
    secrets = [clientSecret, tokens.accessToken, tokens.refreshToken];
    try {
      await adapter.revoke(tokens);
    } catch (err) {
      deps.log.info('revoking a removed mail account at the provider failed', { provider, accountId, reason: safeReason(adapter, err, secrets) });
    }
  } catch (err) {
    deps.log.info('a removed mail account could not be revoked at the provider', { provider, accountId, reason: redact((err as Error).message, secrets) });
  }
}
