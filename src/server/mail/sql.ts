// The few SQL fragments reading mail cannot express through Sequelize's where objects: JSON
// array membership of folder ids, and the search over subject, sender, participants and body.
// Names go through Sequelize's quoting with the real table and column names (table prefix,
// schema and underscored columns are the host's choice), values through its escaping.
// PostgreSQL uses jsonb containment and ILIKE (Unicode case folding, and the trigram index of
// mail/search-index.ts); SQLite uses text matching on the stored JSON and LIKE.
import type { Database } from '@nocobase/database';

type Attribute = { field?: string };
type TableModel = { rawAttributes: Record<string, Attribute>; getTableName(): string | { tableName: string; schema?: string } };
interface QueryGenerator {
  quoteTable(table: unknown): string;
  quoteIdentifier(name: string): string;
}

export class Sql {
  readonly postgres: boolean;
  private readonly qg: QueryGenerator;

  constructor(private readonly db: Database) {
    this.postgres = db.sequelize.getDialect() === 'postgres';
    this.qg = (db.sequelize.getQueryInterface() as unknown as { queryGenerator: QueryGenerator }).queryGenerator;
  }

  private model(collection: string): TableModel {
    return this.db.getModel(collection) as unknown as TableModel;
  }

  table(collection: string): string {
    return this.qg.quoteTable(this.model(collection).getTableName());
  }

  /** A column of a collection's table, optionally qualified by an alias. */
  col(collection: string, attribute: string, alias?: string): string {
    const name = this.model(collection).rawAttributes[attribute]?.field ?? attribute;
    return `${alias ? `${this.qg.quoteIdentifier(alias)}.` : ''}${this.qg.quoteIdentifier(name)}`;
  }

  alias(name: string): string {
    return this.qg.quoteIdentifier(name);
  }

  escape(value: string | number): string {
    return this.db.sequelize.escape(value);
  }

  /** A JSON array column holds this string. */
  jsonHas(column: string, value: string): string {
    if (this.postgres) return `${column} @> ${this.escape(JSON.stringify([value]))}::jsonb`;
    // The stored text is JSON.stringify's (no spaces), so the quoted id appears verbatim.
    return `${column} LIKE ${this.escape(`%${likeEscape(JSON.stringify(value))}%`)} ESCAPE '\\'`;
  }

  /** A JSON array column holds something other than these strings (an empty array does not). */
  jsonHasOtherThan(column: string, values: string[]): string {
    if (this.postgres) return `NOT (${column} <@ ${this.escape(JSON.stringify(values))}::jsonb)`;
    const list = values.length ? values.map((v) => this.escape(v)).join(', ') : 'NULL';
    return `EXISTS (SELECT 1 FROM json_each(${column}) WHERE json_each.value NOT IN (${list}))`;
  }

  /** Case-insensitive "contains" over several text columns. */
  containsAny(columns: string[], needle: string): string {
    if (this.postgres) {
      // One expression, the same as the trigram index's (search-index.ts), so the index serves it.
      return `${searchDocument(columns)} ILIKE ${this.escape(`%${likeEscape(needle)}%`)} ESCAPE '\\'`;
    }
    // SQLite's LIKE folds ASCII only; for other letters the usual spellings are tried as well.
    // One LIKE over the joined columns: a row that does not match costs one scan, not four.
    const document = searchDocument(columns);
    return `(${caseVariants(needle).map((v) => `${document} LIKE ${this.escape(`%${likeEscape(v)}%`)} ESCAPE '\\'`).join(' OR ')})`;
  }
}

/** The searched text of a message as one expression (columns already quoted). */
export function searchDocument(columns: string[]): string {
  return `(${columns.map((c) => `coalesce(${c}, '')`).join(` || ' ' || `)})`;
}

export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** as typed, lower, UPPER and Capitalised, when the text has letters beyond ASCII that have case. */
export function caseVariants(text: string): string[] {
  if (!/[^\x00-\x7f]/.test(text) || text.toLowerCase() === text.toUpperCase()) return [text];
  const lower = text.toLowerCase();
  return [...new Set([text, lower, text.toUpperCase(), lower.charAt(0).toUpperCase() + lower.slice(1)])];
}
