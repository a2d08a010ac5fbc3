// One shape for what Gmail raw MIME and Graph fields say about people, ids and previews, so
// that filters and thread keys work the same whichever provider a message came from.
import type { RemoteAddress } from '../providers/sync-types';

export const SNIPPET_LENGTH = 200;
/** References beyond this keep their root and the newest ones: the root is the IMAP thread key. */
const MAX_REFERENCES = 50;

function cleanName(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const text = name.replace(/\s+/g, ' ').trim().replace(/^"(.*)"$/, '$1').trim();
  return text || undefined;
}

/**
 * Lower-cases addresses (mailboxes compare case-insensitively in practice, and filters need one
 * spelling), drops empty entries and keeps the first occurrence of each address, taking a name
 * from a later one when the first had none.
 */
export function normalizeAddresses(list: ReadonlyArray<Partial<RemoteAddress> | null | undefined> | null | undefined): RemoteAddress[] {
  const byAddress = new Map<string, RemoteAddress>();
  for (const entry of list || []) {
    const address = typeof entry?.address === 'string' ? entry.address.trim().toLowerCase() : '';
    if (!address) continue;
    const name = cleanName(entry?.name);
    const known = byAddress.get(address);
    if (!known) byAddress.set(address, name ? { name, address } : { address });
    else if (!known.name && name) known.name = name;
  }
  return [...byAddress.values()];
}

/** The part after the last @, for domain filters; undefined for a local-only address. */
export function domainOf(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  return at > 0 && at < address.length - 1 ? address.slice(at + 1) : undefined;
}

/**
 * " a@x.com b@y.org ": distinct addresses, space-padded at both ends so that a filter can match
 * one whole address (`' a@x.com '`) as well as a fragment.
 */
export function participantsText(addresses: Iterable<string>): string {
  const distinct = [...new Set(addresses)];
  return distinct.length ? ` ${distinct.join(' ')} ` : '';
}

export function participantDomainsText(addresses: Iterable<string>): string {
  const domains: string[] = [];
  for (const address of addresses) {
    const domain = domainOf(address);
    if (domain) domains.push(domain);
  }
  return participantsText(domains);
}

/**
 * At most SNIPPET_LENGTH UTF-16 units of the text with whitespace collapsed, never cutting an
 * emoji in half. Only the head of the text is looked at: bodies can be megabytes.
 */
export function snippetOf(text: string | null | undefined): string {
  if (!text) return '';
  const head = text.slice(0, SNIPPET_LENGTH * 8).replace(/\s+/g, ' ').trim();
  if (head.length <= SNIPPET_LENGTH) return head;
  let cut = head.slice(0, SNIPPET_LENGTH);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut.trimEnd();
}

/** Every `<id>` in a header value; a bare id without brackets is bracketed. */
export function messageIdsIn(value: string | ReadonlyArray<string> | null | undefined): string[] {
  const parts = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  const ids: string[] = [];
  for (const part of parts) {
    if (typeof part !== 'string') continue;
    const bracketed = part.match(/<[^<>\s]+>/g);
    if (bracketed) ids.push(...bracketed);
    else ids.push(...part.split(/[\s,]+/).filter(Boolean).map((id) => `<${id}>`));
  }
  return ids;
}

export function normalizeMessageId(value: string | null | undefined): string | undefined {
  return messageIdsIn(value)[0];
}

export function normalizeReferences(value: string | ReadonlyArray<string> | null | undefined): string[] {
  const ids = [...new Set(messageIdsIn(value))];
  return ids.length > MAX_REFERENCES ? [ids[0], ...ids.slice(ids.length - MAX_REFERENCES + 1)] : ids;
}

/** A usable Date or undefined (providers and headers both send nonsense dates). */
export function validDate(value: unknown): Date | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const date = value instanceof Date ? value : new Date(value as string);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
