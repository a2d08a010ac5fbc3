// Address header values ("Name <a@x>, b@y", RFC 5322, unfolded) → addresses, for providers that
// hand headers over as text (Gmail's part tree). Run by the MIME parser, so in a worker thread
// on a sync: the tokenizer walks every character, which on the main thread was a sixth of a
// Gmail first sync's parsing there and 100 MB of garbage per 10,000 messages.
import { decodeWords } from 'libmime';
import addressparser from 'nodemailer/lib/addressparser';
import type { RemoteAddress } from '../providers/sync-types';

/**
 * Encoded words ("=?UTF-8?B?…?=") decoded; a value without any is returned as it is, and one that
 * cannot be decoded (an unknown charset, a word split oddly) too.
 */
export function decodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  try {
    return decodeWords(value);
  } catch {
    return value;
  }
}

/** The addresses in a header value, groups flattened, entries without an address left out. */
export function addressesFromHeader(value: string | undefined): RemoteAddress[] {
  if (!value) return [];
  // Split first, then decode each name: a decoded name may hold commas or quotes.
  return addressparser(value, { flatten: true })
    .filter((a) => a.address)
    .map((a) => ({ name: a.name ? decodedWords(a.name) : undefined, address: a.address }));
}
