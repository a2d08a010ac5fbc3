// mailAccounts actions are open to every signed-in user and scope themselves to that user.
// A role's data strategy must not interfere: where NocoBase applies strategies to every
// resource (no collection registered as a strategy resource), `view:own` would add a
// createdById filter this collection does not have and refuse the request, and a
// `destroy:own` check would answer 403 for another user's account where the plugin answers
// 404. So, once the allow rule has let the request through, the strategy's result is dropped.
import type { Context, Next } from '@nocobase/actions';

export function ignoreRoleStrategyFor(resources: string[]) {
  return async function emailManagerOwnScope(ctx: Context, next: Next) {
    const permission = ctx.permission as { skip?: boolean; can?: unknown; resourceName?: string } | undefined;
    if (permission?.skip && resources.includes(ctx.action?.resourceName)) permission.can = null;
    await next();
  };
}

/**
 * The plugin's collections are reached only through the plugin's own actions, which check the
 * owner. NocoBase would otherwise give every collection the generic list/get/… actions and
 * association resources (mailMessages.account …), governed only by the role's data strategy:
 * a role set to "view all data" would read everyone's mail. `open` names what may be called.
 */
export function closeRawResources(collections: readonly string[], open: Record<string, readonly string[]>) {
  const ours = new Set(collections);
  return async function emailManagerClosedResources(ctx: Context, next: Next) {
    const resource: string = ctx.action?.resourceName || '';
    if (ours.has(resource.split('.')[0]) && !open[resource]?.includes(ctx.action.actionName)) {
      ctx.withoutDataWrapping = true;
      ctx.status = 404;
      ctx.body = { errors: [{ code: 'E_NOT_FOUND', message: `${resource}:${ctx.action.actionName} does not exist` }] };
      return;
    }
    await next();
  };
}
