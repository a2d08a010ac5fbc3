// The Gmail adapter's MailSync against the sandbox's Gmail emulator: folders, first sync, history,
// batched fetches, pacing under Gmail's enforced per-user quota, and the failure answers the
// engine must be able to tell apart. No NocoBase here: the adapter knows none.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Sandbox } from '../../../sandbox';
import type { MessageState } from '../../../sandbox/core/types';
import { parseMessage } from '../../../src/server/mime/parse';
import { httpStatus } from '../../../src/server/providers/errors';
import { ARCHIVE_FOLDER_ID } from '../../../src/server/providers/gmail/map';
import { TokenBucketPacing } from '../../../src/server/providers/gmail/pacing';
import { QUOTA_RETRY_MS, rateLimitFrom } from '../../../src/server/providers/gmail/throttle';
import { CursorExpiredError, RateLimitedError, type SyncCursor, type SyncSession } from '../../../src/server/providers/sync-types';
import { changesAll, deliver, firstSyncAll, gmailProvider, gmailSandbox, rejection, requestsDuring, session } from './gmail-helpers';

const ALICE = 'alice@example.com';
// The pace the design asks for, written out here rather than imported, so a change to the
// adapter's numbers cannot move the bar: 95 % of Gmail's 15,000 units per user per minute, with
// a burst of one batch of 100 messages.get (5 units each).
const PACED_UNITS_PER_SECOND = (15_000 / 60) * 0.95;
const BURST_UNITS = 100 * 5;

/** The folderIds the adapter must give a sandbox message: its folder (or ARCHIVE) and its user labels. */
function expectedFolderIds(m: MessageState): string[] {
  return [m.folderId === 'archive' ? ARCHIVE_FOLDER_ID : m.folderId, ...m.labels].sort();
}

