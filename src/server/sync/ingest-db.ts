// The few database moves ingest makes, through Sequelize's model API so that table prefixes,
// schemas and underscored column names are handled for us on every dialect. Rows are written
// in bulk: one INSERT … ON CONFLICT DO UPDATE per batch (SQLite and PostgreSQL both have it).
import type { Database, Transaction } from '@nocobase/database';

export type Row = Record<string, unknown>;

/** Rows per statement, and a ceiling on the characters of one statement (bodies can be large). */
const MAX_ROWS = 500;
const MAX_CHARS = 8_000_000;

type BulkModel = {
  bulkCreate(rows: Row[], options: Record<string, unknown>): Promise<unknown>;
  findAll(options: Record<string, unknown>): Promise<unknown[]>;
  update(values: Row, options: Record<string, unknown>): Promise<unknown>;
  destroy(options: Record<string, unknown>): Promise<number>;
};

export function modelOf(db: Database, collection: string): BulkModel {
  return db.getModel(collection) as unknown as BulkModel;
}

function weightOf(row: Row): number {
  let chars = 500;
  for (const value of Object.values(row)) if (typeof value === 'string') chars += value.length;
  return chars;
}

/** Splits rows into batches small enough for one statement each. */
export function batches<T extends Row>(rows: T[], maxRows = MAX_ROWS, maxChars = MAX_CHARS): T[][] {
  const out: T[][] = [];
  let batch: T[] = [];
  let chars = 0;
  for (const row of rows) {
    const weight = weightOf(row);
    if (batch.length && (batch.length >= maxRows || chars + weight > maxChars)) {
      out.push(batch);
      batch = [];
      chars = 0;
    }
    batch.push(row);
    chars += weight;
  }
  if (batch.length) out.push(batch);
  return out;
}

export type Attribute = { field?: string; type?: unknown };
type QueryInterface = {
  bulkInsert(table: unknown, records: Row[], options: Record<string, unknown>, attributes: Record<string, Attribute>): Promise<unknown>;
};
type TableModel = {
  rawAttributes: Record<string, Attribute>;
  getTableName(): string | { tableName: string; schema?: string };
  _timestampAttributes?: { createdAt?: string; updatedAt?: string };
};

/** A model's attributes keyed by their column names (`field`), as the query interface takes them. */
export function attributesByColumn(attributes: Record<string, Attribute>): Record<string, Attribute> {
  const byColumn: Record<string, Attribute> = {};
  for (const [name, attribute] of Object.entries(attributes)) byColumn[attribute.field ?? name] = attribute;
  return byColumn;
}

type DateType = { key?: string; stringify(value: unknown, options: unknown): string };

/** A fixed UTC offset ("+00:00", "-05:30") in minutes; undefined for a named zone (it has DST). */
function fixedOffset(zone: string): number | undefined {
  const match = /^([+-])(\d\d):(\d\d)$/.exec(zone);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : undefined;
}

