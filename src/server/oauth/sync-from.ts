// The first sync's start, chosen when linking: a date, "everything", or by default one month
// back. Checked when linking starts, so a bad value fails before the user sees a consent page.
import { DEFAULT_SYNC_MONTHS, LINK_ERRORS, SYNC_FROM_ALL } from '../../shared/types';
import { linkError } from '../errors';

const DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** What the state row keeps: an ISO time, or 'all'. */
export function parseSyncFrom(value: unknown, now = new Date()): string {
  if (value === undefined || value === null || value === '') {
    const from = new Date(now);
    from.setUTCMonth(from.getUTCMonth() - DEFAULT_SYNC_MONTHS);
    return from.toISOString();
  }
  if (value === SYNC_FROM_ALL) return SYNC_FROM_ALL;
  const text = typeof value === 'string' ? value.trim() : '';
  // A bare date is midnight UTC: the providers' date filters are UTC too.
  const at = DATE.test(text) ? new Date(text.length === 10 ? `${text}T00:00:00Z` : text) : new Date(NaN);
  if (Number.isNaN(at.getTime())) {
    throw linkError(LINK_ERRORS.INVALID_SYNC_FROM, `syncFrom must be a date such as 2026-01-31, or "${SYNC_FROM_ALL}"`);
  }
  if (at.getTime() > now.getTime()) throw linkError(LINK_ERRORS.INVALID_SYNC_FROM, 'syncFrom is in the future: no mail would be synced');
  return at.toISOString();
}

/** The account's `syncFrom` column: null syncs everything. */
export function syncFromColumn(stored: string | null | undefined): Date | null {
  if (!stored || stored === SYNC_FROM_ALL) return null;
  return new Date(stored);
}
