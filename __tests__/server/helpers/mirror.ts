// The end state every sync test wants: an account's stored mail is exactly the provider's
// mailbox (every message once, none extra), and its thread rows agree with its messages.
import type { MockServer } from '@nocobase/test';
import { expect } from 'vitest';
import type { Sandbox } from '../../../sandbox';
import { expectedThreads, storedThreads, type AccountId } from './mail-db';

export async function storedRemoteIds(app: MockServer, accountId: AccountId): Promise<string[]> {
  const rows = await app.db.getRepository('mailMessages').find({ filter: { accountId }, fields: ['remoteId'] });
  return rows.map((r: { get(key: string): unknown }) => r.get('remoteId') as string).sort();
}

/** `label` says which account and, for random tests, which seed, in a failure. */
export async function expectMirrored(app: MockServer, sandbox: Sandbox, accountId: AccountId, email: string, label: string) {
  const stored = await storedRemoteIds(app, accountId);
  // Counted apart from the set comparison: a row stored twice must not hide behind a missing one.
  expect(stored.filter((id, i) => id === stored[i - 1]), `${label}: rows stored twice`).toEqual([]);
  const expected = sandbox.state.mailbox(email)!.list({ includeSpamTrash: true }).map((m) => m.id).sort();
  expect(stored, `${label}: messages of ${email}`).toEqual(expected);
  expect(await storedThreads(app, accountId), `${label}: threads of ${email}`).toEqual(await expectedThreads(app, accountId));
}
