// The outbox's clock: every few seconds (and at once when a send is submitted) it sends the
// rows that are due, one account at a time at that provider's sending pace, and turns rows a
// dead node left in 'sending' into 'unknown'. Every node runs it; the claim in relay.ts keeps
// a row to one node.
import type { Database, Model } from '@nocobase/database';
import { Op } from 'sequelize';
import type { Log } from '../log';
import type { Relay } from './relay';

export const STALE_SENDING_MS = 10 * 60_000;
/** Uploads nothing holds are deleted after a week; the sweep runs at most hourly. */
export const LOOSE_UPLOAD_MS = 7 * 24 * 3600_000;
const SWEEP_EVERY_MS = 3600_000;
const BATCH = 100;

export interface QueueOptions {
  /** How often it looks for due rows (plugin option sendTickMs, default 5 s). */
  tickMs?: number;
  /** Sends a minute per account, for a provider (the adapter's own limit unless overridden: plugin option sendPerMinute). */
  perMinute: (accountId: string) => Promise<number>;
  /** Deletes loose uploads older than the given age (Uploads.sweep). */
  sweep?: (maxAgeMs: number) => Promise<number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class SendQueue {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  /** When this node last sent from each account (pacing). */
  private readonly lastSend = new Map<string, number>();
  private lastSweep = 0;

  constructor(
    private readonly db: Database,
    private readonly relay: Relay,
    private readonly log: Log,
    private readonly options: QueueOptions,
  ) {}

  start() {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.options.tickMs ?? 5000);
    this.timer.unref?.();
    this.kick();
  }

  async stop() {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs a pass now, or right after the one under way. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again && !this.stopped);
      } catch (err) {
        this.log.error('mail outbox pass failed', { error: (err as Error).message });
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Whether a pass is under way (tests wait for the outbox to settle). */
  get busy() {
    return Boolean(this.running);
  }

  private async pass() {
    const now = new Date();
    await this.db.getModel('mailOutbox').update(
      { status: 'unknown', claimedAt: null, error: { code: 'E_SEND_FATE_UNKNOWN', message: 'Sending was interrupted (the server stopped while the provider had the message); it may or may not have been sent. Check Sent before sending it again.' } },
      { where: { status: 'sending', claimedAt: { [Op.lt]: new Date(now.getTime() - STALE_SENDING_MS) } } },
    );
    if (this.options.sweep && now.getTime() - this.lastSweep > SWEEP_EVERY_MS) {
      this.lastSweep = now.getTime();
      await this.options.sweep(LOOSE_UPLOAD_MS).catch((err) => this.log.warn('could not sweep mail uploads', { error: (err as Error).message }));
    }
    const due: Model[] = await this.db.getRepository('mailOutbox').find({
      filter: { status: 'pending', $or: [{ nextAttemptAt: null }, { nextAttemptAt: { $lte: now } }] },
      fields: ['id', 'accountId'],
      sort: ['id'],
      limit: BATCH,
    });
    const byAccount = new Map<string, string[]>();
    for (const row of due) {
      const account = String(row.get('accountId'));
      byAccount.set(account, [...(byAccount.get(account) ?? []), String(row.get('id'))]);
    }
    await Promise.all([...byAccount].map(([account, ids]) => this.sendFrom(account, ids)));
  }

  private async sendFrom(accountId: string, ids: string[]) {
    const gap = 60_000 / Math.max(1, await this.options.perMinute(accountId));
    for (const id of ids) {
      if (this.stopped) return;
      const wait = (this.lastSend.get(accountId) ?? 0) + gap - Date.now();
      if (wait > 0) await sleep(wait);
      this.lastSend.set(accountId, Date.now());
      await this.relay.attempt(id);
    }
  }
}
