// mailAccounts:providers|list|get|destroy|authorize|callback for any signed-in user, always
// about the current user's own accounts: someone else's account answers 404 like a missing one.
import type { Context } from '@nocobase/actions';
import { toAccountDTO } from '../accounts/dto';
import { removeAccount, type RemoveDeps } from '../accounts/remove';
import type { AccountLinker } from '../oauth/link';
import type { ProviderSettings } from '../settings/store';
import { currentUserId, respond } from './respond';

export const ACCOUNT_ACTIONS = ['providers', 'list', 'get', 'destroy', 'authorize', 'callback'];

export interface AccountActionDeps extends RemoveDeps {
  linker: AccountLinker;
  settings: ProviderSettings;
}

const valuesOf = (ctx: Context) => ctx.action.params.values as Record<string, unknown> | undefined;

export function mailAccountsResource(deps: AccountActionDeps) {
  const { accounts, linker, settings, log } = deps;
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
      callback: respond(log, (ctx) => linker.callback(currentUserId(ctx), valuesOf(ctx))),
    },
  };
}
