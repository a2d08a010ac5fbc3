// Gmail's and Google OAuth's failures, classified and described from the answer's status and
// error code only. A GaxiosError also carries `config` (the request, with the client secret
// and the authorization code in its body): nothing here reads it.
import type { ErrorKind } from '../types';
import { httpStatus, networkCode, ProviderFault, tidy } from '../errors';
import { CursorExpiredError, RateLimitedError } from '../sync-types';

const CONFIG_ERRORS = new Set(['invalid_client', 'unauthorized_client', 'redirect_uri_mismatch', 'deleted_client', 'disabled_client', 'invalid_scope', 'org_internal', 'admin_policy_enforced']);
const TEMPORARY_ERRORS = new Set(['temporarily_unavailable', 'internal_failure', 'rate_limit_exceeded', 'server_error']);
const TEMPORARY_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded', 'quotaExceeded', 'backendError', 'internalError']);
const REAUTH_REASONS = new Set(['insufficientPermissions', 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', 'authError']);

interface GoogleAnswer {
  status?: number;
  /** OAuth endpoints: `{ error: 'invalid_grant', error_description }`. */
  oauthError?: string;
  description?: string;
  /** JSON APIs: `{ error: { code, message, errors: [{ reason }], status } }`. */
  reason?: string;
  apiStatus?: string;
}

function answerOf(err: unknown): GoogleAnswer {
  const response = (err as { response?: { data?: unknown } } | undefined)?.response;
  const data = response?.data as Record<string, unknown> | undefined;
  const answer: GoogleAnswer = { status: httpStatus(err) };
  if (!data || typeof data !== 'object') return answer;
  if (typeof data.error === 'string') {
    answer.oauthError = data.error;
    answer.description = typeof data.error_description === 'string' ? data.error_description : undefined;
  } else if (data.error && typeof data.error === 'object') {
    const api = data.error as { message?: unknown; status?: unknown; errors?: Array<{ reason?: unknown }>; details?: Array<{ reason?: unknown }> };
    answer.description = typeof api.message === 'string' ? api.message : undefined;
    answer.apiStatus = typeof api.status === 'string' ? api.status : undefined;
    const reason = api.errors?.[0]?.reason ?? api.details?.[0]?.reason;
    answer.reason = typeof reason === 'string' ? reason : undefined;
  }
  return answer;
}

export function classifyGoogleError(err: unknown): ErrorKind {
  if (err instanceof ProviderFault) return err.kind;
  // The sync adapter's own signals: nothing is wrong with the grant, the engine waits or resyncs.
  if (err instanceof RateLimitedError || err instanceof CursorExpiredError) return 'temporary';
  const a = answerOf(err);
  if (a.oauthError) {
    if (a.oauthError === 'invalid_grant') return 'reauth';
    if (CONFIG_ERRORS.has(a.oauthError)) return 'config';
    if (TEMPORARY_ERRORS.has(a.oauthError) || (a.status !== undefined && a.status >= 500)) return 'temporary';
    return 'rejected';
  }
  if (a.status === 401) return 'reauth';
  if (a.status === 403) {
    if (a.reason && TEMPORARY_REASONS.has(a.reason)) return 'temporary';
    if (a.reason && REAUTH_REASONS.has(a.reason)) return 'reauth';
    return 'rejected';
  }
  if (a.status === 429 || (a.status !== undefined && a.status >= 500)) return 'temporary';
  if (a.status === undefined && networkCode(err)) return 'temporary';
  return 'rejected';
}

export function describeGoogleError(err: unknown): string {
  if (err instanceof ProviderFault || err instanceof RateLimitedError || err instanceof CursorExpiredError) return err.message;
  const a = answerOf(err);
  if (a.oauthError) {
    const description = tidy(a.description);
    return `Google answered ${a.status ?? ''} ${a.oauthError}${description ? `: ${description}` : ''}`.replace(/\s+/g, ' ');
  }
  if (a.status !== undefined) {
    const what = [a.apiStatus, a.reason].filter(Boolean).join(' ');
    const description = tidy(a.description);
    return `Google answered HTTP ${a.status}${what ? ` ${what}` : ''}${description ? `: ${description}` : ''}`;
  }
  const network = networkCode(err);
  if (network) return `Google could not be reached (${network})`;
  return 'The request to Google failed';
}