/** "YYYY-MM-DD HH:mm:ss.SSS +hh:mm", the text Sequelize writes for a DATE; undefined outside years 0-9999. */
export function dateText(date: Date, offsetMinutes: number, zone: string): string | undefined {
  const shifted = new Date(date.getTime() + offsetMinutes * 60_000);
  const year = shifted.getUTCFullYear();
  if (!(year >= 0 && year <= 9999)) return undefined;
  const iso = shifted.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)} ${zone}`;
}

/**
 * The attributes with their DATE columns writing Date values as text built here, not through
 * moment: Sequelize builds a moment (with its time zone lookup) for every date it escapes, four
 * to a message row, which was a sixth of the main thread of a first sync. Only for a fixed
 * offset, and each column's first date of the call is also escaped by Sequelize and compared:
 * on any difference the column keeps Sequelize's own escaping.
 */
export function withPlainDates(byColumn: Record<string, Attribute>, timezone: string | undefined): Record<string, Attribute> {
  const zone = timezone ?? '+00:00';
  const offset = fixedOffset(zone);
  if (offset === undefined) return byColumn;
  const out = { ...byColumn };
  for (const [column, attribute] of Object.entries(byColumn)) {
    const type = attribute.type as DateType | undefined;
    if (!type || type.key !== 'DATE' || typeof type.stringify !== 'function') continue;
    let same: boolean | undefined;
    const plain = Object.create(type) as DateType;
    plain.stringify = (value, options) => {
      const text = value instanceof Date ? dateText(value, offset, zone) : undefined;
      if (text === undefined) return type.stringify(value, options);
      same ??= type.stringify(value, options) === text;
      return same ? text : type.stringify(value, options);
    };
    out[column] = { ...attribute, type: plain };
  }
  return out;
}

/**
 * Inserts the rows, or updates `update` columns of the ones whose `conflict` key exists: one
 * INSERT … ON CONFLICT (…) DO UPDATE per batch. It goes through the query interface, not
 * Model.bulkCreate: bulkCreate first builds a model instance per row, running every field's
 * setter, which costs about as much as the statement itself. Rows are already in their final
 * shape here (ingest-rows.ts), and values are still escaped by their column types. Model hooks
 * do not run for these rows, as they do not for any bulk write without individualHooks.
 * The rows are the caller's to give: they come back with their timestamps set.
 */
export async function bulkUpsert(db: Database, collection: string, rows: Row[], conflict: string[], update: string[], transaction: Transaction) {
  if (!rows.length) return;
  const model = db.getModel(collection) as unknown as TableModel;
  const attributes = model.rawAttributes;
  const column = (name: string) => attributes[name]?.field ?? name;
  const byColumn = withPlainDates(attributesByColumn(attributes), (db.sequelize as unknown as { options: { timezone?: string } }).options.timezone);
  const createdAt = model._timestampAttributes?.createdAt;
  const updatedAt = model._timestampAttributes?.updatedAt;
  const now = new Date();
  const options = {
    upsertKeys: conflict.map(column),
    updateOnDuplicate: [...update, ...(updatedAt ? [updatedAt] : [])].map(column),
    transaction,
  };
  const stamps: Row = {};
  if (createdAt) stamps[column(createdAt)] = now;
  if (updatedAt) stamps[column(updatedAt)] = now;
  // Usually every column is named as its attribute and the timestamps are createdAt/updatedAt:
  // a row then only needs them set on itself (the rows are built for this write), and by name.
  // A copy costs more than it seems: V8 gives each object spread from a row *and then extended*
  // its own hidden class, and a store by a computed key (Object.assign too) turns the row into a
  // dictionary: ~2 KB of garbage and 2-5 µs a row on a first sync's main thread, against 0.3 KB
  // and 0.2 µs for two named stores (measured on a mailMessages row in Node 20).
  const renamed = Object.keys(attributes).some((name) => column(name) !== name);
  const recordOf =
    !renamed && createdAt === 'createdAt' && updatedAt === 'updatedAt'
      ? (row: Row) => {
          row.createdAt = now;
          row.updatedAt = now;
          return row;
        }
      : (row: Row) => {
          const record: Row = {};
          for (const [name, value] of Object.entries(row)) record[column(name)] = value;
          return Object.assign(record, stamps);
        };
  for (const batch of batches(rows)) {
    const records = batch.map(recordOf);
    await (db.sequelize.getQueryInterface() as unknown as QueryInterface).bulkInsert(model.getTableName(), records, options, byColumn);
  }
}

/** `where` on key IN (…) in slices, for pages with very many ids. */
export function slices<T>(items: T[], size = 1000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// Raw rows come back as the driver gives them: SQLite has 0/1 for booleans, strings for JSON
// and dates; PostgreSQL has real types but strings for bigint.

export function asBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't' || value === 'true';
}

export function asJson<T>(value: unknown, fallback: T): T {
  if (typeof value !== 'string') return (value ?? fallback) as T;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

export function asDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value as string);
  return Number.isNaN(date.getTime()) ? null : date;
}
