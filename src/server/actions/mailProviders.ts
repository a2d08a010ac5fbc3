// mailProviders:list|get|update: provider credentials. Only roles holding the settings snippet
// (pm.email-manager.settings) reach these; answers are MailProviderDTO, never the secret.
import type { Log } from '../log';
import type { ProviderSettings } from '../settings/store';
import { respond } from './respond';

export function mailProvidersResource(settings: ProviderSettings, log: Log) {
  return {
    name: 'mailProviders',
    only: ['list', 'get', 'update'],
    actions: {
      list: respond(log, () => settings.list()),
      get: respond(log, (ctx) => settings.get(ctx.action.params.filterByTk)),
      update: respond(log, (ctx) => settings.update(ctx.action.params.filterByTk, ctx.action.params.values)),
    },
  };
}
