// Recipients as the composer sends them ("Name <address>" or a bare address, one per entry),
// parsed with nodemailer's addressparser and checked one by one, so the error names every
// address that is wrong and the field it is in.
import addressparser from 'nodemailer/lib/addressparser';
import { SEND_ERRORS } from '../../shared/send';
import { MailApiError } from '../errors';
import type { OutgoingAddress } from '../providers/send-types';

// One @, no spaces or brackets, a dot in the domain; Unicode letters allowed (IDN, EAI).
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/u;

export function isValidAddress(address: string): boolean {
  return address.length <= 254 && ADDRESS.test(address);
}

export type RecipientField = 'to' | 'cc' | 'bcc';

/** The entries of one field as addresses; throws 400 E_SEND_INVALID_ADDRESS naming each bad one. */
export function parseRecipients(field: RecipientField, entries: unknown): OutgoingAddress[] {
  if (entries === undefined || entries === null) return [];
  if (!Array.isArray(entries) || entries.some((e) => typeof e !== 'string')) {
    throw new MailApiError(SEND_ERRORS.INVALID, `${field} must be a list of addresses.`, 400, field);
  }
  const out: OutgoingAddress[] = [];
  const wrong: string[] = [];
  const seen = new Set<string>();
  for (const entry of entries as string[]) {
    const text = entry.trim();
    if (!text) continue;
    const parsed = addressparser(text, { flatten: true });
    if (parsed.length !== 1 || !isValidAddress(parsed[0].address ?? '')) {
      wrong.push(text);
      continue;
    }
    const address = parsed[0].address.trim();
    if (seen.has(address.toLowerCase())) continue;
    seen.add(address.toLowerCase());
    out.push(parsed[0].name ? { name: parsed[0].name, address } : { address });
  }
  if (wrong.length) {
    throw new MailApiError(SEND_ERRORS.INVALID_ADDRESS, `Not a valid email address in ${field}: ${wrong.map((w) => `"${w.slice(0, 200)}"`).join(', ')}.`, 400, field);
  }
  return out;
}
