// Cluster safety without Redis: a lease row per account in the database. Acquiring is one
// conditional UPDATE (free, or expired because its node crashed), which also bumps a fencing
// token; every write a run makes afterwards is conditional on that token, so a node that
// lost its lease (paused, partitioned, too slow) can never overwrite the new owner's progress.
import type { Database, Transaction } from '@nocobase/database';
import { Op } from '@nocobase/database';

export const LEASE_TTL_MS = 2 * 60 * 1000;

export class LeaseLostError extends Error {
  constructor(accountId: string) {
    super(`the sync lease on mail account ${accountId} was taken over`);
  }
}

export interface Lease {
  accountId: string;
  owner: string;
  token: number;
  /** How long the lease lasts unless renewed: the holder renews it well within this. */
  ttlMs: number;
  /** Extends the lease; false when it was lost. */
  renew(): Promise<boolean>;
  /** Writes `values` to the account only while this lease still holds; throws LeaseLostError otherwise. */
  commit(values: Record<string, unknown>, transaction?: Transaction): Promise<void>;
  release(): Promise<void>;
}

export class Leases {
  constructor(
    private readonly db: Database,
    private readonly ttlMs = LEASE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  private get model() {
    return this.db.getModel('mailAccounts');
  }

  /** Takes the account's lease for `owner`, or answers undefined when another live run holds it. */
  async acquire(accountId: string, owner: string): Promise<Lease | undefined> {
    const now = new Date(this.now());
    const [count] = await this.model.update(
      {
        leaseOwner: owner,
        leaseExpiresAt: new Date(now.getTime() + this.ttlMs),
        leaseToken: this.db.sequelize.literal(`${this.quoted('leaseToken')} + 1`),
      },
      { where: { id: accountId, [Op.or]: [{ leaseExpiresAt: null }, { leaseExpiresAt: { [Op.lt]: now } }] } },
    );
    if (count !== 1) return undefined;
    const row = await this.model.findByPk(accountId, { attributes: ['leaseToken'] });
    const token = Number(row?.get('leaseToken'));
    return this.lease(accountId, owner, token);
  }

  private quoted(field: string) {
    const column = this.model.getAttributes()[field]?.field || field;
    return this.db.sequelize.getQueryInterface().quoteIdentifier(column);
  }

  private lease(accountId: string, owner: string, token: number): Lease {
    const held = { id: accountId, leaseToken: token, leaseOwner: owner };
    return {
      accountId,
      owner,
      token,
      ttlMs: this.ttlMs,
      renew: async () => {
        const [count] = await this.model.update({ leaseExpiresAt: new Date(this.now() + this.ttlMs) }, { where: held });
        return count === 1;
      },
      commit: async (values, transaction) => {
        const [count] = await this.model.update(values, { where: held, transaction });
        if (count !== 1) throw new LeaseLostError(accountId);
      },
      release: async () => {
        await this.model.update({ leaseOwner: null, leaseExpiresAt: null }, { where: held });
      },
    };
  }
}
