import type { MailAddress } from '../../shared/mail';

/** "Ann Example" or, without a name, the address. */
export function personLabel(address: MailAddress | null | undefined) {
  if (!address) return '';
  return address.name?.trim() || address.address;
}

/** "Ann Example <ann@example.com>". */
export function fullAddress(address: MailAddress) {
  return address.name?.trim() ? `${address.name.trim()} <${address.address}>` : address.address;
}

/** A message date in the user's language: time of day for today, the date otherwise. */
export function messageDate(value: string | null | undefined, language: string, now = new Date()) {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const today = date.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat(language, today ? { hour: '2-digit', minute: '2-digit' } : { year: 'numeric', month: 'short', day: 'numeric' }).format(date);
}
