// Gmail's per-user limits, enforced when state.quota.google is on.
//
// Units: the published per-method costs (developers.google.com/gmail/api/reference/quota)
// against 15,000 units per user per minute, kept as a rolling 60-second window. Over it,
// Gmail answers 403 userRateLimitExceeded ("User-rate limit exceeded.  Retry after …").
//
// Concurrency: Gmail also limits requests in flight per user ("Too many concurrent requests
// for user.", 429 rateLimitExceeded). Google does not publish the number; client reports put
// the threshold around ten parallel calls, so the sandbox allows 10. A batch request holds no
// slot of its own: its parts run one after another and each holds one while it runs.
import type { SandboxState } from '../core/types';
import { googleError } from './errors';

export const UNITS_PER_MINUTE = 15000;
export const CONCURRENT_PER_USER = 10;
const WINDOW_MS = 60_000;

/** Published per-method costs; operation names are the discovery ids (gmail.users.messages.get). */
export const GMAIL_COSTS: Record<string, number> = {
  'gmail.users.getProfile': 1,
  'gmail.users.drafts.create': 10,
  'gmail.users.drafts.delete': 10,
  'gmail.users.drafts.get': 5,
  'gmail.users.drafts.list': 5,
  'gmail.users.drafts.send': 100,
  'gmail.users.drafts.update': 15,
  'gmail.users.history.list': 2,
  'gmail.users.labels.create': 5,
  'gmail.users.labels.delete': 5,
  'gmail.users.labels.get': 1,
  'gmail.users.labels.list': 1,
  'gmail.users.labels.update': 5,
  'gmail.users.messages.attachments.get': 5,
  'gmail.users.messages.batchDelete': 50,
  'gmail.users.messages.batchModify': 50,
  'gmail.users.messages.delete': 10,
  'gmail.users.messages.get': 5,
  'gmail.users.messages.import': 25,
  'gmail.users.messages.insert': 25,
  'gmail.users.messages.list': 5,
  'gmail.users.messages.modify': 5,
  'gmail.users.messages.send': 100,
  'gmail.users.messages.trash': 5,
  'gmail.users.messages.untrash': 5,
  'gmail.users.threads.delete': 20,
  'gmail.users.threads.get': 10,
  'gmail.users.threads.list': 10,
  'gmail.users.threads.modify': 10,
  'gmail.users.threads.trash': 10,
  'gmail.users.threads.untrash': 10,
};

export function costOf(operation: string): number {
  return GMAIL_COSTS[operation] ?? 1;
}

interface UserLedger {
  spent: { at: number; units: number }[];
  total: number;
  inFlight: number;
}

const ledgers = new WeakMap<SandboxState, Map<string, UserLedger>>();

function ledgerOf(state: SandboxState, email: string): UserLedger {
  let users = ledgers.get(state);
  if (!users) ledgers.set(state, (users = new Map()));
  const key = email.toLowerCase();
  let ledger = users.get(key);
  if (!ledger) users.set(key, (ledger = { spent: [], total: 0, inFlight: 0 }));
  return ledger;
}

function prune(ledger: UserLedger, now: number) {
  while (ledger.spent.length && ledger.spent[0].at <= now - WINDOW_MS) ledger.total -= (ledger.spent.shift() as { units: number }).units;
}

/** When enough of the window will have rolled off for `cost` more units to fit. */
function retryAt(ledger: UserLedger, cost: number): number {
  let total = ledger.total;
  for (const entry of ledger.spent) {
    total -= entry.units;
    if (total + cost <= UNITS_PER_MINUTE) return entry.at + WINDOW_MS;
  }
  return Date.now() + WINDOW_MS;
}

export type Admission = { ok: true; release: () => void } | { ok: false; status: number; body: unknown };

/** Takes a concurrency slot and charges the window, or says which limit refused the call. */
export function admit(state: SandboxState, email: string, operation: string, now = Date.now()): Admission {
  if (!state.quota.google) {
    // Switching enforcement off forgets the window, so switching it on starts clean.
    ledgers.get(state)?.delete(email.toLowerCase());
    return { ok: true, release: () => undefined };
  }
  const ledger = ledgerOf(state, email);
  if (ledger.inFlight >= CONCURRENT_PER_USER) {
    return { ok: false, status: 429, body: googleError(429, 'Too many concurrent requests for user.', { reason: 'rateLimitExceeded' }) };
  }
  prune(ledger, now);
  const cost = costOf(operation);
  if (ledger.total + cost > UNITS_PER_MINUTE) {
    const message = `User-rate limit exceeded.  Retry after ${new Date(retryAt(ledger, cost)).toISOString()}`;
    return { ok: false, status: 403, body: googleError(403, message, { domain: 'usageLimits', reason: 'userRateLimitExceeded' }) };
  }
  ledger.spent.push({ at: now, units: cost });
  ledger.total += cost;
  ledger.inFlight += 1;
  let released = false;
  return {
    ok: true,
    release: () => {
      if (released) return;
      released = true;
      ledger.inFlight -= 1;
    },
  };
}