describe('Gmail sync against the sandbox (500 messages)', () => {
  let sandbox: Sandbox;
  let alice: SyncSession;
  const mailbox = () => sandbox.state.mailbox(ALICE)!;

  beforeAll(async () => {
    sandbox = await gmailSandbox(500);
    alice = session(sandbox);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });
  afterEach(() => {
    sandbox.state.faults.clear();
  });

  it('lists labels as folders: system kinds, a synthetic archive, user labels nested by name', async () => {
    mailbox().addFolder({ name: 'Customers' });
    const provider = gmailProvider(sandbox);
    const s = session(sandbox);
    const { result: folders, requests } = await requestsDuring(sandbox, () => provider.sync.listFolders(s));
    // A new token: one getProfile to learn whose mailbox it is (the pacing key), then labels.list.
    expect(requests).toEqual({ 'gmail.users.getProfile': 1, 'gmail.users.labels.list': 1 });
    const byId = new Map(folders.map((f) => [f.remoteId, f]));
    expect(Object.fromEntries(folders.filter((f) => f.kind !== 'custom').map((f) => [f.remoteId, f.kind]))).toEqual({
      INBOX: 'inbox',
      SENT: 'sent',
      DRAFT: 'drafts',
      ARCHIVE: 'archive',
      SPAM: 'spam',
      TRASH: 'trash',
    });
    for (const id of ['STARRED', 'UNREAD', 'IMPORTANT', 'CHAT', 'CATEGORY_PERSONAL']) expect(byId.has(id)).toBe(false);
    const userLabels = mailbox().folders.filter((f) => f.kind === 'custom');
    expect(folders.filter((f) => f.kind === 'custom').map((f) => f.remoteId).sort()).toEqual(userLabels.map((f) => f.id).sort());
    const customers = userLabels.find((f) => f.name === 'Customers')!;
    const acme = userLabels.find((f) => f.name === 'Customers/Acme')!;
    expect(byId.get(acme.id)).toEqual({ remoteId: acme.id, name: 'Acme', kind: 'custom', parentRemoteId: customers.id });
    expect(byId.get('Label_1')).toEqual({ remoteId: 'Label_1', name: 'Work', kind: 'custom' });

    // The token's mailbox is known now: no second getProfile.
    const again = await requestsDuring(sandbox, () => provider.sync.listFolders(s));
    expect(again.requests).toEqual({ 'gmail.users.labels.list': 1 });
  });

  it('first sync lists every message once, newest first, drafts, spam and trash included', async () => {
    const provider = gmailProvider(sandbox);
    const expected = mailbox().list({ includeSpamTrash: true });
    expect(expected).toHaveLength(500);
    const baseline = String(mailbox().seq);
    const { result: pages, requests } = await requestsDuring(sandbox, () => firstSyncAll(provider.sync, alice, { pageSize: 120 }));

    expect(pages).toHaveLength(5);
    expect(requests['gmail.users.messages.list']).toBe(5);
    const ids = pages.flatMap((p) => p.idsToFetch);
    expect(new Set(ids).size).toBe(ids.length);
    // The sandbox lists newest first; the adapter must keep that order across pages.
    expect(ids).toEqual(expected.map((m) => m.id));
    const dates = ids.map((id) => mailbox().get(id)!.date);
    expect(dates.every((d, i) => i === 0 || d <= dates[i - 1])).toBe(true);
    for (const folder of ['DRAFT', 'SPAM', 'TRASH', 'archive']) expect(expected.some((m) => m.folderId === folder)).toBe(true);

    for (const page of pages) {
      expect(page.messages).toEqual([]);
      expect(page.estimatedTotal).toBe(500);
    }
    expect(pages.slice(0, -1).every((p) => !p.done && p.cursor.historyId === baseline && typeof p.cursor.listPageToken === 'string')).toBe(true);
    expect(pages.at(-1)).toMatchObject({ done: true, cursor: { historyId: baseline } });
    expect(Object.keys(pages.at(-1)!.cursor)).toEqual(['historyId']);
    // A finished cursor asked again lists nothing.
    expect(await provider.sync.firstSyncPage(alice, pages.at(-1)!.cursor, {})).toMatchObject({ done: true, idsToFetch: [], cursor: { historyId: baseline } });
  });

  it('first sync from a start date lists only mail received since then', async () => {
    const provider = gmailProvider(sandbox);
    const all = mailbox().list({ includeSpamTrash: true });
    const since = new Date(all[200].date + 1500);
    const expected = all.filter((m) => m.date >= Math.floor(since.getTime() / 1000) * 1000).map((m) => m.id);
    expect(expected.length).toBeGreaterThan(150);
    expect(expected.length).toBeLessThan(all.length);
    const pages = await firstSyncAll(provider.sync, alice, { since, pageSize: 100 });
    expect(pages.flatMap((p) => p.idsToFetch)).toEqual(expected);
    expect(pages[0].estimatedTotal).toBe(expected.length);
  });

  it('fetches messages as format=full in batches of at most 100, with threadKey, receivedAt and flags from labels', async () => {
    const provider = gmailProvider(sandbox);
    const all = mailbox().list({ includeSpamTrash: true });
    const wanted = all.slice(0, 230);
    // Every kind of message is in the sample, and one id Gmail no longer has.
    for (const check of [(m: MessageState) => m.folderId === 'DRAFT', (m: MessageState) => m.folderId === 'archive', (m: MessageState) => m.starred, (m: MessageState) => m.labels.length > 0, (m: MessageState) => m.hasAttachments]) {
      if (!wanted.some(check)) wanted.push(all.find(check)!);
    }
    const ids = [...wanted.map((m) => m.id), 'ffffffffffffffff'];
    const { result: messages, requests } = await requestsDuring(sandbox, () => provider.sync.fetchMessages(alice, ids));

    expect(requests['gmail.users.messages.get']).toBe(ids.length);
    expect(requests['gmail.batch']).toBe(Math.ceil(ids.length / 50));
    expect(messages.map((m) => m.remoteId)).toEqual(wanted.map((m) => m.id));
    for (const [i, message] of messages.entries()) {
      const state = wanted[i];
      expect(message.threadKey).toBe(state.threadId);
      expect(message.receivedAt.getTime()).toBe(state.date);
      expect(message.read).toBe(state.read);
      expect(message.starred).toBe(state.starred);
      expect([...message.folderIds].sort()).toEqual(expectedFolderIds(state));
      // Read from Gmail's part tree, not downloaded whole.
      expect(message.raw).toBeUndefined();
      expect(message.parsed?.size).toBe(state.size);
    }
    expect(messages.some((m) => m.parsed!.attachments.length > 0)).toBe(true);
  });

  it('reads from the part tree what reading the raw MIME reads, attachment ids included', async () => {
    const provider = gmailProvider(sandbox);
    const wanted = mailbox().list({ includeSpamTrash: true }).slice(0, 150);
    const messages = await provider.sync.fetchMessages(alice, wanted.map((m) => m.id));
    expect(messages).toHaveLength(wanted.length);
    const attachments = messages.flatMap((m) => m.parsed!.attachments);
    expect(attachments.some((a) => a.inline && a.contentId)).toBe(true);
    expect(attachments.some((a) => !a.inline && a.filename)).toBe(true);
    for (const message of messages) {
      const fromTree = await parseMessage(message);
      const fromRaw = await parseMessage({ ...message, parsed: undefined, raw: await mailbox().raw(message.remoteId) });
      // Sizes differ by design (Gmail's sizeEstimate against the bytes), and mailparser ends a
      // text with the line break Gmail's decoded part leaves out.
      const same = (m: typeof fromTree) => ({ ...m, size: 0, text: m.text.trimEnd() });
      expect(same(fromTree)).toEqual(same(fromRaw));
    }
  });

  it('reads a message raw when its part tree cannot say everything (Gmail could not read its headers)', async () => {
    const provider = gmailProvider(sandbox);
    const broken = await mailbox().insert({ raw: Buffer.from('no header section at all, only words\r\n'), folderId: 'INBOX' });
    const fine = mailbox().list({ folderIds: ['INBOX'] })[1];
    const { result: messages, requests } = await requestsDuring(sandbox, () => provider.sync.fetchMessages(alice, [broken.id, fine.id]));
    expect(requests['gmail.users.messages.get']).toBe(3);
    expect(messages.map((m) => m.remoteId)).toEqual([broken.id, fine.id]);
    expect(messages[0].raw?.toString()).toContain('no header section');
    expect(messages[1].parsed).toBeDefined();
    expect(await parseMessage(messages[0])).toMatchObject({ malformed: true, text: expect.stringContaining('only words') });
    mailbox().remove(broken.id);
  });

  it('brings changes made during and after the first sync through history, with the right kinds', async () => {
    // Small history pages, so the changes span several pages and the paging cursor is exercised.
    const provider = gmailProvider(sandbox, { tuning: { historyPageSize: 3 } });
    const box = mailbox();
    const first = await provider.sync.firstSyncPage(alice, undefined, { pageSize: 200 });
    const inbox = box.list({ folderIds: ['INBOX'] }).filter((m) => !m.starred);
    const [toRead, toStar, toTrash, toArchive, toDelete] = [inbox.find((m) => !m.read)!, ...inbox.filter((m) => m.read).slice(0, 4)];

    // While the first sync runs.
    const during = await deliver(sandbox, ALICE, 'Arrived during the first sync');
    box.modify(toRead.id, { read: true });
    box.modify(toStar.id, { starred: true });
    let cursor = first.cursor;
    let done = first.done;
    while (!done) {
      const page = await provider.sync.firstSyncPage(alice, cursor, { pageSize: 200 });
      cursor = page.cursor;
      done = page.done;
    }
    expect(cursor).toEqual({ historyId: first.cursor.historyId });

    // After it.
    box.modify(toTrash.id, { folderId: 'TRASH' });
    box.modify(toArchive.id, { folderId: 'archive' });
    box.modify(toStar.id, { addLabels: ['Label_3'] });
    box.remove(toDelete.id);
    const after = await deliver(sandbox, ALICE, 'Arrived after the first sync');

    const changes = await changesAll(provider.sync, alice, cursor);
    expect(changes.pages.length).toBeGreaterThan(2);
    expect(changes.pages.slice(0, -1).every((p) => !p.done && typeof p.cursor.historyPageToken === 'string' && p.cursor.historyId === cursor.historyId)).toBe(true);
    expect(changes.cursor).toEqual({ historyId: String(box.seq) });
    expect(changes.pages.every((p) => p.messages.length === 0)).toBe(true);

    expect([...changes.toFetch].sort()).toEqual([during.id, after.id].sort());
    expect([...changes.deleted]).toEqual([toDelete.id]);
    expect(changes.flags.get(toRead.id)).toMatchObject({ read: true, starred: false, folderIds: expect.arrayContaining(['INBOX']) });
    expect(changes.flags.get(toStar.id)).toMatchObject({ read: true, starred: true });
    expect([...changes.flags.get(toStar.id)!.folderIds!].sort()).toEqual(expectedFolderIds(box.get(toStar.id)!));
    expect(changes.flags.get(toStar.id)!.folderIds).toContain('Label_3');
    expect(changes.flags.get(toTrash.id)!.folderIds).toContain('TRASH');
    expect(changes.flags.get(toTrash.id)!.folderIds).not.toContain('INBOX');
    expect(changes.flags.get(toArchive.id)!.folderIds).toContain(ARCHIVE_FOLDER_ID);
    expect(changes.flags.get(toArchive.id)!.folderIds).not.toContain('INBOX');
    expect(changes.flags.has(toDelete.id)).toBe(false);

    const fetched = await provider.sync.fetchMessages(alice, [...changes.toFetch]);
    expect(fetched.map((m) => m.remoteId).sort()).toEqual([during.id, after.id].sort());
    expect(fetched.every((m) => m.folderIds.includes('INBOX') && !m.read)).toBe(true);
    expect(fetched.find((m) => m.remoteId === after.id)!.parsed?.subject).toBe('Arrived after the first sync');

    // Nothing new: one empty page, the cursor stays.
    const idle = await provider.sync.changesPage(alice, changes.cursor);
    expect(idle).toMatchObject({ done: true, idsToFetch: [], flagChanges: [], deletions: [], cursor: changes.cursor });
  });

  it('reports a message added and deleted within one page as a deletion only', async () => {
    const provider = gmailProvider(sandbox);
    const start = { historyId: String(mailbox().seq) };
    const kept = await deliver(sandbox, ALICE, 'Kept');
    const gone = await deliver(sandbox, ALICE, 'Gone before the sync saw it');
    mailbox().modify(gone.id, { read: true });
    mailbox().remove(gone.id);
    const page = await provider.sync.changesPage(alice, start);
    expect(page.done).toBe(true);
    expect(page.idsToFetch).toEqual([kept.id]);
    expect(page.deletions).toEqual([gone.id]);
    expect(page.flagChanges).toEqual([]);
  });

  it('answers CursorExpiredError (mailbox-wide, no folder) once history has expired', async () => {
    const provider = gmailProvider(sandbox);
    const bob = session(sandbox, 'bob@example.com');
    const [{ cursor }] = await firstSyncAll(provider.sync, bob);
    // Changes the cursor has not seen, then forgotten by the server.
    await deliver(sandbox, 'bob@example.com', 'Before expiry');
    sandbox.state.mailbox('bob@example.com')!.expireHistory();
    const err = await rejection(provider.sync.changesPage(bob, cursor));
    expect(err).toBeInstanceOf(CursorExpiredError);
    expect((err as CursorExpiredError).folderRemoteId).toBeUndefined();
    expect(await rejection(provider.sync.changesPage(bob, {}))).toBeInstanceOf(CursorExpiredError);
  });

  it('turns 429 with Retry-After into RateLimitedError without retrying behind the engine', async () => {
    const provider = gmailProvider(sandbox);
    const cursor = { historyId: String(mailbox().seq) };
    await provider.sync.changesPage(alice, cursor); // learns the mailbox, so only history.list is counted below
    sandbox.state.faults.add({ provider: 'google', operation: 'gmail.users.history.list', status: 429, retryAfter: 1, times: 1 });
    const { result: err, requests } = await requestsDuring(sandbox, () => rejection(provider.sync.changesPage(alice, cursor)));
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(1000);
    expect(requests).toEqual({ 'gmail.users.history.list': 1 });
    expect(provider.classifyError(err)).toBe('temporary');
    expect(provider.describeError(err)).toBe('Gmail rate limit (HTTP 429 rateLimitExceeded)');
    // The next call waits out the second Gmail asked for (pacing.penalize), then succeeds.
    expect((await provider.sync.changesPage(alice, cursor)).done).toBe(true);
  });

  it('turns 403 userRateLimitExceeded into RateLimitedError, and leaves other 403s alone', async () => {
    const provider = gmailProvider(sandbox);
    sandbox.state.faults.add({ provider: 'google', operation: 'gmail.users.labels.list', status: 403, times: 1 });
    const err = await rejection(provider.sync.listFolders(alice));
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(QUOTA_RETRY_MS);

    const now = Date.parse('2030-01-01T00:00:00.000Z');
    const quota = { error: { code: 403, message: 'User-rate limit exceeded.  Retry after 2030-01-01T00:00:12.500Z', errors: [{ reason: 'userRateLimitExceeded' }] } };
    expect(rateLimitFrom(403, quota, () => undefined, now)?.retryAfterMs).toBe(12_500);
    expect(rateLimitFrom(429, {}, (name) => (name === 'retry-after' ? '7' : undefined), now)?.retryAfterMs).toBe(7000);
    expect(rateLimitFrom(403, { error: { code: 403, errors: [{ reason: 'insufficientPermissions' }] } }, () => undefined, now)).toBeUndefined();
    expect(rateLimitFrom(503, {}, () => '5', now)).toBeUndefined();
  });

  it('asks a batch part that failed with 503 again, once, and then gives up with a temporary error', async () => {
    const provider = gmailProvider(sandbox);
    const ids = mailbox().list().slice(0, 60).map((m) => m.id);
    await provider.sync.listFolders(alice);
    const faultsBefore = sandbox.state.counters.faults;
    sandbox.state.faults.add({ provider: 'google', operation: 'gmail.users.messages.get', status: 503, times: 1 });
    const { result: messages, requests } = await requestsDuring(sandbox, () => provider.sync.fetchMessages(alice, ids));
    expect(messages.map((m) => m.remoteId)).toEqual(ids);
    expect(sandbox.state.counters.faults).toBe(faultsBefore + 1);
    expect(requests).toEqual({ 'gmail.batch': 3, 'gmail.users.messages.get': 61 });

    // Failing twice: thrown, as an error the provider classifies as temporary.
    sandbox.state.faults.add({ provider: 'google', operation: 'gmail.users.messages.get', path: ids[7], status: 503, times: 2 });
    const err = await rejection(provider.sync.fetchMessages(alice, ids.slice(0, 10)));
    expect(provider.classifyError(err)).toBe('temporary');
    expect(provider.describeError(err)).toMatch(/^Google answered HTTP 503/);
  });

  it('turns a rate-limited batch part into RateLimitedError', async () => {
    const provider = gmailProvider(sandbox);
    const ids = mailbox().list().slice(0, 20).map((m) => m.id);
    sandbox.state.faults.add({ provider: 'google', operation: 'gmail.users.messages.get', status: 429, retryAfter: 2, times: 1 });
    const err = await rejection(provider.sync.fetchMessages(alice, ids));
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(2000);
  });
  // Last in this block: it expires every access token the sandbox has issued.
  it('leaves an expired access token to the engine: a 401 it can see, no refresh behind its back', async () => {
    const provider = gmailProvider(sandbox);
    const ids = mailbox().list().slice(0, 3).map((m) => m.id);
    await provider.sync.listFolders(alice);
    sandbox.state.tokens.expireAccessTokens();
    const { result: errors, requests } = await requestsDuring(sandbox, async () => [
      await rejection(provider.sync.changesPage(alice, { historyId: String(mailbox().seq) })),
      await rejection(provider.sync.fetchMessages(alice, ids)),
    ]);
    for (const err of errors) {
      expect(httpStatus(err)).toBe(401);
      expect(provider.classifyError(err)).toBe('reauth');
    }
    expect(requests['oauth2.token']).toBeUndefined();
  });
});

