// The gate every Gmail route passes, in Google's order: bearer token (401), scope (403),
// userId (403 delegation), per-user quota (403/429), injected faults, then the method itself.
// Routes are wrapped one by one rather than through router.use() because the operation name
// and the scope a method needs belong to the route.
import type { Handler, Mailbox, RequestContext, Router, SandboxState, SandboxUser } from '../core/types';
import { applyFaults } from '../core/faults';
import { toJson } from '../core/json';
import { googleErrorBody, sendGoogleError, sendInsufficientScope, sendUnauthenticated } from './errors';
import { applyFields, parseFields } from './format';
import { admit, costOf } from './quota';

const SCOPE = 'https://www.googleapis.com/auth/gmail.';
export const FULL_SCOPE = 'https://mail.google.com/';

/** Which scopes open a method, by Gmail's documented authorization table. */
export const ACCESS = {
  read: [FULL_SCOPE, `${SCOPE}modify`, `${SCOPE}readonly`, `${SCOPE}metadata`],
  labels: [FULL_SCOPE, `${SCOPE}modify`, `${SCOPE}readonly`, `${SCOPE}metadata`, `${SCOPE}labels`],
  labelsWrite: [FULL_SCOPE, `${SCOPE}modify`, `${SCOPE}labels`],
  modify: [FULL_SCOPE, `${SCOPE}modify`],
  compose: [FULL_SCOPE, `${SCOPE}modify`, `${SCOPE}compose`],
  send: [FULL_SCOPE, `${SCOPE}modify`, `${SCOPE}compose`, `${SCOPE}send`],
  full: [FULL_SCOPE],
} as const;

export type Access = keyof typeof ACCESS;

export interface GmailCall {
  ctx: RequestContext;
  state: SandboxState;
  user: SandboxUser;
  mailbox: Mailbox;
  scopes: string[];
  /** True when the token holds only gmail.metadata (no bodies, no `q`). */
  metadataOnly: boolean;
  /** Answers 200 with `body`, trimmed to the `fields` mask when one was asked for. */
  ok(body: unknown): void;
  /** The request body as JSON; undefined after answering 400 when it does not parse. */
  json<T = Record<string, unknown>>(): Promise<T | undefined>;
}

export type GmailHandler = (call: GmailCall) => Promise<void> | void;

export function gmailRoute(state: SandboxState, operation: string, access: Access, handler: GmailHandler): Handler {
  return async (ctx) => {
    ctx.operation = operation;
    state.counters.count(operation);
    const token = ctx.bearer() ?? ctx.query.get('access_token') ?? undefined;
    const grant = token ? state.tokens.verify(token) : undefined;
    if (!grant || grant.user.provider !== 'google') return sendUnauthenticated(ctx, !token);
    const user = grant.user;
    ctx.user = user;
    if (!grant.scopes.some((s) => (ACCESS[access] as readonly string[]).includes(s))) return sendInsufficientScope(ctx, ACCESS[access].join(' '));
    const userId = ctx.params.userId;
    if (userId && userId !== 'me' && userId.toLowerCase() !== user.email.toLowerCase()) {
      return sendGoogleError(ctx, 403, `Delegation denied for ${user.email}`, { reason: 'forbidden' });
    }
    const mailbox = state.mailbox(user.email);
    if (!mailbox) return sendGoogleError(ctx, 400, 'Mail service not enabled', { reason: 'failedPrecondition' }, undefined);

    const admission = admit(state, user.email, operation);
    if (!admission.ok) {
      state.counters.limited(operation);
      return ctx.sendJson(admission.status, admission.body);
    }
    try {
      state.counters.units(user.email, costOf(operation));
      if (await applyFaults(ctx, state, 'google', googleErrorBody)) return;
      const fields = ctx.query.get('fields');
      const scopes = grant.scopes;
      const metadataOnly = !scopes.some((s) => s !== `${SCOPE}metadata` && (ACCESS.read as readonly string[]).includes(s));
      await handler({
        ctx,
        state,
        user,
        mailbox,
        scopes,
        metadataOnly,
        // A partial answer picks from the plain tree, stored parts included.
        ok: (body) => ctx.sendJson(200, fields ? applyFields(JSON.parse(toJson(body)), parseFields(fields)) : body),
        json: async <T>() => {
          try {
            return (await ctx.json()) as T;
          } catch {
            sendGoogleError(ctx, 400, 'Invalid JSON payload received. Unexpected token.', { reason: 'parseError' });
            return undefined;
          }
        },
      });
    } finally {
      admission.release();
    }
  };
}

/** Registers one Gmail method under /gmail/v1/users/:userId/… */
export function gmailMethod(router: Router, state: SandboxState) {
  return (method: string, path: string, operation: string, access: Access, handler: GmailHandler) =>
    router.on(method, `/gmail/v1/users/:userId${path}`, gmailRoute(state, operation, access, handler));
}
