import { Tooltip } from 'antd';
import React, { useEffect, useState } from 'react';
import { useLanguage } from '../i18n';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['week', 7 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
];

function formatter(language: string) {
  try {
    return new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  } catch {
    return new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  }
}

/** "5 minutes ago", "yesterday" … in the user's language. */
export function relativeTime(date: Date, now: Date, language: string) {
  const seconds = (date.getTime() - now.getTime()) / 1000;
  const format = formatter(language);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(0, 'second');
}

function useNow(intervalMs: number) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** A relative time that stays current, with the exact time on hover. */
export function RelativeTime({ value }: { value: string }) {
  const language = useLanguage();
  const now = useNow(60_000);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <>{value}</>;
  return (
    <Tooltip title={date.toLocaleString(language)}>
      <time dateTime={date.toISOString()}>{relativeTime(date, now, language)}</time>
    </Tooltip>
  );
}
