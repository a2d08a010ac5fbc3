// Exchange Online's published Graph limits hold per app and mailbox: 10,000 requests in any
// 10-minute window and 4 requests in flight. The adapter keeps under both on its own, so a
// healthy sync never meets a 429: a sliding-window budget at 95% of the request limit (the
// other 5% is headroom for the plugin's other calls on the mailbox, such as send and flag
// changes, and for the server counting a request a few milliseconds after we do) and a
// first-come-first-served semaphore of 4 slots. A $batch takes one slot per request that can
// run at once inside it and costs one request per item, as Graph counts it.
import type { SyncPacing } from '../sync-types';

export interface GraphLimits {
  requests: number;
  windowMs: number;
  concurrency: number;
}

export const GRAPH_MAILBOX_LIMITS: GraphLimits = { requests: 10_000, windowMs: 10 * 60_000, concurrency: 4 };
export const PACED_SHARE = 0.95;

interface Waiter {
  slots: number;
  wake: () => void;
}

interface MailboxState {
  /** Requests admitted inside the window, oldest first: when, and how many they count for. */
  log: { at: number; cost: number }[];
  used: number;
  inFlight: number;
  waiters: Waiter[];
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class GraphPacer implements SyncPacing {
  /** Requests a mailbox may start in one window. */
  readonly budget: number;
  private readonly mailboxes = new Map<string, MailboxState>();

  constructor(
    readonly limits: GraphLimits = GRAPH_MAILBOX_LIMITS,
    share = PACED_SHARE,
    private readonly now: () => number = Date.now,
  ) {
    this.budget = Math.max(1, Math.floor(limits.requests * share));
  }

  /**
   * Runs `task` once `slots` concurrent requests of the mailbox are free and `cost` requests fit
   * in its window. Slots are taken first, so a request is counted when it really starts.
   */
  async run<T>(mailbox: string, cost: number, task: () => Promise<T>, options: { slots?: number; signal?: AbortSignal } = {}): Promise<T> {
    const state = this.state(mailbox);
    const slots = Math.min(Math.max(1, options.slots ?? 1), this.limits.concurrency);
    await this.takeSlots(state, slots, options.signal);
    try {
      await this.acquire(mailbox, cost, options.signal);
      return await task();
    } finally {
      this.releaseSlots(state, slots);
    }
  }

  /** The window half alone (the port's SyncPacing): waits until `cost` requests may start. */
  async acquire(mailbox: string, cost: number, signal?: AbortSignal): Promise<void> {
    const state = this.state(mailbox);
    const need = Math.min(Math.max(0, cost), this.budget);
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      this.prune(state, now);
      if (state.used + need <= this.budget) {
        state.log.push({ at: now, cost: need });
        state.used += need;
        return;
      }
      // Sleep until enough of the oldest requests have left the window.
      let freed = 0;
      let until = now;
      for (const entry of state.log) {
        freed += entry.cost;
        until = entry.at + this.limits.windowMs;
        if (state.used - freed + need <= this.budget) break;
      }
      await sleep(Math.max(1, until - now + 1), signal);
    }
  }

  /** Requests counted in the mailbox's current window, and requests in flight (for tests and logs). */
  usage(mailbox: string) {
    const state = this.mailboxes.get(mailbox);
    if (!state) return { used: 0, inFlight: 0 };
    this.prune(state, this.now());
    return { used: state.used, inFlight: state.inFlight };
  }

  private state(mailbox: string): MailboxState {
    let state = this.mailboxes.get(mailbox);
    if (!state) {
      if (this.mailboxes.size >= 1000) this.forgetIdle();
      state = { log: [], used: 0, inFlight: 0, waiters: [] };
      this.mailboxes.set(mailbox, state);
    }
    return state;
  }

  private prune(state: MailboxState, now: number) {
    const start = now - this.limits.windowMs;
    let drop = 0;
    while (drop < state.log.length && state.log[drop].at <= start) state.used -= state.log[drop++].cost;
    if (drop) state.log.splice(0, drop);
  }

  /** A long-running process sees many mailboxes; those with nothing left in their window go. */
  private forgetIdle() {
    const now = this.now();
    for (const [key, state] of this.mailboxes) {
      this.prune(state, now);
      if (!state.log.length && !state.inFlight && !state.waiters.length) this.mailboxes.delete(key);
    }
  }

  private takeSlots(state: MailboxState, slots: number, signal?: AbortSignal): Promise<void> {
    // First come, first served: a batch waiting for 4 slots is not overtaken by single requests.
    if (!state.waiters.length && state.inFlight + slots <= this.limits.concurrency) {
      state.inFlight += slots;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const waiter: Waiter = {
        slots,
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        state.waiters = state.waiters.filter((w) => w !== waiter);
        this.wakeWaiters(state);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      state.waiters.push(waiter);
    });
  }

  private releaseSlots(state: MailboxState, slots: number) {
    state.inFlight -= slots;
    this.wakeWaiters(state);
  }

  private wakeWaiters(state: MailboxState) {
    while (state.waiters.length && state.inFlight + state.waiters[0].slots <= this.limits.concurrency) {
      const next = state.waiters.shift() as Waiter;
      state.inFlight += next.slots;
      next.wake();
    }
  }
}

/** One pacer per process: every Outlook adapter instance shares each mailbox's budget. */
export const graphPacer = new GraphPacer();
