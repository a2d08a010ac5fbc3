// Exchange Online's published Graph limits per app and mailbox: 10,000 requests in any
// 10-minute window and 4 requests in flight. Enforced only while state.quota.microsoft is on.
export interface ThrottleLimits {
  requests: number;
  windowMs: number;
  concurrency: number;
}

export const OUTLOOK_LIMITS: ThrottleLimits = { requests: 10000, windowMs: 10 * 60 * 1000, concurrency: 4 };

export type Admission =
  | { ok: true; release: () => void }
  | { ok: false; reason: 'concurrency' | 'rate'; retryAfter: number };

interface Bucket {
  /** Start times of admitted requests inside the window, oldest first. */
  times: number[];
  inFlight: number;
}

export class MailboxThrottle {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly limits: ThrottleLimits = OUTLOOK_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Admits a request for `key` (app + mailbox) or says how long to wait. Refusals are not counted. */
  acquire(key: string): Admission {
    const t = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = { times: [], inFlight: 0 }));
    const windowStart = t - this.limits.windowMs;
    let drop = 0;
    while (drop < bucket.times.length && bucket.times[drop] <= windowStart) drop++;
    if (drop) bucket.times.splice(0, drop);
    if (bucket.times.length >= this.limits.requests) {
      return { ok: false, reason: 'rate', retryAfter: Math.max(1, Math.ceil((bucket.times[0] + this.limits.windowMs - t) / 1000)) };
    }
    // A concurrency refusal clears as soon as a request finishes: Outlook asks for a short wait.
    if (bucket.inFlight >= this.limits.concurrency) return { ok: false, reason: 'concurrency', retryAfter: 1 };
    bucket.times.push(t);
    bucket.inFlight += 1;
    let released = false;
    const owner = bucket;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        owner.inFlight -= 1;
      },
    };
  }

  reset() {
    this.buckets.clear();
  }
}
