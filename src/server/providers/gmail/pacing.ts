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

/** Gmail's published per-user limit at 95 %, bursting one batch of 100 messages.get. */
export function createGmailPacing(now?: () => number): TokenBucketPacing {
  return new TokenBucketPacing({ ratePerSecond: GMAIL_UNITS_PER_SECOND, burst: GMAIL_BURST_UNITS, now });
}

/**
 * One pacer for the whole process: the engine may build a provider per run, and two runs for
 * the same mailbox (first sync and a manual refresh) must still share one budget.
 */
export const sharedGmailPacing = createGmailPacing();
