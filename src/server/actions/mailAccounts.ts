// mailAccounts:providers|list|get|destroy|authorize|callback|sync|syncRuns|unread for any signed-in
// user, always about the current user's own accounts: someone else's account answers 404 like a missing one.
import type { Context } from '@nocobase/actions';
import { toAccountDTO } from '../accounts/dto';
import { removeAccount, type RemoveDeps } from '../accounts/remove';
import type { MailReader } from '../mail';
import { viewerOf } from '../mail/scope';
import type { AccountLinker } from '../oauth/link';
import type { ProviderSettings } from '../settings/store';
import type { SyncRunner } from '../sync/runner';
import { currentUserId, respond } from './respond';

export const ACCOUNT_ACTIONS = ['providers', 'list', 'get', 'destroy', 'authorize', 'callback', 'sync', 'syncRuns', 'unread'];

export interface AccountActionDeps extends RemoveDeps {
  linker: AccountLinker;
  settings: ProviderSettings;
  runner: SyncRunner;
  mail: MailReader;
  /** Starts a linked account's first sync at once instead of at the next tick (off when the node runs no schedule). */
  syncOnLink?: boolean;
}

const valuesOf = (ctx: Context) => ctx.action.params.values as Record<string, unknown> | undefined;

export function mailAccountsResource(deps: AccountActionDeps) {
  const { accounts, linker, settings, log, runner, mail } = deps;
  return {
    name: 'mailAccounts',
    only: ACCOUNT_ACTIONS,
    actions: {
      providers: respond(log, () => settings.linkable()),
      list: respond(log, async (ctx) => (await accounts.listOf(currentUserId(ctx))).map(toAccountDTO)),
      get: respond(log, async (ctx) => toAccountDTO(await accounts.getOwn(currentUserId(ctx), ctx.action.params.filterByTk))),
      destroy: respond(log, async (ctx) => {
        await removeAccount(deps, currentUserId(ctx), ctx.action.params.filterByTk);
        return { id: String(ctx.action.params.filterByTk) };
      }),
      authorize: respond(log, (ctx) => linker.authorize(currentUserId(ctx), valuesOf(ctx))),
      callback: respond(log, async (ctx) => {
        const linked = await linker.callback(currentUserId(ctx), valuesOf(ctx));
        // The user lands in the Email center next: the first sync should be under way by then.
        if (deps.syncOnLink) runner.run(String(linked.account.id)).catch((err) => log.error(`first mail sync failed: ${(err as Error).message}`));
        return linked;
      }),
      // "Sync now": starts a run in the background (a first sync can take minutes); the
      // account's status and syncProgress tell how it goes. A run already going is left alone.
      sync: respond(log, async (ctx) => {
        const account = await accounts.getOwn(currentUserId(ctx), ctx.action.params.filterByTk);
        runner.run(account.get('id') as string, 'manual').catch((err) => log.error(`manual mail sync failed: ${(err as Error).message}`));
        return { started: true };
      }),
      // The top bar's badge: unread conversations in the inboxes of the user's own accounts.
      unread: respond(log, async (ctx) => mail.folders.unread(await mail.scope.own(await viewerOf(ctx, mail.settings)))),
      // The account's recent sync runs, newest first: kind, times, counts and a safe error.
      syncRuns: respond(log, async (ctx) => {
        const account = await accounts.getOwn(currentUserId(ctx), ctx.action.params.filterByTk);
        const runs = await ctx.db.getRepository('mailSyncRuns').find({ filter: { accountId: account.get('id') as string }, sort: ['-startedAt'], limit: 20 });
        return runs.map((run: { get(key: string): unknown }) => ({
          kind: run.get('kind'),
          status: run.get('status'),
          startedAt: run.get('startedAt'),
          finishedAt: run.get('finishedAt'),
          counts: run.get('counts'),
          error: run.get('error') || null,
        }));
      }),
    },
  };
}
