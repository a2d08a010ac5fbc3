// How often every account is synced: an admin setting (Settings → "Email settings"), at least a
// minute, read by the scheduler of every node at each tick, so a change reaches a whole cluster
// within a minute without a restart.
import type { Database } from '@nocobase/database';
import type { MailSettingsDTO } from '../../shared/types';
import { MailApiError, SETTINGS_ERRORS, invalidSetting } from '../errors';
import { DEFAULT_INTERVAL_MINUTES, MAX_INTERVAL_MINUTES, MIN_INTERVAL_MINUTES } from '../sync/scheduler';

const COLLECTION = 'mailSettings';

export class SyncSettings {
  /** `fallback`: the plugin option syncIntervalMinutes, used until an admin saves a value. */
  constructor(
    private readonly db: Database,
    private readonly fallback = DEFAULT_INTERVAL_MINUTES,
  ) {}

  private row() {
    return this.db.getRepository(COLLECTION).findOne({ sort: ['id'] });
  }

  async get(): Promise<MailSettingsDTO> {
    const saved = (await this.row())?.get('syncIntervalMinutes') as number | null | undefined;
    return { syncIntervalMinutes: saved ?? this.fallback };
  }

  async intervalMinutes(): Promise<number> {
    return Math.max(MIN_INTERVAL_MINUTES, (await this.get()).syncIntervalMinutes);
  }

  async update(values: unknown): Promise<MailSettingsDTO> {
    if (!values || typeof values !== 'object') throw new MailApiError(SETTINGS_ERRORS.INVALID, 'Send the settings to change.', 400);
    const minutes = (values as Record<string, unknown>).syncIntervalMinutes;
    if (minutes !== undefined) {
      if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < MIN_INTERVAL_MINUTES || minutes > MAX_INTERVAL_MINUTES) {
        throw invalidSetting('syncIntervalMinutes', `a whole number of minutes from ${MIN_INTERVAL_MINUTES} to ${MAX_INTERVAL_MINUTES}`);
      }
      const row = await this.row();
      if (row) await row.update({ syncIntervalMinutes: minutes });
      else await this.db.getRepository(COLLECTION).create({ values: { syncIntervalMinutes: minutes } });
    }
    return this.get();
  }
}
