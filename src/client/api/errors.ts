// What a failed call to this plugin's API means for the UI: the server answers
// `{ errors: [{ code, message, field? }] }` (see shared/types.ts); anything else becomes a
// MailApiError without a code (network down, host error page …).

export class MailApiError extends Error {
  constructor(
    message: string,
    /** The contract's error code, e.g. one of LINK_ERRORS; absent when the server gave none. */
    readonly code?: string,
    /** HTTP status, when there was a response. */
    readonly status?: number,
    /** The request field the error is about ('clientId', 'options.tenant' …), when the server names one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'MailApiError';
  }
}

interface ErrorBody {
  code?: unknown;
  message?: unknown;
  field?: unknown;
}

interface FailedRequest {
  message?: unknown;
  response?: { status?: number; data?: { errors?: ErrorBody[]; error?: ErrorBody } };
}

const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);

/** Reads `errors[0]` of a failed request (axios error shape); keeps MailApiErrors as they are. */
export function toMailApiError(error: unknown): MailApiError {
  if (error instanceof MailApiError) return error;
  const failed = (error ?? {}) as FailedRequest;
  const body = failed.response?.data;
  const first = Array.isArray(body?.errors) ? body?.errors[0] : body?.error;
  const message = text(first?.message) ?? text(failed.message) ?? 'Request failed';
  return new MailApiError(message, text(first?.code), failed.response?.status, text(first?.field));
}
