// The OData query options and Prefer preferences Graph mail honours, parsed once per request.
import type { MessageState, RequestContext } from '../core/types';
import { badRequest } from './errors';

/** Graph dates: ISO 8601 in UTC without milliseconds. */
export function graphDate(ms: number | Date) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function parseSelect(query: URLSearchParams): string[] | undefined {
  const raw = query.get('$select') ?? query.get('select');
  if (!raw) return undefined;
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

export function parseExpand(query: URLSearchParams): string[] {
  const raw = query.get('$expand') ?? query.get('expand');
  return raw ? raw.split(',').map((s) => s.trim().replace(/\(.*\)$/, '')).filter(Boolean) : [];
}

export interface Preferences {
  maxPageSize?: number;
  bodyContentType?: 'text' | 'html';
  /** What the server applied, for the Preference-Applied header. */
  applied: string[];
}

/** `Prefer: odata.maxpagesize=50, outlook.body-content-type="text"` (one header or several). */
export function parsePrefer(ctx: RequestContext): Preferences {
  const header = ctx.req.headers.prefer;
  const raw = Array.isArray(header) ? header.join(',') : String(header || '');
  const prefs: Preferences = { applied: [] };
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, value = ''] = part.split('=').map((s) => s.trim());
    const unquoted = value.replace(/^"|"$/g, '');
    if (name.toLowerCase() === 'odata.maxpagesize' && /^\d+$/.test(unquoted) && Number(unquoted) > 0) {
      prefs.maxPageSize = Number(unquoted);
    } else if (name.toLowerCase() === 'outlook.body-content-type' && /^(text|html)$/i.test(unquoted)) {
      prefs.bodyContentType = unquoted.toLowerCase() as 'text' | 'html';
    }
  }
  return prefs;
}

export function parseIntParam(query: URLSearchParams, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER) {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw badRequest(`Invalid value '${raw}' for query option ${name}.`, 'ErrorInvalidUrlQuery');
  return Math.min(Number(raw), max);
}

/**
 * The small `$filter` subset mail clients use: receivedDateTime comparisons (the only filter
 * message delta accepts) and isRead/hasAttachments equality, joined with `and`.
 */
export interface MessageFilter {
  test(m: MessageState): boolean;
  /** Lower bound on receivedDateTime (ge/gt), for delta. */
  receivedFrom?: number;
  source: string;
}

export function parseFilter(raw: string | null | undefined): MessageFilter | undefined {
  if (!raw) return undefined;
  const tests: ((m: MessageState) => boolean)[] = [];
  let receivedFrom: number | undefined;
  for (const clause of raw.split(/\s+and\s+/i)) {
    const match = /^\s*\(?\s*(\w+)\s+(eq|ne|ge|gt|le|lt)\s+'?([^')]+)'?\s*\)?\s*$/i.exec(clause);
    if (!match) throw badRequest('The query filter contains one or more invalid nodes.', 'ErrorInvalidUrlQueryFilter');
    const [, field, opRaw, value] = match;
    const op = opRaw.toLowerCase();
    if (field === 'receivedDateTime') {
      const t = Date.parse(value);
      if (Number.isNaN(t)) throw badRequest(`Invalid DateTimeOffset value '${value}'.`, 'ErrorInvalidUrlQueryFilter');
      if (op === 'ge' || op === 'gt') receivedFrom = Math.max(receivedFrom ?? -Infinity, op === 'gt' ? t + 1 : t);
      tests.push((m) => compare(m.date, op, t));
    } else if (field === 'isRead' || field === 'hasAttachments') {
      if (op !== 'eq' && op !== 'ne') throw badRequest('The query filter contains one or more invalid nodes.', 'ErrorInvalidUrlQueryFilter');
      const want = value.toLowerCase() === 'true';
      tests.push((m) => ((field === 'isRead' ? m.read : m.hasAttachments) === want) === (op === 'eq'));
    } else {
      throw badRequest(`Could not find a property named '${field}' on type 'microsoft.graph.message'.`, 'ErrorInvalidProperty');
    }
  }
  return { test: (m) => tests.every((t) => t(m)), receivedFrom, source: raw };
}

function compare(a: number, op: string, b: number) {
  switch (op) {
    case 'eq': return a === b;
    case 'ne': return a !== b;
    case 'ge': return a >= b;
    case 'gt': return a > b;
    case 'le': return a <= b;
    default: return a < b;
  }
}

/** A query string in the form Graph writes into @odata.nextLink (keys unencoded, values encoded). */
export function queryString(params: Record<string, string | number | undefined>) {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}
