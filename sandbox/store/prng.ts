// Deterministic randomness: the same seed, user and index always give the same message.
import { createHash } from 'node:crypto';

export type Random = {
  (): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
};

export function hash32(...parts: (string | number)[]): number {
  return createHash('sha1').update(parts.join('\u0000')).digest().readUInt32LE(0);
}

/** mulberry32: small, fast and good enough for test data. */
export function random(...seedParts: (string | number)[]): Random {
  let a = hash32(...seedParts);
  const next = (() => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }) as Random;
  next.int = (min, max) => min + Math.floor(next() * (max - min + 1));
  next.pick = (items) => items[Math.floor(next() * items.length)];
  next.chance = (p) => next() < p;
  return next;
}

export function shortHash(bytes: number, ...parts: (string | number)[]): Buffer {
  return createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, bytes);
}
