// The email manager's own settings (one row, Settings → "Email settings"): how often every
// account is synced, and which roles may read everyone's mail. Both are read where they are
// used, at each use (the scheduler at each tick, the mail actions per request), so a change
// reaches every node of a cluster without a restart.
import type { Database } from '@nocobase/database';
import type { MailSettingsDTO } from '../../shared/types';
import { MailApiError, SETTINGS_ERRORS, invalidSetting } from '../errors';
import { DEFAULT_INTERVAL_MINUTES, MAX_INTERVAL_MINUTES, MIN_INTERVAL_MINUTES } from '../sync/scheduler';

const COLLECTION = 'mailSettings';
/** Holds every grant anyway (NocoBase's root role): never stored, never needs granting. */
export const ROOT_ROLE = 'root';
const MAX_ROLES = 100;

export class MailSettings {
  /** `fallback`: the plugin option syncIntervalMinutes, used until an admin saves a value. */
  constructor(
    private readonly db: Database,
    private readonly fallback = DEFAULT_INTERVAL_MINUTES,
  ) {}

  private row() {
    return this.db.getRepository(COLLECTION).findOne({ sort: ['id'] });
  }

  async get(): Promise<Required<MailSettingsDTO>> {
    const row = await this.row();
    const saved = row?.get('syncIntervalMinutes') as number | null | undefined;
    const roles = row?.get('allMailRoles');
    return { syncIntervalMinutes: saved ?? this.fallback, allMailRoles: Array.isArray(roles) ? (roles as string[]) : [] };
  }

  async intervalMinutes(): Promise<number> {
    return Math.max(MIN_INTERVAL_MINUTES, (await this.get()).syncIntervalMinutes);
  }

  /** Whether any of these roles may read every user's mail. */
  async grantsAllMail(roles: readonly string[]): Promise<boolean> {
    if (roles.includes(ROOT_ROLE)) return true;
    if (!roles.length) return false;
    const granted = (await this.get()).allMailRoles;
    return roles.some((role) => granted.includes(role));
  }

  async update(values: unknown): Promise<Required<MailSettingsDTO>> {
    if (!values || typeof values !== 'object') throw new MailApiError(SETTINGS_ERRORS.INVALID, 'Send the settings to change.', 400);
    const input = values as Record<string, unknown>;
    const changes: Record<string, unknown> = {};
    const minutes = input.syncIntervalMinutes;
    if (minutes !== undefined) {
      if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < MIN_INTERVAL_MINUTES || minutes > MAX_INTERVAL_MINUTES) {
        throw invalidSetting('syncIntervalMinutes', `a whole number of minutes from ${MIN_INTERVAL_MINUTES} to ${MAX_INTERVAL_MINUTES}`);
      }
      changes.syncIntervalMinutes = minutes;
    }
    if (input.allMailRoles !== undefined) changes.allMailRoles = await this.checkRoles(input.allMailRoles);
    if (Object.keys(changes).length) {
      const row = await this.row();
      if (row) await row.update(changes);
      else await this.db.getRepository(COLLECTION).create({ values: changes });
    }
    return this.get();
  }

  /** Role names that exist, each once, root left out (it always has the grant). */
  private async checkRoles(value: unknown): Promise<string[]> {
    if (!Array.isArray(value) || value.length > MAX_ROLES || value.some((name) => typeof name !== 'string' || !name.trim())) {
      throw invalidSetting('allMailRoles', `a list of at most ${MAX_ROLES} role names`);
    }
    const names = [...new Set((value as string[]).map((name) => name.trim()))].filter((name) => name !== ROOT_ROLE);
    if (!names.length) return [];
    const found = await this.db.getRepository('roles').find({ filter: { name: names }, fields: ['name'] });
    const known = new Set(found.map((role: { get(key: string): unknown }) => role.get('name') as string));
    const unknown = names.filter((name) => !known.has(name));
    if (unknown.length) throw invalidSetting('allMailRoles', `no such role: ${unknown.join(', ')}`);
    return names;
  }
}
