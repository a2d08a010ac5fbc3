// Gmail's per-user quota, spent on purpose instead of discovered through 403s. Gmail allows
// 15,000 quota units per user per minute (developers.google.com/gmail/api/reference/quota) and
// charges each method a fixed number of units. One token bucket per mailbox, in units, paces
// every call the adapter makes for that mailbox, whichever sync stage or concurrent call makes it.
import type { SyncPacing } from '../sync-types';

/** Published per-method costs of the calls the sync adapter makes. */
export const GMAIL_COST = {
  getProfile: 1,
  labelsList: 1,
  historyList: 2,
  messagesList: 5,
  messagesGet: 5,
  messagesBatchModify: 50,
  attachmentsGet: 5,
  messagesSend: 100,
} as const;

export const GMAIL_UNITS_PER_MINUTE = 15_000;

/** 95 % of the 250 units/s the per-minute quota averages to: 237.5 units/s, ≈ 47.5 messages.get/s. */
export const GMAIL_UNITS_PER_SECOND = (GMAIL_UNITS_PER_MINUTE / 60) * 0.95;

/**
 * The burst a rested mailbox may spend at once: one batch of 100 messages.get. Any 60-second
 * window then holds at most 500 + 60 × 237.5 = 14,750 units, under Gmail's 15,000 even when
 * Google counts the minute as a rolling window.
 */
export const GMAIL_BURST_UNITS = 500;

export interface TokenBucketOptions {
  /** Units added per second. */
  ratePerSecond: number;
  /** Bucket size: the most a rested mailbox may spend at once. */
  burst: number;
  /** Clock, for tests. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** What the Gmail adapter needs from a pacer: the port's acquire plus a way to honour Retry-After. */
export interface GmailPacing extends SyncPacing {
  acquire(mailbox: string, cost: number, signal?: AbortSignal): Promise<void>;
  /** Gmail said "slow down" for this mailbox: nothing new starts for `ms`. */
  penalize(mailbox: string, ms: number): void;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A token bucket per mailbox that lets its balance go negative: a call takes its units at once
 * and then waits until the balance is back at zero. Later calls see the debt and queue behind it,
 * so concurrent callers are served in arrival order without a lock, and any window of T seconds
 * starts at most `burst + rate × T` units (for calls no larger than the burst).
 */
export class TokenBucketPacing implements GmailPacing {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(private readonly options: TokenBucketOptions) {
    this.now = options.now ?? (() => Date.now());
  }

  private bucket(mailbox: string): Bucket {
    const key = mailbox.toLowerCase();
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      this.forgetRested(now);
      bucket = { tokens: this.options.burst, at: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.options.ratePerSecond);
    bucket.at = now;
    return bucket;
  }

  /** A full bucket is the same as no bucket: drop those so the map does not grow with every account ever seen. */
  private forgetRested(now: number) {
    if (this.buckets.size < 256) return;
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.options.ratePerSecond >= this.options.burst) this.buckets.delete(key);
    }
  }

  async acquire(mailbox: string, cost: number, signal?: AbortSignal): Promise<void> {
    const bucket = this.bucket(mailbox);
    bucket.tokens -= cost;
    if (bucket.tokens >= 0) return;
    try {
      await sleep((-bucket.tokens / this.options.ratePerSecond) * 1000, signal);
    } catch (err) {
      // A cancelled call gives its units back, so the calls queued behind it are not held up.
      const refunded = this.bucket(mailbox);
      refunded.tokens = Math.min(this.options.burst, refunded.tokens + cost);
      throw err;
    }
  }

  penalize(mailbox: string, ms: number): void {
    const bucket = this.bucket(mailbox);
    bucket.tokens = Math.min(bucket.tokens, -(ms / 1000) * this.options.ratePerSecond);
  }
}

/**
 * A per-user budget of `unitsPerMinute` at 95 %, bursting a thirtieth of it (one batch of 100
 * messages.get at Gmail's 15,000): any 60-second window then starts at most 98 % of the budget.
 */
export function createGmailPacing(now?: () => number, unitsPerMinute: number = GMAIL_UNITS_PER_MINUTE): TokenBucketPacing {
  return new TokenBucketPacing({ ratePerSecond: (unitsPerMinute / 60) * 0.95, burst: (GMAIL_BURST_UNITS * unitsPerMinute) / GMAIL_UNITS_PER_MINUTE, now });
}

/**
 * No client-side budget: for a project whose quota Google raised past what one mailbox can
 * spend, or a local emulator without one. Calls never wait for units; a "slow down" answer
 * (Retry-After) still holds the mailbox's next calls back for as long as Gmail asked.
 */
export class UnpacedGmail implements GmailPacing {
  private readonly holds = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(mailbox: string, _cost: number, signal?: AbortSignal): Promise<void> {
    const key = mailbox.toLowerCase();
    const until = this.holds.get(key);
    if (until === undefined) return;
    const wait = until - this.now();
    if (wait > 0) return sleep(wait, signal);
    this.holds.delete(key);
  }

  penalize(mailbox: string, ms: number): void {
    const key = mailbox.toLowerCase();
    this.holds.set(key, Math.max(this.holds.get(key) ?? 0, this.now() + ms));
  }
}

/**
 * One pacer for the whole process: the engine may build a provider per run, and two runs for
 * the same mailbox (first sync and a manual refresh) must still share one budget.
 */
export const sharedGmailPacing = createGmailPacing();

const pacersByBudget = new Map<number, GmailPacing>([[GMAIL_UNITS_PER_MINUTE, sharedGmailPacing]]);

/**
 * The process-wide pacer for a per-user budget in units per minute (plugin option
 * `gmailQuotaUnitsPerMinute`): Gmail's 15,000 when unset; 0 or Infinity for no client-side
 * pacing. Providers with the same budget share one pacer, so each mailbox has one budget.
 */
export function gmailPacingFor(unitsPerMinute?: number | null): GmailPacing {
  let units = unitsPerMinute === undefined || unitsPerMinute === null ? GMAIL_UNITS_PER_MINUTE : Number(unitsPerMinute);
  if (units === Infinity) units = 0;
  if (!Number.isFinite(units) || units < 0) {
    throw new RangeError(`gmailQuotaUnitsPerMinute must be a positive number, 0 or Infinity (got ${String(unitsPerMinute)})`);
  }
  let pacer = pacersByBudget.get(units);
  if (!pacer) pacersByBudget.set(units, (pacer = units === 0 ? new UnpacedGmail() : createGmailPacing(undefined, units)));
  return pacer;
}
