// What the "Email messages" block asks `mailMessages:list` for (see src/shared/mail.ts). Pure,
// so the block's data scope can be tested without a host.
import type { MailMessageDTO } from '../../shared/mail';

/** The columns a page designer can show, in display order. */
export const MESSAGE_COLUMNS = ['from', 'to', 'subject', 'snippet', 'date', 'read', 'attachments'] as const;
export type MessageColumn = (typeof MESSAGE_COLUMNS)[number];
export const DEFAULT_COLUMNS: MessageColumn[] = ['from', 'subject', 'date', 'attachments'];

/** none: every message the user may read; address / domain: only mail with that participant. */
export type ScopeMode = 'none' | 'address' | 'domain';

export interface MessagesBlockQuery {
  /** Ask for every user's mail (the server grants it to roles in mailSettings.allMailRoles). */
  allMail: boolean;
  scopeMode: ScopeMode;
  /** The resolved value of the data scope: an address, a domain, or an address whose domain is meant. */
  scopeValue?: unknown;
  page: number;
  pageSize: number;
}

/** A row of `mailMessages:list`; `threadId` opens the conversation when the server sends it. */
export type MessageRow = Omit<MailMessageDTO, 'html' | 'text'> & { threadId?: number | string };

/** The value a bound variable resolved to, as one lower-case string ('' when there is none). */
export function scopeText(value: unknown): string {
  if (value === null || value === undefined) return '';
  const first = Array.isArray(value) ? value.find((v) => v !== null && v !== undefined && String(v).trim()) : value;
  if (first === undefined || typeof first === 'object') return '';
  const text = String(first).trim().toLowerCase();
  // An unresolved variable ("{{ctx.popup.record.email}}" outside a popup) is no value.
  return text.includes('{{') ? '' : text;
}

/** "Ann <ann@Contoso.example>", "ann@contoso.example", "@contoso.example" or "contoso.example" → "contoso.example". */
export function domainOf(value: string): string {
  const text = value.trim().toLowerCase().replace(/>$/, '');
  const at = text.lastIndexOf('@');
  return (at >= 0 ? text.slice(at + 1) : text).trim();
}

/** "Ann <ann@contoso.example>" → "ann@contoso.example". */
export function addressOf(value: string): string {
  const text = value.trim().toLowerCase();
  const angle = /<([^>]+)>/.exec(text);
  return (angle ? angle[1] : text).trim();
}

/**
 * The filter the data scope stands for, or null when it is bound to a value that is empty. `$eq`
 * on participants/participantDomains is "is one of them" on the server, whole entries only and
 * case-insensitive, so "contoso.example" does not match "notcontoso.example".
 */
export function scopeFilter(mode: ScopeMode, value: unknown): Record<string, unknown> | undefined | null {
  if (mode === 'none') return undefined;
  const text = scopeText(value);
  if (!text) return null;
  if (mode === 'domain') {
    const domain = domainOf(text);
    return domain ? { participantDomains: { $eq: domain } } : null;
  }
  return { participants: { $eq: addressOf(text) } };
}

/**
 * The params of `mailMessages:list`, or null when the block must not ask at all: its data scope
 * is bound to a record field that is empty, and "everything" would be the wrong answer.
 */
export function messageListParams(query: MessagesBlockQuery): Record<string, unknown> | null {
  const filter = scopeFilter(query.scopeMode, query.scopeValue);
  if (filter === null) return null;
  return {
    page: query.page,
    pageSize: Math.min(Math.max(query.pageSize, 1), 200),
    sort: '-receivedAt',
    ...(filter ? { filter: JSON.stringify(filter) } : {}),
    ...(query.allMail ? { scope: 'all' } : {}),
  };
}

/** Recipients from the selected records' email field: trimmed, de-duplicated case-insensitively, in order. */
export function recipientsOf(rows: Array<Record<string, unknown>>, field: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const row of rows) {
    const value = row?.[field];
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item !== 'string') continue;
      for (const part of item.split(/[,;]/)) {
        const address = part.trim();
        if (!address || seen.has(address.toLowerCase())) continue;
        seen.add(address.toLowerCase());
        out.push(address);
      }
    }
  }
  return out;
}
