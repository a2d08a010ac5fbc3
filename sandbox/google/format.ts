// Wire conventions shared by the Gmail routes: byte fields, snippets, partial responses.

/**
 * Gmail encodes bytes fields (`raw`, `body.data`) as URL-safe base64 *with* padding: Google's
 * own Python sample decodes them with urlsafe_b64decode, which rejects unpadded input.
 */
export function toBase64Url(bytes: Buffer): string {
  // Node's base64url leaves the padding out; put it back. (No regular expressions: a message
  // is megabytes, and under NocoBase's SES lockdown every RegExp takes V8's slow path.)
  const text = bytes.toString('base64url');
  return text.length % 4 ? text + '='.repeat(4 - (text.length % 4)) : text;
}

/** Accepts what Google accepts on input: standard or URL-safe alphabet, padded or not. */
export function fromBase64Any(value: string): Buffer {
  return Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/').replace(/\s+/g, ''), 'base64');
}

/** Gmail snippets are HTML-escaped text (a well-known quirk: "it&#39;s"). */
export function escapeSnippet(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

// Partial responses: `fields=messages(id,threadId),nextPageToken` keeps only those members,
// as every Google JSON API does. Clients use it to cut payloads, so the emulator honours it.
type FieldTree = Map<string, FieldTree | true>;

export function parseFields(mask: string): FieldTree {
  let pos = 0;
  const list = (): FieldTree => {
    const tree: FieldTree = new Map();
    while (pos < mask.length && mask[pos] !== ')') {
      // One item: a/b/c optionally followed by (sub,list).
      const start = pos;
      while (pos < mask.length && !',()'.includes(mask[pos])) pos++;
      const path = mask.slice(start, pos).trim().split('/').filter(Boolean);
      let leaf: FieldTree | true = true;
      if (mask[pos] === '(') {
        pos++;
        leaf = list();
        pos++; // ')'
      }
      let node = tree;
      path.forEach((name, i) => {
        if (i === path.length - 1) {
          const existing = node.get(name);
          node.set(name, existing instanceof Map && leaf instanceof Map ? new Map([...existing, ...leaf]) : existing === true ? true : leaf);
        } else {
          const next = node.get(name);
          if (next === true) return;
          const child: FieldTree = next instanceof Map ? next : new Map();
          node.set(name, child);
          node = child;
        }
      });
      if (mask[pos] === ',') pos++;
    }
    return tree;
  };
  return list();
}

export function applyFields(value: unknown, tree: FieldTree): unknown {
  if (Array.isArray(value)) return value.map((item) => applyFields(item, tree));
  if (!value || typeof value !== 'object') return value;
  if (tree.has('*')) return value;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of tree) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined) continue;
    out[key] = sub === true ? member : applyFields(member, sub);
  }
  return out;
}

/** Clamps Gmail's maxResults: default `fallback`, at most `max` (larger values are cut, not refused). */
export function pageSize(raw: string | null, fallback: number, max: number): number {
  const n = raw === null ? fallback : Number.parseInt(raw, 10);
  if (!Number.isFinite(n) || n <= 0) return fallback;
  return Math.min(n, max);
}

export function isTrue(raw: string | null): boolean {
  return raw === 'true' || raw === '1';
}
