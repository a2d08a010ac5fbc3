// What the sandbox saw: requests per operation, quota units per user, rate-limit answers.
import type { Counters } from './types';

export function createCounters() {
  const counters = {
    requests: {} as Record<string, number>,
    quotaUnits: {} as Record<string, number>,
    rateLimited: {} as Record<string, number>,
    faults: 0,
    reset() {
      counters.requests = {};
      counters.quotaUnits = {};
      counters.rateLimited = {};
      counters.faults = 0;
    },
    count(operation: string) {
      counters.requests[operation] = (counters.requests[operation] || 0) + 1;
    },
    limited(operation: string) {
      counters.rateLimited[operation] = (counters.rateLimited[operation] || 0) + 1;
    },
    units(user: string, n: number) {
      counters.quotaUnits[user] = (counters.quotaUnits[user] || 0) + n;
    },
    snapshot(): Counters {
      return { requests: { ...counters.requests }, quotaUnits: { ...counters.quotaUnits }, rateLimited: { ...counters.rateLimited }, faults: counters.faults };
    },
  };
  return counters;
}
