// Gmail search (`q`) for messages.list, threads.list and drafts.list. Supported: after:/before:
// (also newer:/older:; yyyy/mm/dd or epoch seconds), newer_than:/older_than: (d, m, y),
// in: (inbox, sent, drafts, spam, trash, anywhere), is: (unread, read, starred), label:,
// from:, subject:, has:attachment, larger:/smaller:, a leading "-" to negate, and free text
// matched against subject, snippet and sender. Terms are ANDed (no OR, no grouping).
import type { Folder, ListQuery, Mailbox, MessageState } from '../core/types';

export interface ParsedSearch {
  query: ListQuery;
  /** Checks what ListQuery cannot express; gets the message and its Gmail label ids. */
  accept: (m: MessageState, labels: string[]) => boolean;
}

const IN_FOLDERS: Record<string, string> = { inbox: 'INBOX', sent: 'SENT', drafts: 'DRAFT', draft: 'DRAFT', spam: 'SPAM', trash: 'TRASH' };

/** Gmail reads yyyy/mm/dd as midnight Pacific time (its documented convention); digits alone are epoch seconds. */
export function searchDate(value: string): number | undefined {
  if (/^\d{9,}$/.test(value)) return Number(value) * 1000;
  let m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(value);
  let y: number, mo: number, d: number;
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value))) [y, mo, d] = [Number(m[3]), Number(m[1]), Number(m[2])];
  else return undefined;
  const noon = Date.UTC(y, mo - 1, d, 12);
  const name = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', timeZoneName: 'shortOffset' })
    .formatToParts(new Date(noon))
    .find((p) => p.type === 'timeZoneName')?.value;
  const offsetHours = Number(/GMT([+-]\d+)/.exec(name || '')?.[1] ?? -8);
  return Date.UTC(y, mo - 1, d) - offsetHours * 3600_000;
}

function relative(value: string, now: number): number | undefined {
  const m = /^(\d+)([dmy])$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const day = 86400_000;
  return now - n * ({ d: day, m: 30 * day, y: 365 * day }[m[2].toLowerCase() as 'd' | 'm' | 'y']);
}

function size(value: string): number | undefined {
  const m = /^(\d+)([kmg]?)$/i.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * ({ '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g']);
}

function tokens(q: string): string[] {
  // Words, keeping "quoted phrases" (also after an operator: subject:"a b") together.
  return (q.match(/-?[\w.]+:"[^"]*"|-?"[^"]*"|\S+/g) || []).map((t) => t.replace(/"/g, ''));
}

/** A label by id or by name; in search, names are lower-cased with spaces and slashes as dashes. */
export function findLabel(folders: Folder[], value: string): Folder | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[\s/]+/g, '-');
  return folders.find((f) => f.kind !== 'archive' && (f.id === value || f.id.toLowerCase() === value.toLowerCase() || norm(f.name) === norm(value)));
}

export function parseSearch(mailbox: Mailbox, q: string, base: ListQuery = {}, now = Date.now()): ParsedSearch {
  const query: ListQuery = { ...base };
  const checks: ((m: MessageState, labels: string[]) => boolean)[] = [];
  const bound = (kind: 'after' | 'before', at: number | undefined) => {
    if (at === undefined) return;
    if (kind === 'after') query.after = Math.max(query.after ?? -Infinity, at);
    else query.before = Math.min(query.before ?? Infinity, at);
  };
  for (const token of tokens(q)) {
    const negate = token.startsWith('-') && token.length > 1;
    const term = negate ? token.slice(1) : token;
    const colon = term.indexOf(':');
    const op = colon > 0 ? term.slice(0, colon).toLowerCase() : '';
    const value = colon > 0 ? term.slice(colon + 1) : term;
    const add = (check: (m: MessageState, labels: string[]) => boolean) => checks.push(negate ? (m, l) => !check(m, l) : check);
    switch (op) {
      case 'after':
      case 'newer':
        if (negate) add((m) => m.date >= (searchDate(value) ?? -Infinity));
        else bound('after', searchDate(value));
        break;
      case 'before':
      case 'older':
        if (negate) add((m) => m.date < (searchDate(value) ?? Infinity));
        else bound('before', searchDate(value));
        break;
      case 'newer_than':
        bound('after', relative(value, now));
        break;
      case 'older_than':
        bound('before', relative(value, now));
        break;
      case 'in': {
        const v = value.toLowerCase();
        if (v === 'anywhere') query.includeSpamTrash = true;
        else if (IN_FOLDERS[v] && !negate) query.folderIds = [IN_FOLDERS[v]];
        else if (IN_FOLDERS[v]) add((m) => m.folderId === IN_FOLDERS[v]);
        else if (v === 'starred') add((m) => m.starred);
        break;
      }
      case 'is': {
        const v = value.toLowerCase();
        if (v === 'unread') add((m) => !m.read);
        else if (v === 'read') add((m) => m.read);
        else if (v === 'starred') add((m) => m.starred);
        break;
      }
      case 'label': {
        const label = findLabel(mailbox.folders, value);
        const id = label?.id ?? value.toUpperCase();
        if (id === 'SPAM' || id === 'TRASH') query.includeSpamTrash = true;
        add((_m, labels) => labels.includes(id));
        break;
      }
      case 'from':
        add((m) => `${m.from.name || ''} ${m.from.address}`.toLowerCase().includes(value.toLowerCase()));
        break;
      case 'subject':
        add((m) => m.subject.toLowerCase().includes(value.toLowerCase()));
        break;
      case 'has':
        if (value.toLowerCase() === 'attachment') add((m) => m.hasAttachments);
        break;
      case 'larger':
        add((m) => m.size > (size(value) ?? Infinity));
        break;
      case 'smaller':
        add((m) => m.size < (size(value) ?? 0));
        break;
      default: {
        const text = term.toLowerCase();
        if (text === 'or' || text === 'and') break;
        add((m) => `${m.subject} ${m.snippet} ${m.from.name || ''} ${m.from.address}`.toLowerCase().includes(text));
      }
    }
  }
  return { query, accept: (m, labels) => checks.every((check) => check(m, labels)) };
}

/** Runs a search: the mailbox's own filter first, then what only the predicate can check. */
export function search(mailbox: Mailbox, q: string, base: ListQuery): MessageState[] {
  const { query, accept } = parseSearch(mailbox, q, base);
  const found = mailbox.list(query);
  return q.trim() ? found.filter((m) => accept(m, mailbox.gmailLabels(m))) : found;
}
