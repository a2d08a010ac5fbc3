// Gmail's "slow down" answers, turned into the port's RateLimitedError: 429 (too many concurrent
// requests) and 403 with reason userRateLimitExceeded / rateLimitExceeded (quota window full).
// Every other failure is left as it is, for classifyGoogleError.
import { httpStatus } from '../errors';
import { RateLimitedError } from '../sync-types';

/** 429 means requests in flight; they finish within seconds. */
export const CONCURRENCY_RETRY_MS = 5_000;
/** A full per-minute window empties within 60 s; half of that, and the engine backs off further if it repeats. */
export const QUOTA_RETRY_MS = 30_000;

const RATE_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded']);

type HeaderLookup = (name: string) => string | null | undefined;

/**
 * An answer the adapter read itself (the batch endpoint and its parts) that Gmail refused. It
 * has the shape of a library error (`response.status` / `response.data`), so the provider's
 * classifyError and describeError read it as they read GaxiosErrors.
 */
export class GmailHttpError extends Error {
  readonly response: { status: number; data: unknown; headers: Record<string, string> };

  constructor(what: string, status: number, data: unknown, headers: Record<string, string> = {}) {
    super(`${what} answered HTTP ${status}`);
    this.name = 'GmailHttpError';
    this.response = { status, data, headers };
  }
}

function reasonOf(data: unknown): { reason?: string; message?: string } {
  const error = (data as { error?: { message?: unknown; errors?: Array<{ reason?: unknown }>; details?: Array<{ reason?: unknown }> } } | undefined)?.error;
  if (!error || typeof error !== 'object') return {};
  const reason = error.errors?.[0]?.reason ?? error.details?.[0]?.reason;
  return { reason: typeof reason === 'string' ? reason : undefined, message: typeof error.message === 'string' ? error.message : undefined };
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 10.2.3). */
function retryAfterHeader(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Gmail's quota 403 names the moment itself: "User-rate limit exceeded.  Retry after 2024-05-01T10:00:00.000Z". */
function retryAfterMessage(message: string | undefined, now: number): number | undefined {
  const match = message && /Retry after (\d{4}-\d{2}-\d{2}T[\d:.]+Z)/i.exec(message);
  if (!match) return undefined;
  const at = Date.parse(match[1]);
  return Number.isNaN(at) || at <= now ? undefined : at - now;
}

/** The RateLimitedError for an answer, or undefined when the answer is not a rate limit. */
export function rateLimitFrom(status: number | undefined, data: unknown, header: HeaderLookup, now = Date.now()): RateLimitedError | undefined {
  const { reason, message } = reasonOf(data);
  const limited = status === 429 || (status === 403 && reason !== undefined && RATE_REASONS.has(reason));
  if (!limited) return undefined;
  const wait = retryAfterHeader(header('retry-after'), now) ?? retryAfterMessage(message, now) ?? (status === 429 ? CONCURRENCY_RETRY_MS : QUOTA_RETRY_MS);
  return new RateLimitedError(wait, `Gmail rate limit (HTTP ${status}${reason ? ` ${reason}` : ''})`);
}

function headerLookup(headers: unknown): HeaderLookup {
  if (headers && typeof (headers as Headers).get === 'function') return (name) => (headers as Headers).get(name);
  const record = (headers ?? {}) as Record<string, unknown>;
  return (name) => {
    const key = Object.keys(record).find((k) => k.toLowerCase() === name);
    const value = key === undefined ? undefined : record[key];
    return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
  };
}

/** A thrown library (gaxios) or adapter error as a RateLimitedError, when it is one. */
export function rateLimitOf(err: unknown): RateLimitedError | undefined {
  if (err instanceof RateLimitedError) return err;
  const response = (err as { response?: { data?: unknown; headers?: unknown } } | undefined)?.response;
  if (!response) return undefined;
  return rateLimitFrom(httpStatus(err), response.data, headerLookup(response.headers));
}
