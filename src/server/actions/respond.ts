// Runs an action and answers for it. A MailApiError becomes `{ errors: [{ code, message }] }`
// with its status, the shape NocoBase's error handler (plugin-error-handler) gives any thrown
// error with a code, rendered here so that it is the same with or without that plugin and so
// that nothing but our own safe message can reach the answer or the log.
import type { Context, Next } from '@nocobase/actions';
import { INTERNAL_ERROR } from '../../shared/types';
import { MailApiError } from '../errors';
import type { Log } from '../log';

export type Handler = (ctx: Context, next: Next) => Promise<void>;

export function currentUserId(ctx: Context): number | string {
  const id = ctx.auth?.user?.id ?? ctx.state?.currentUser?.id;
  if (id === undefined || id === null) throw new MailApiError('E_UNAUTHENTICATED', 'Sign in first.', 401);
  return id;
}

function render(ctx: Context, status: number, error: { code: string; message: string; field?: string }) {
  ctx.withoutDataWrapping = true;
  ctx.status = status;
  ctx.body = { errors: [error] };
}

export function respond(log: Log, run: (ctx: Context) => Promise<unknown>): Handler {
  return async (ctx, next) => {
    try {
      const result = await run(ctx);
      ctx.body = result;
    } catch (err) {
      if (err instanceof MailApiError) {
        render(ctx, err.status, { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) });
      } else {
        // Unexpected (a database failure, a bug): the details go to the server log only.
        log.error('email manager action failed', { action: `${ctx.action?.resourceName}:${ctx.action?.actionName}`, error: (err as Error)?.message, stack: (err as Error)?.stack });
        render(ctx, 500, { code: INTERNAL_ERROR, message: 'The email manager failed to handle this request; the server log has the details.' });
      }
      return;
    }
    await next();
  };
}
