// Accounts as their owner sees them. Every lookup is scoped to the user: an account of someone
// else is "not found", exactly like one that does not exist.
import type { Database, Model } from '@nocobase/database';
import { LINK_ERRORS } from '../../shared/types';
import { linkError } from '../errors';

export const ACCOUNTS = 'mailAccounts';

/** Ids arrive as strings from URLs; anything that is not a positive integer matches nothing. */
export function parseId(value: unknown): string | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  return typeof text === 'string' && /^[1-9][0-9]{0,18}$/.test(text) ? text : undefined;
}

export class Accounts {
  constructor(private readonly db: Database) {}

  get repo() {
    return this.db.getRepository(ACCOUNTS);
  }

  listOf(userId: number | string): Promise<Model[]> {
    return this.repo.find({ filter: { userId }, sort: ['createdAt', 'id'] });
  }

  async findOwn(userId: number | string, id: unknown): Promise<Model | null> {
    const key = parseId(id);
    if (!key) return null;
    return this.repo.findOne({ filter: { id: key, userId } });
  }

  async getOwn(userId: number | string, id: unknown): Promise<Model> {
    const row = await this.findOwn(userId, id);
    if (!row) throw linkError(LINK_ERRORS.ACCOUNT_NOT_FOUND, 'There is no such mail account.');
    return row;
  }
}