describe('Gmail pacing', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('serves concurrent callers of one mailbox in order, at the bucket rate, and other mailboxes apart', async () => {
    vi.useFakeTimers();
    const pacing = new TokenBucketPacing({ ratePerSecond: 100, burst: 100 });
    const done: string[] = [];
    const calls = ['a1', 'a2', 'a3', 'a4'].map((name) => pacing.acquire('a@example.com', 50).then(() => done.push(name)));
    const other = pacing.acquire('b@example.com', 100).then(() => done.push('b'));
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toEqual(['a1', 'a2', 'b']);
    await vi.advanceTimersByTimeAsync(499);
    expect(done).toEqual(['a1', 'a2', 'b']);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toEqual(['a1', 'a2', 'b', 'a3']);
    await vi.advanceTimersByTimeAsync(500);
    expect(done).toEqual(['a1', 'a2', 'b', 'a3', 'a4']);
    await Promise.all([...calls, other]);

    // Retry-After holds the mailbox back for every caller.
    pacing.penalize('a@example.com', 2000);
    let late = false;
    const waiting = pacing.acquire('a@example.com', 1).then(() => (late = true));
    await vi.advanceTimersByTimeAsync(1990);
    expect(late).toBe(false);
    await vi.advanceTimersByTimeAsync(30);
    await waiting;
    expect(late).toBe(true);
  });
});

