// The Gmail adapter against the in-process sandbox, as the plugin builds it: the admin's endpoint
// overrides in the provider options, an access token the sandbox issued, nothing else.
import { startSandbox, type Sandbox } from '../../../sandbox';
import { GmailProvider, type GmailProviderDeps } from '../../../src/server/providers/gmail';
import { createGmailPacing } from '../../../src/server/providers/gmail/pacing';
import type { FirstSyncOptions, MailSync, RemoteFlagChange, SyncCursor, SyncPage, SyncSession } from '../../../src/server/providers/sync-types';

export const FULL_SCOPE = 'https://mail.google.com/';

export async function gmailSandbox(size: number, seed = 11): Promise<Sandbox> {
  return startSandbox({ seed, size });
}

/** What scripts/demo.js sandboxSettings() saves for Google. A fresh pacer per provider keeps tests apart. */
export function gmailProvider(sandbox: Sandbox, deps: GmailProviderDeps = {}): GmailProvider {
  const client = sandbox.state.clients.find((c) => c.provider === 'google')!;
  return new GmailProvider(
    {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      options: { authorizeUrl: `${sandbox.googleUrl}/o/oauth2/v2/auth`, tokenUrl: `${sandbox.googleUrl}/token`, apiBaseUrl: `${sandbox.googleUrl}/` },
    },
    { pacing: createGmailPacing(), ...deps },
  );
}

export function session(sandbox: Sandbox, email = 'alice@example.com'): SyncSession {
  const user = sandbox.state.findUser(email)!;
  return { accessToken: sandbox.state.tokens.issue('google', 'sandbox-google-client', user, [FULL_SCOPE]).accessToken };
}

export async function firstSyncAll(sync: MailSync, s: SyncSession, options: FirstSyncOptions = {}): Promise<SyncPage[]> {
  const pages: SyncPage[] = [];
  let cursor: SyncCursor | undefined;
  for (;;) {
    const page = await sync.firstSyncPage(s, cursor, options);
    pages.push(page);
    cursor = page.cursor;
    if (page.done) return pages;
    if (pages.length > 1000) throw new Error('first sync does not end');
  }
}

/** What an engine would know after applying every page in order: ids to fetch, flags, deletions. */
export interface AppliedChanges {
  pages: SyncPage[];
  toFetch: Set<string>;
  flags: Map<string, RemoteFlagChange>;
  deleted: Set<string>;
  cursor: SyncCursor;
}

export async function changesAll(sync: MailSync, s: SyncSession, cursor: SyncCursor): Promise<AppliedChanges> {
  const applied: AppliedChanges = { pages: [], toFetch: new Set(), flags: new Map(), deleted: new Set(), cursor };
  for (;;) {
    const page = await sync.changesPage(s, applied.cursor);
    applied.pages.push(page);
    for (const id of page.idsToFetch) applied.toFetch.add(id);
    for (const change of page.flagChanges) applied.flags.set(change.remoteId, { ...applied.flags.get(change.remoteId), ...change });
    for (const id of page.deletions) {
      applied.deleted.add(id);
      applied.toFetch.delete(id);
      applied.flags.delete(id);
    }
    applied.cursor = page.cursor;
    if (page.done) return applied;
    if (applied.pages.length > 1000) throw new Error('history does not end');
  }
}

/** Requests per operation that `work` caused. */
export async function requestsDuring<T>(sandbox: Sandbox, work: () => Promise<T>): Promise<{ result: T; requests: Record<string, number> }> {
  const before = { ...sandbox.state.counters.requests };
  const result = await work();
  const requests: Record<string, number> = {};
  for (const [op, n] of Object.entries(sandbox.state.counters.requests)) {
    if (n !== (before[op] || 0)) requests[op] = n - (before[op] || 0);
  }
  return { result, requests };
}

/** Live mail through the sandbox's control API, as a test harness outside the process would add it. */
export async function deliver(sandbox: Sandbox, email: string, subject: string): Promise<{ id: string; threadId: string }> {
  const res = await fetch(`${sandbox.controlUrl}/users/${encodeURIComponent(email)}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ subject, text: `Body of ${subject}`, from: { name: 'Live Sender', address: 'live@sender.example' } }),
  });
  if (res.status !== 201) throw new Error(`deliver: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}
