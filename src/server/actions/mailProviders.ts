// mailProviders:list|get|update: provider credentials. Only roles holding the settings snippet
// (pm.email-manager.settings) reach these; answers are MailProviderDTO, never the secret.
import type { Log } from '../log';
import type { ProviderSettings } from '../settings/store';
import { requireMailAdmin } from './admin';
import { respond } from './respond';

export const PROVIDER_ACTIONS = ['list', 'get', 'update'];

export function mailProvidersResource(settings: ProviderSettings, log: Log) {
  // The ACL lets only the snippet's roles through, unless a role's data strategy grants "view"
  // on everything: the handlers check again.
  return {
    name: 'mailProviders',
    only: PROVIDER_ACTIONS,
    actions: {
      list: respond(log, async (ctx) => {
        requireMailAdmin(ctx);
        return settings.list();
      }),
      get: respond(log, async (ctx) => {
        requireMailAdmin(ctx);
        return settings.get(ctx.action.params.filterByTk);
      }),
      update: respond(log, async (ctx) => {
        requireMailAdmin(ctx);
        return settings.update(ctx.action.params.filterByTk, ctx.action.params.values);
      }),
    },
  };
}