describe('Gmail sync under the enforced quota (1,000 messages)', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await gmailSandbox(1000, 5);
  });
  afterAll(async () => {
    sandbox.state.quota.google = false;
    await sandbox?.stop();
  });

  it('syncs the whole mailbox with zero rate-limit answers, never spending faster than the pace', async () => {
    const provider = gmailProvider(sandbox);
    const alice = session(sandbox);
    const expected = sandbox.state.mailbox(ALICE)!.list({ includeSpamTrash: true }).map((m) => m.id);
    sandbox.state.quota.google = true;
    sandbox.state.counters.reset();
    // When the sandbox admitted each call and what it charged: Gmail's own view of our pace.
    const charged: { at: number; units: number }[] = [];
    const counters = sandbox.state.counters;
    const units = counters.units.bind(counters);
    counters.units = (user, n) => {
      charged.push({ at: Date.now(), units: n });
      units(user, n);
    };

    const started = Date.now();
    const fetched: string[] = [];
    let cursor: SyncCursor | undefined;
    for (;;) {
      const page = await provider.sync.firstSyncPage(alice, cursor, { pageSize: 500 });
      fetched.push(...(await provider.sync.fetchMessages(alice, page.idsToFetch)).map((m) => m.remoteId));
      cursor = page.cursor;
      if (page.done) break;
    }
    const seconds = (Date.now() - started) / 1000;
    counters.units = units;

    expect(sandbox.state.counters.rateLimited).toEqual({});
    expect(fetched).toEqual(expected);
    // getProfile 1 + two messages.list pages 2 × 5 + 1,000 messages.get × 5: the adapter spends what Gmail charges, nothing more.
    expect(sandbox.state.counters.quotaUnits[ALICE]).toBe(1 + 2 * 5 + 1000 * 5);
    // 1,000 messages cost a third of a minute's quota, so a client that did not pace at all would
    // also see no 403 here. What shows the pacing is the pace itself: in no window of W seconds did
    // Gmail admit more than the burst plus W at the paced rate (give or take one batch of network
    // jitter). This bounds speed from above only; a slow machine cannot make it fail.
    const jitter = 250;
    for (const windowMs of [1000, 5000, 10_000, 60_000]) {
      let most = 0;
      for (let i = 0, j = 0, inWindow = 0; i < charged.length; i++) {
        inWindow += charged[i].units;
        while (charged[i].at - charged[j].at >= windowMs) inWindow -= charged[j++].units;
        most = Math.max(most, inWindow);
      }
      expect(most, `units admitted within ${windowMs} ms`).toBeLessThanOrEqual(BURST_UNITS + (PACED_UNITS_PER_SECOND * windowMs) / 1000 + jitter);
    }
    console.log(`[gmail-sync] first sync of ${fetched.length} messages under quota: ${seconds.toFixed(1)} s, ${(fetched.length / seconds).toFixed(1)} messages/s`);
  });
});
