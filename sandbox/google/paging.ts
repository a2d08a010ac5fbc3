// Page tokens for the newest-first Gmail lists. A token remembers the last item served (id and
// date), not an offset, so mail arriving at the top between pages does not shift the next
// page and produce duplicates, which is how Gmail's own tokens behave for a sync client.

export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

interface Cursor {
  id: string;
  date: number;
}

function encode(cursor: Cursor): string {
  return Buffer.from(`${cursor.date}.${cursor.id}`).toString('base64url');
}

function decode(token: string): Cursor | undefined {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const dot = text.indexOf('.');
  const date = Number(text.slice(0, dot));
  const id = text.slice(dot + 1);
  return dot > 0 && Number.isFinite(date) && id ? { id, date } : undefined;
}

/** Returns undefined for a token this server did not issue (Gmail answers 400 then). */
export function paginate<T>(items: T[], cursorOf: (item: T) => Cursor, pageToken: string | null, size: number): Page<T> | undefined {
  let start = 0;
  if (pageToken) {
    const cursor = decode(pageToken);
    if (!cursor) return undefined;
    const at = items.findIndex((item) => cursorOf(item).id === cursor.id);
    // The last item served is gone: resume at the first one older than it.
    start = at >= 0 ? at + 1 : (() => {
      const older = items.findIndex((item) => cursorOf(item).date < cursor.date);
      return older < 0 ? items.length : older;
    })();
  }
  const page = items.slice(start, start + size);
  const more = start + size < items.length;
  return { items: page, nextPageToken: more && page.length ? encode(cursorOf(page[page.length - 1])) : undefined };
}
