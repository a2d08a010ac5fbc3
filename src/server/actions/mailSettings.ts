// mailSettings:get|save: the email manager's own settings (the sync interval, the roles that may
// read all mail), admins only like the provider settings. "save", not "update": NocoBase demands
// a filterByTk for any "update", and this is a single record.
import type { Log } from '../log';
import type { MailSettings } from '../settings/mail-settings';
import { requireMailAdmin } from './admin';
import { respond } from './respond';

export const SETTINGS_ACTIONS = ['get', 'save'];

export function mailSettingsResource(settings: MailSettings, log: Log) {
  return {
    name: 'mailSettings',
    only: SETTINGS_ACTIONS,
    actions: {
      get: respond(log, async (ctx) => {
        requireMailAdmin(ctx);
        return settings.get();
      }),
      save: respond(log, async (ctx) => {
        requireMailAdmin(ctx);
        return settings.update(ctx.action.params.values);
      }),
    },
  };
}
