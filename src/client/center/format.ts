// Dates, sizes and addresses as the Email center shows them, in the user's language.
import type { MailAddress } from '../../shared/mail';

function dateFormat(language: string, options: Intl.DateTimeFormatOptions) {
  try {
    return new Intl.DateTimeFormat(language, options);
  } catch {
    return new Intl.DateTimeFormat('en-US', options);
  }
}

/** A list's date column: the time today, day and month this year, the full date before. */
export function listDate(value: string | null | undefined, language: string, now = new Date()) {
  const date = value ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) return '';
  if (date.toDateString() === now.toDateString()) return dateFormat(language, { hour: 'numeric', minute: '2-digit' }).format(date);
  if (date.getFullYear() === now.getFullYear()) return dateFormat(language, { month: 'short', day: 'numeric' }).format(date);
  return dateFormat(language, { year: 'numeric', month: 'short', day: 'numeric' }).format(date);
}

/** The date and time in full, for a message's header and for quotes. */
export function fullDate(value: string | null | undefined, language: string) {
  const date = value ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) return '';
  return dateFormat(language, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** 1.2 MB, 340 KB, 12 B. */
export function fileSize(bytes: number, language: string) {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = Math.max(0, bytes || 0);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  let text: string;
  try {
    text = new Intl.NumberFormat(language, { maximumFractionDigits: unit && value < 10 ? 1 : 0 }).format(value);
  } catch {
    text = String(Math.round(value));
  }
  return `${text} ${units[unit]}`;
}

export function sameAddress(a: string | undefined | null, b: string | undefined | null) {
  return !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The name, or the address when there is none. */
export function addressName(address: MailAddress | null | undefined) {
  if (!address) return '';
  return address.name?.trim() || address.address;
}

/** "Ann Example <ann@example.com>", as a header or a recipient field shows it. */
export function addressLine(address: MailAddress) {
  const name = address.name?.trim();
  return name && !sameAddress(name, address.address) ? `${name} <${address.address}>` : address.address;
}

/** Deliberately plain: something@domain.tld, no spaces; the server checks properly when sending. */
const ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;
export function isValidAddress(value: string) {
  return ADDRESS.test(value.trim());
}

/** Pulls the address out of "Name <address>" or returns the text as typed. */
export function parseRecipient(value: string): string {
  const angle = /<([^<>]+)>\s*$/.exec(value);
  return (angle ? angle[1] : value).trim();
}
