// Every node runs this. Each tick picks the accounts that are due (never synced, or synced
// longer ago than the interval), in random order so that several nodes share the work, and
// runs a few at a time; the database lease makes sure no account runs twice at once.
import type { Database } from '@nocobase/database';
import type { Log } from '../log';
import type { SyncRunner } from './runner';

export const DEFAULT_INTERVAL_MINUTES = 5;
export const MIN_INTERVAL_MINUTES = 1;
export const MAX_INTERVAL_MINUTES = 24 * 60;

export interface SchedulerOptions {
  /** Minutes between two syncs of an account; a function is asked at every tick (admin setting). */
  intervalMinutes?: number | (() => Promise<number>);
  /** Accounts synced at the same time by one node. */
  concurrency?: number;
  /** How often a node looks for due accounts. */
  tickMs?: number;
}

export class SyncScheduler {
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private readonly interval: () => Promise<number>;
  private readonly concurrency: number;
  private readonly tickMs: number;

  constructor(
    private readonly db: Database,
    private readonly runner: SyncRunner,
    private readonly log: Log,
    options: SchedulerOptions = {},
  ) {
    const minutes = options.intervalMinutes ?? DEFAULT_INTERVAL_MINUTES;
    this.interval = typeof minutes === 'function' ? minutes : async () => minutes;
    // SQLite has one writer, and NocoBase one connection to it: concurrent runs' transactions
    // would interleave. There, accounts sync one after another (and a cluster needs a server DB).
    const sqlite = db.sequelize.getDialect() === 'sqlite';
    this.concurrency = sqlite ? 1 : Math.max(1, options.concurrency ?? 2);
    this.tickMs = options.tickMs ?? 60_000;
  }

  start() {
    this.stop();
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref?.();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Ids of the accounts due now, shuffled. */
  async due(now = Date.now()): Promise<string[]> {
    const intervalMs = Math.max(MIN_INTERVAL_MINUTES, await this.interval()) * 60_000;
    const rows = await this.db.getRepository('mailAccounts').find({
      fields: ['id'],
      filter: {
        status: { $in: ['active', 'syncing', 'error'] },
        $or: [{ lastSyncAt: null }, { lastSyncAt: { $lt: new Date(now - intervalMs) } }],
      },
    });
    const ids = rows.map((r: { get(key: string): unknown }) => String(r.get('id')));
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [ids[i], ids[j]] = [ids[j], ids[i]];
    }
    return ids;
  }

  /** One pass: runs every due account that no other node holds. Returns what happened. */
  async tick(): Promise<Record<string, string>> {
    if (this.ticking) return {};
    this.ticking = true;
    const outcome: Record<string, string> = {};
    try {
      const queue = await this.due();
      await Promise.all(
        Array.from({ length: this.concurrency }, async () => {
          for (let id = queue.shift(); id; id = queue.shift()) {
            const result = await this.runner.run(id).catch((err) => {
              this.log.error(`mail sync of account ${id} crashed: ${(err as Error).message}`);
              return { status: 'failed' };
            });
            outcome[id] = result.status;
          }
        }),
      );
    } finally {
      this.ticking = false;
    }
    return outcome;
  }
}

