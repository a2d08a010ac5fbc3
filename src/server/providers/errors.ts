// Helpers the adapters share to classify and describe library errors without ever reading
// (let alone repeating) the request a library attached to its error.
import type { SendOutcome } from './send-types';
import { RateLimitedError } from './sync-types';
import type { ErrorKind } from './types';

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE',
  'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

type Loose = Record<string, unknown>;

function asRecord(value: unknown): Loose | undefined {
  return value && typeof value === 'object' ? (value as Loose) : undefined;
}

/** The system error code of a transport failure, looking through `cause` chains (fetch wraps them). */
export function networkCode(err: unknown, depth = 0): string | undefined {
  const e = asRecord(err);
  if (!e || depth > 4) return undefined;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'ETIMEDOUT';
  if (e.name === 'FetchError' && e.type === 'system') return typeof e.errno === 'string' ? e.errno : 'ENETWORK';
  if (e.message === 'fetch failed' && !e.cause) return 'ENETWORK';
  return networkCode(e.cause, depth + 1) ?? (e.message === 'fetch failed' ? 'ENETWORK' : undefined);
}

/** HTTP status of the provider's answer, whichever library shape carries it. */
export function httpStatus(err: unknown): number | undefined {
  const e = asRecord(err);
  const response = asRecord(e?.response);
  const status = response?.status ?? e?.statusCode ?? e?.status;
  return typeof status === 'number' && status > 0 ? status : undefined;
}

/**
 * Provider-supplied text is mostly safe (error codes, AADSTS descriptions), but it is still
 * outside input: keep one line and drop the query strings of any URL in it. Not shortened
 * here: callers cut secrets out first and shorten after (oauth/redact.ts), so a cut can
 * never leave half a secret behind.
 */
export function tidy(text: unknown): string | undefined {
  if (typeof text !== 'string' || !text.trim()) return undefined;
  return text.replace(/\s+/g, ' ').trim().replace(/(https?:\/\/[^\s?#]+)[?#]\S*/g, '$1');
}

/**
 * An adapter's own failure (the provider answered something unusable, or could not be
 * reached in a way the library hides). Its message is written by us and safe to show.
 */
export class ProviderFault extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind,
  ) {
    super(message);
    this.name = 'ProviderFault';
  }
}

/** Transport failures that happen before a request can have reached the provider. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * What a failed send means, from the provider's classification of the error: an answer from the
 * provider says for sure that nothing went out; a connection that broke after it was made does
 * not, so that send's fate is unknown and only the user may decide to send it again.
 */
export function sendOutcomeOf(err: unknown, kind: ErrorKind): SendOutcome {
  if (err instanceof RateLimitedError) return 'retry';
  if (err instanceof ProviderFault) return err.kind === 'temporary' ? 'retry' : err.kind === 'reauth' ? 'reauth' : 'rejected';
  const status = httpStatus(err);
  if (status !== undefined) {
    if (status === 401 || kind === 'reauth') return 'reauth';
    return kind === 'temporary' ? 'retry' : 'rejected';
  }
  const code = networkCode(err);
  if (code && NEVER_CONNECTED.has(code)) return 'retry';
  if (kind === 'reauth') return 'reauth';
  return 'unknown';
}
