// Google's error envelopes. Gmail (like every Google JSON API) answers errors as
// { error: { code, message, errors: [{ message, domain, reason, … }], status } }; the OAuth
// endpoints answer RFC 6749 style { error, error_description } instead.
import type { RequestContext } from '../core/types';

/** The canonical google.rpc status name and the legacy `reason` for each HTTP status. */
const STATUS: Record<number, { status: string; reason: string }> = {
  400: { status: 'INVALID_ARGUMENT', reason: 'badRequest' },
  401: { status: 'UNAUTHENTICATED', reason: 'authError' },
  403: { status: 'PERMISSION_DENIED', reason: 'forbidden' },
  404: { status: 'NOT_FOUND', reason: 'notFound' },
  409: { status: 'ABORTED', reason: 'conflict' },
  412: { status: 'FAILED_PRECONDITION', reason: 'failedPrecondition' },
  413: { status: 'INVALID_ARGUMENT', reason: 'uploadTooLarge' },
  429: { status: 'RESOURCE_EXHAUSTED', reason: 'rateLimitExceeded' },
  500: { status: 'INTERNAL', reason: 'backendError' },
  502: { status: 'UNAVAILABLE', reason: 'backendError' },
  503: { status: 'UNAVAILABLE', reason: 'backendError' },
  504: { status: 'DEADLINE_EXCEEDED', reason: 'backendError' },
};

export interface ErrorItem {
  message?: string;
  domain?: string;
  reason?: string;
  location?: string;
  locationType?: string;
}

export function googleError(code: number, message: string, item: ErrorItem = {}, status?: string) {
  const known = STATUS[code] || { status: code >= 500 ? 'INTERNAL' : 'UNKNOWN', reason: code >= 500 ? 'backendError' : 'unknown' };
  return {
    error: {
      code,
      message,
      errors: [{ message: item.message ?? message, domain: item.domain ?? 'global', reason: item.reason ?? known.reason, ...(item.location ? { location: item.location, locationType: item.locationType } : {}) }],
      status: status ?? known.status,
    },
  };
}

/** The body the fault injector uses for a Gmail route (what Google sends for that status). */
export function googleErrorBody(status: number, message: string) {
  if (status === 503) return googleError(503, 'The service is currently unavailable.');
  if (status === 500) return googleError(500, 'Internal error encountered.');
  if (status === 429) return googleError(429, 'Too many concurrent requests for user.');
  if (status === 403) return googleError(403, 'User Rate Limit Exceeded', { domain: 'usageLimits', reason: 'userRateLimitExceeded' });
  return googleError(status, message);
}

export function sendGoogleError(ctx: RequestContext, code: number, message: string, item?: ErrorItem, headers?: Record<string, string>) {
  ctx.sendJson(code, googleError(code, message, item), headers);
}

export const notFound = (ctx: RequestContext) => sendGoogleError(ctx, 404, 'Requested entity was not found.');
export const badRequest = (ctx: RequestContext, message: string, reason = 'invalidArgument') => sendGoogleError(ctx, 400, message, { reason });

const DEVCONSOLE = 'See https://developers.google.com/identity/sign-in/web/devconsole-project.';

/** 401 for a missing token ("Login Required") or a bad one ("Invalid Credentials"), as Gmail sends them. */
export function sendUnauthenticated(ctx: RequestContext, missing: boolean) {
  const message = missing
    ? `Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. ${DEVCONSOLE}`
    : `Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. ${DEVCONSOLE}`;
  const item = missing
    ? { message: 'Login Required.', reason: 'required', location: 'Authorization', locationType: 'header' }
    : { message: 'Invalid Credentials', reason: 'authError', location: 'Authorization', locationType: 'header' };
  ctx.sendJson(401, googleError(401, message, item), {
    'www-authenticate': missing ? 'Bearer realm="https://accounts.google.com/"' : 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
  });
}

export function sendInsufficientScope(ctx: RequestContext, scopeNeeded: string) {
  const body = googleError(403, 'Request had insufficient authentication scopes.', { message: 'Insufficient Permission', reason: 'insufficientPermissions' });
  ctx.sendJson(403, {
    error: {
      ...body.error,
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', domain: 'googleapis.com', metadata: { service: 'gmail.googleapis.com' } }],
    },
  }, { 'www-authenticate': `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${scopeNeeded}"` });
}

/** RFC 6749 error of the token, revoke and userinfo endpoints. */
export function sendOAuthError(ctx: RequestContext, status: number, error: string, description: string) {
  ctx.sendJson(status, { error, error_description: description }, { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', pragma: 'no-cache' });
}
