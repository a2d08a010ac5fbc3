// Entra ID (msal-node) and Microsoft Graph failures, classified and described from their error
// codes and statuses only. msal errors never carry the request; Graph errors carry the
// response. Neither is logged as is.
import { GraphError } from '@microsoft/microsoft-graph-client';
import { CursorExpiredError, RateLimitedError } from '../sync-types';
import type { ErrorKind } from '../types';
import { httpStatus, networkCode, ProviderFault, tidy } from '../errors';

const REAUTH_CODES = new Set(['invalid_grant', 'interaction_required', 'consent_required', 'login_required', 'bad_token', 'no_tokens_found']);
const CONFIG_CODES = new Set(['invalid_client', 'unauthorized_client', 'invalid_resource', 'invalid_scope', 'untrusted_authority', 'invalid_authority_metadata', 'authority_uri_insecure', 'url_parse_error', 'invalid_cloud_discovery_metadata']);
const TEMPORARY_CODES = new Set(['temporarily_unavailable', 'network_error', 'no_network_connectivity']);
const GRAPH_TEMPORARY = new Set(['ServiceNotAvailable', 'ApplicationThrottled', 'TooManyRequests', 'activityLimitReached', 'MailboxConcurrency', 'generalException']);
const GRAPH_REAUTH = new Set(['InvalidAuthenticationToken', 'ErrorAccessDenied', 'Authorization_RequestDenied', 'AuthenticationError']);

interface MsalLike {
  errorCode?: string;
  errorMessage?: string;
  subError?: string;
  status?: number;
}

interface GraphLike {
  statusCode?: number;
  code?: string | null;
  message?: string;
}

const isMsal = (err: unknown): err is MsalLike => typeof (err as MsalLike)?.errorCode === 'string';
// The library's GraphError keeps Error's name ('Error'), so it is recognised by class; the name
// check covers a copy of the library bundled elsewhere.
const isGraph = (err: unknown): err is GraphLike =>
  typeof (err as GraphLike)?.statusCode === 'number' && (err instanceof GraphError || (err as Error).constructor?.name === 'GraphError');

export function classifyMicrosoftError(err: unknown): ErrorKind {
  if (err instanceof ProviderFault) return err.kind;
  // The sync port's own errors: the engine handles them first; if asked, both pass with time.
  if (err instanceof RateLimitedError || err instanceof CursorExpiredError) return 'temporary';
  if (isMsal(err)) {
    const code = err.errorCode as string;
    if (REAUTH_CODES.has(code) || (err.subError && REAUTH_CODES.has(err.subError))) return 'reauth';
    if (CONFIG_CODES.has(code) || (err as Error).name === 'ClientConfigurationError') return 'config';
    if (TEMPORARY_CODES.has(code) || (err.status !== undefined && err.status >= 500) || err.status === 429) return 'temporary';
    return 'rejected';
  }
  if (isGraph(err)) {
    const status = err.statusCode as number;
    if (status === 401 || (status === 403 && err.code && GRAPH_REAUTH.has(err.code))) return 'reauth';
    if (status === 429 || status >= 500 || (err.code && GRAPH_TEMPORARY.has(err.code))) return 'temporary';
    if (status <= 0) return networkCode(err) ? 'temporary' : 'rejected';
    return 'rejected';
  }
  const status = httpStatus(err);
  if (status === undefined && networkCode(err)) return 'temporary';
  if (status !== undefined && (status >= 500 || status === 429)) return 'temporary';
  return 'rejected';
}

export function describeMicrosoftError(err: unknown): string {
  if (err instanceof ProviderFault || err instanceof RateLimitedError || err instanceof CursorExpiredError) return err.message;
  if (isMsal(err)) {
    const detail = tidy(err.errorMessage);
    return `Microsoft answered ${err.errorCode}${err.subError ? ` (${err.subError})` : ''}${detail ? `: ${detail}` : ''}`;
  }
  if (isGraph(err)) {
    if ((err.statusCode as number) <= 0) return `Microsoft Graph could not be reached (${networkCode(err) ?? 'ENETWORK'})`;
    const detail = tidy(err.message);
    return `Microsoft Graph answered HTTP ${err.statusCode}${err.code ? ` ${err.code}` : ''}${detail ? `: ${detail}` : ''}`;
  }
  const network = networkCode(err);
  if (network) return `Microsoft could not be reached (${network})`;
  return 'The request to Microsoft failed';
}
