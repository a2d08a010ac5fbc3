// NocoBase's request logger writes each action's params (request body included) to the
// request log when the response is sent, and the audit log can keep the body too. Both run
// outside the action, so this middleware, placed inside them, blanks the secret fields once
// the action is done: the client secret of mailProviders:update and the code of the OAuth
// callback never reach a log.
import type { Context, Next } from '@nocobase/actions';

const SECRET_PARAMS: Record<string, string[]> = {
  'mailProviders:update': ['clientSecret'],
  'mailAccounts:callback': ['code', 'state'],
};

function blank(target: unknown, fields: string[]) {
  if (!target || typeof target !== 'object') return;
  const record = target as Record<string, unknown>;
  for (const field of fields) if (record[field] !== undefined && record[field] !== '') record[field] = '[redacted]';
}

export function redactSecretParams() {
  return async function emailManagerRedactParams(ctx: Context, next: Next) {
    try {
      await next();
    } finally {
      const action = ctx.action;
      const fields = action && SECRET_PARAMS[`${action.resourceName}:${action.actionName}`];
      if (fields) {
        blank(action.params?.values, fields);
        blank((ctx.request as { body?: unknown } | undefined)?.body, fields);
      }
    }
  };
}
