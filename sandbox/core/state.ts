// The shared state of one sandbox: users and their mailboxes, grants, faults, counters, quota switches.
import type { OAuthClient, SandboxState, SandboxUser } from './types';
import { createCounters } from './counters';
import { createFaults } from './faults';
import { createTokenStore } from './tokens';
import { SandboxMailbox } from '../store/mailbox';
import { SEED_USERS } from '../store/users';

export const DEFAULT_CLIENTS: OAuthClient[] = [
  { provider: 'google', clientId: 'sandbox-google-client', clientSecret: 'sandbox-google-secret', redirectUris: [] },
  { provider: 'microsoft', clientId: 'sandbox-microsoft-client', clientSecret: 'sandbox-microsoft-secret', redirectUris: [] },
];

export interface StateOptions {
  seed?: number;
  /** Messages in each provider's first mailbox (10 to 100,000). */
  size?: number;
  /** Messages in the other mailboxes (default: min(size, 40)). */
  smallSize?: number;
  /** "Now" for the generated dates (default: the start of the current hour, for stable runs). */
  anchor?: number;
  quota?: { google?: boolean; microsoft?: boolean };
  clients?: OAuthClient[];
}

export function createState(options: StateOptions = {}): SandboxState & { mailboxes: Map<string, SandboxMailbox> } {
  const seed = options.seed ?? 1;
  const size = options.size ?? 200;
  if (size < 0 || size > 100000) throw new Error('size must be between 0 and 100,000');
  const anchor = options.anchor ?? Math.floor(Date.now() / 3600e3) * 3600e3;
  const users: SandboxUser[] = SEED_USERS.map((u) => ({ ...u }));
  const mailboxes = new Map<string, SandboxMailbox>();
  const firstOf = new Set<string>();
  for (const user of users) {
    const first = !users.some((u) => u.provider === user.provider && firstOf.has(u.email));
    if (first) firstOf.add(user.email);
    const n = first ? size : options.smallSize ?? Math.min(size, 40);
    mailboxes.set(user.email.toLowerCase(), new SandboxMailbox(user, seed, n, anchor));
  }
  const counters = createCounters();
  return {
    seed,
    users,
    mailboxes,
    mailbox: (email) => mailboxes.get(String(email).toLowerCase()),
    findUser: (email) => users.find((u) => u.email.toLowerCase() === String(email).toLowerCase()),
    tokens: createTokenStore(),
    clients: (options.clients || DEFAULT_CLIENTS).map((c) => ({ ...c })),
    faults: createFaults(),
    counters,
    quota: { google: Boolean(options.quota?.google), microsoft: Boolean(options.quota?.microsoft) },
    latencyMs: 0,
  };
}
