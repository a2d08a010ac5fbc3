// Error bodies in the two shapes Microsoft uses: Graph's `{ error: { code, message, innerError } }`
// and Entra ID's OAuth errors with an AADSTS number, trace and correlation ids.
import { randomUUID } from 'node:crypto';

/** Thrown by Graph handlers; the pipeline turns it into a Graph error response. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function graphErrorBody(code: string, message: string, requestId: string = randomUUID()) {
  return {
    error: {
      code,
      message,
      // Graph's innerError carries the request id and a date without a zone designator.
      innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': requestId },
    },
  };
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BadRequest',
  401: 'InvalidAuthenticationToken',
  403: 'ErrorAccessDenied',
  404: 'ErrorItemNotFound',
  409: 'ErrorConflict',
  410: 'SyncStateNotFound',
  429: 'ApplicationThrottled',
  500: 'UnknownError',
  502: 'UnknownError',
  503: 'ServiceNotAvailable',
  504: 'UnknownError',
};

/** The body a fault rule answers with when it names only a status (see core/faults.ts). */
export function faultErrorBody(status: number, message: string) {
  return graphErrorBody(CODE_BY_STATUS[status] || 'UnknownError', message);
}

export const notFound = () => new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
export const badRequest = (message: string, code = 'BadRequest') => new GraphError(400, code, message);

/** Entra ID's token-endpoint error: `AADSTS<n>: <text>` plus trace, correlation and timestamp. */
export function aadError(baseUrl: string, error: string, code: number, text: string, correlationId?: string, suberror?: string) {
  const traceId = randomUUID();
  const correlation = correlationId || randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
  return {
    error,
    error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `${baseUrl}/error?code=${code}`,
    ...(suberror ? { suberror } : {}),
  };
}
