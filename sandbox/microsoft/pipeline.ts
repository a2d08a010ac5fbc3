// Every Graph route runs through here: bearer token → user and operation → scope check →
// counters → mailbox throttling (when on) → injected faults → the handler, whose request body is
// limited to 4 MB. Handlers throw GraphError; this turns it into Graph's error body with request ids.
import { randomUUID } from 'node:crypto';
import { limitBody } from '../core/body';
import { applyFaults } from '../core/faults';
import { HistoryExpiredError } from '../core/types';
import type { Mailbox, RequestContext, Router, SandboxState, SandboxUser } from '../core/types';
import { GraphError, faultErrorBody, graphErrorBody } from './errors';
import { REQUEST_LIMIT, requestTooLarge } from './limits';
import { allows, type Permission } from './scopes';
import { MailboxThrottle } from './throttle';

export const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const WWW_AUTHENTICATE = 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

export interface GraphContext {
  state: SandboxState;
  user: SandboxUser;
  mailbox: Mailbox;
  clientId: string;
  requestId: string;
  /** https://host:port */
  baseUrl: string;
  /** Absolute URL of the addressed user (`…/v1.0/me` or `…/v1.0/users/{id}`), for links. */
  root: string;
  json(status: number, body: unknown, headers?: Record<string, string>): void;
  send(status: number, body?: string | Buffer, headers?: Record<string, string>): void;
}

export type GraphHandler = (ctx: RequestContext, g: GraphContext) => Promise<void> | void;

/** The user a bearer token stands for, or the 401 Graph answers. */
export function authenticate(ctx: RequestContext, state: SandboxState) {
  const token = ctx.bearer();
  if (!token) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.', { 'www-authenticate': WWW_AUTHENTICATE });
  const grant = state.tokens.verify(token);
  if (!grant || grant.user.provider !== 'microsoft') {
    throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.', { 'www-authenticate': WWW_AUTHENTICATE });
  }
  return grant;
}

export function responder(ctx: RequestContext) {
  const requestId = randomUUID();
  const clientRequestId = String(ctx.req.headers['client-request-id'] || requestId);
  const ids = { 'request-id': requestId, 'client-request-id': clientRequestId };
  return {
    requestId,
    json: (status: number, body: unknown, headers: Record<string, string> = {}) => ctx.sendJson(status, body, { 'content-type': GRAPH_JSON, ...ids, ...headers }),
    send: (status: number, body?: string | Buffer, headers: Record<string, string> = {}) => ctx.send(status, body, { ...ids, ...headers }),
    fail(err: unknown) {
      const e = toGraphError(err);
      ctx.sendJson(e.status, graphErrorBody(e.code, e.message, requestId), { 'content-type': GRAPH_JSON, ...ids, ...e.headers });
    },
  };
}

function toGraphError(err: unknown): GraphError {
  if (err instanceof GraphError) return err;
  if (err instanceof HistoryExpiredError) return new GraphError(410, 'SyncStateNotFound', `The sync state generation is not found; generation=${err.seq}.`);
  if (err instanceof SyntaxError) return new GraphError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  return new GraphError(500, 'UnknownError', (err as Error)?.message || 'An internal server error occurred.');
}

export class GraphApi {
  readonly throttle = new MailboxThrottle();
  /** Switching quota on starts a fresh 10-minute window, as a test that turns it on expects. */
  private quotaWasOn = false;

  constructor(
    private readonly router: Router,
    private readonly state: SandboxState,
    readonly baseUrl: string,
  ) {}

  /** Registers `subpath` under both /v1.0/me and /v1.0/users/{id | userPrincipalName}. */
  route(method: string, subpath: string, operation: string, permission: Permission, handler: GraphHandler) {
    for (const prefix of ['/v1.0/me', '/v1.0/users/:userId']) this.router.on(method, prefix + subpath, this.wrap(operation, permission, handler));
  }

  private wrap(operation: string, permission: Permission, handler: GraphHandler) {
    const state = this.state;
    return async (ctx: RequestContext) => {
      const r = responder(ctx);
      ctx.operation = operation;
      state.counters.count(operation);
      // Bodies over 4 MB answer 413 when the handler reads them.
      limitBody(ctx, REQUEST_LIMIT, requestTooLarge);
      try {
        const grant = authenticate(ctx, state);
        const user = grant.user;
        ctx.user = user;
        const addressed = ctx.params.userId;
        if (addressed && addressed.toLowerCase() !== user.id.toLowerCase() && addressed.toLowerCase() !== user.email.toLowerCase()) {
          // Delegated tokens reach only their own mailbox (no shared-mailbox grants here).
          throw new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
        }
        if (!allows(grant.scopes, permission)) {
          throw permission === 'user'
            ? new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.')
            : new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
        }
        const mailbox = state.mailbox(user.email);
        if (!mailbox) throw new GraphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
        state.counters.units(user.email, 1);
        let release: (() => void) | undefined;
        if (state.quota.microsoft && !this.quotaWasOn) this.throttle.reset();
        this.quotaWasOn = state.quota.microsoft;
        if (state.quota.microsoft) {
          const admission = this.throttle.acquire(`${grant.clientId}|${user.email.toLowerCase()}`);
          if (!admission.ok) {
            state.counters.limited(operation);
            const message = admission.reason === 'concurrency' ? 'Application is over its MailboxConcurrency limit.' : 'Application is over its resource limit.';
            throw new GraphError(429, 'ApplicationThrottled', message, { 'retry-after': String(admission.retryAfter) });
          }
          release = admission.release;
        }
        try {
          if (await applyFaults(ctx, state, 'microsoft', faultErrorBody)) return;
          const root = `${this.baseUrl}/v1.0/${addressed ? `users/${encodeURIComponent(addressed)}` : 'me'}`;
          await handler(ctx, { state, user, mailbox, clientId: grant.clientId, requestId: r.requestId, baseUrl: this.baseUrl, root, json: r.json, send: r.send });
        } finally {
          release?.();
        }
      } catch (err) {
        r.fail(err);
      }
    };
  }
}
