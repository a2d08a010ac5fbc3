// Errors the plugin answers with. Each has a stable code the client translates, an English
// message that is safe to show and log (it never contains a secret, a code or a token), and an
// HTTP status. actions/respond.ts renders them as `{ errors: [{ code, message }] }`, the shape
// NocoBase's error handler gives a thrown error with a code.
import { LINK_ERRORS, SETTINGS_ERRORS, type LinkErrorCode } from '../shared/types';

export { SETTINGS_ERRORS };

export class MailApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** The request field at fault, for validation errors. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'MailApiError';
  }
}

const LINK_STATUS: Record<LinkErrorCode, number> = {
  [LINK_ERRORS.STATE_MISSING]: 400,
  [LINK_ERRORS.STATE_INVALID]: 400,
  [LINK_ERRORS.STATE_EXPIRED]: 400,
  [LINK_ERRORS.STATE_OTHER_USER]: 403,
  [LINK_ERRORS.CONSENT_DENIED]: 400,
  [LINK_ERRORS.PROVIDER_DISABLED]: 400,
  [LINK_ERRORS.PROVIDER_MISCONFIGURED]: 502,
  [LINK_ERRORS.CODE_REJECTED]: 400,
  [LINK_ERRORS.ADDRESS_MISMATCH]: 400,
  [LINK_ERRORS.NETWORK]: 502,
  [LINK_ERRORS.ACCOUNT_NOT_FOUND]: 404,
  [LINK_ERRORS.INVALID_REDIRECT_URI]: 400,
  [LINK_ERRORS.INVALID_SYNC_FROM]: 400,
};

export function linkError(code: LinkErrorCode, message: string): MailApiError {
  return new MailApiError(code, message, LINK_STATUS[code]);
}

export function invalidSetting(field: string, message: string): MailApiError {
  return new MailApiError(SETTINGS_ERRORS.INVALID, `${field}: ${message}`, 400, field);
}
