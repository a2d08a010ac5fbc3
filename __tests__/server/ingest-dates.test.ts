// Ingest writes DATE columns as text it builds itself (ingest-db.ts, withPlainDates) instead of
// through moment. The text must be Sequelize's to the character, on each dialect's DATE type:
// SQLite compares these strings when it sorts and filters by date.
import { DataTypes } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { dateText, withPlainDates } from '../../src/server/sync/ingest-db';

type DateType = { key: string; stringify(value: unknown, options: unknown): string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sqlite = require('sequelize/lib/dialects/sqlite/data-types')(DataTypes);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const postgres = require('sequelize/lib/dialects/postgres/data-types')(DataTypes);
const TYPES: Array<[string, new (length?: number) => DateType]> = [
  ['sqlite', sqlite.DATE],
  ['postgres', postgres.DATE],
];

/** Dates from 0001 to 9999, every millisecond digit and both sides of 1970. */
function sampleDates(): Date[] {
  const dates = [new Date('0001-01-01T00:00:00.000Z'), new Date('1969-12-31T23:59:59.999Z'), new Date('1970-01-01T00:00:00.000Z'), new Date('9999-12-31T23:59:59.999Z')];
  for (let i = 0; i < 5000; i++) dates.push(new Date(-62_000_000_000_000 + i * 50_800_000_123 + (i % 1000)));
  return dates;
}

describe('DATE text without moment', () => {
  for (const [dialect, Type] of TYPES) {
    for (const zone of ['+00:00', '+08:00', '-05:30']) {
      it(`is Sequelize's own text on ${dialect} at ${zone}`, () => {
        const type = new Type(3);
        const offset = (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4)));
        const plain = withPlainDates({ at: { type } }, zone).at.type as DateType;
        expect(plain).not.toBe(type);
        let built = 0;
        for (const date of sampleDates()) {
          const expected = type.stringify(date, { timezone: zone });
          // Undefined past 9999 in the zone's own time (9999-12-31T23:59Z at +08:00): Sequelize's then.
          const text = dateText(date, offset, zone);
          if (text !== undefined) {
            expect(text).toBe(expected);
            built++;
          }
          expect(plain.stringify(date, { timezone: zone })).toBe(expected);
        }
        expect(built).toBeGreaterThan(5000);
      });
    }
  }

  it('leaves named zones, years past 9999 and other values to Sequelize', () => {
    const type = new sqlite.DATE(3) as DateType;
    expect(withPlainDates({ at: { type } }, 'Europe/Amsterdam').at.type).toBe(type);
    const plain = withPlainDates({ at: { type } }, '+00:00').at.type as DateType;
    const far = new Date('+010000-01-01T00:00:00.000Z');
    expect(dateText(far, 0, '+00:00')).toBeUndefined();
    expect(plain.stringify(far, { timezone: '+00:00' })).toBe(type.stringify(far, { timezone: '+00:00' }));
    expect(plain.stringify('2026-12-01', { timezone: '+00:00' })).toBe(type.stringify('2026-12-01', { timezone: '+00:00' }));
  });

  it('falls back to Sequelize for the whole column when its first date does not match', () => {
    const type = new postgres.DATE(3) as DateType;
    // Told "+00:00" while Sequelize escapes at +08:00: the check on the first date catches it.
    const plain = withPlainDates({ at: { type } }, '+00:00').at.type as DateType;
    for (const date of sampleDates().slice(0, 50)) expect(plain.stringify(date, { timezone: '+08:00' })).toBe(type.stringify(date, { timezone: '+08:00' }));
  });
});
