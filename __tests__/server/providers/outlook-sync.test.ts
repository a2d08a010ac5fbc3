// The Outlook adapter's sync half against the Graph emulator, through the official Graph client
// over https: folders, a paged first sync with bodies, incremental delta with moves and
// deletions, per-folder recovery from an expired delta link, pacing under Graph's enforced
// limits, and throttling answers turned into RateLimitedError.
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Mailbox, type Sandbox } from '../../../sandbox';
import { OutlookProvider } from '../../../src/server/providers/outlook';
import { GraphPacer } from '../../../src/server/providers/outlook/pacing';
import { OutlookSync } from '../../../src/server/providers/outlook/sync';
import { CursorExpiredError, RateLimitedError, type SyncCursor, type SyncSession } from '../../../src/server/providers/sync-types';
import { TestEngine } from './outlook-engine';

const CAROL = 'carol@contoso.example';
const DAVE = 'dave@contoso.example';
const SIZE = 500;
const PAGE = 50;

let sandbox: Sandbox;
let provider: OutlookProvider;
let carol: SyncSession;
let mailbox: Mailbox;

function session(email: string): SyncSession {
  const user = sandbox.state.findUser(email)!;
  const grant = sandbox.state.tokens.issue('microsoft', 'sandbox-microsoft-client', user, ['Mail.ReadWrite', 'Mail.Send', 'User.Read', 'offline_access']);
  return { accessToken: grant.accessToken };
}

/** As scripts/demo.js configures Microsoft for the sandbox. */
function adapter() {
  const client = sandbox.state.clients.find((c) => c.provider === 'microsoft')!;
  return new OutlookProvider({
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    options: { tenant: 'common', authorizeUrl: sandbox.microsoftUrl, apiBaseUrl: sandbox.microsoftUrl },
  });
}

const requests = (operation: string) => sandbox.state.counters.requests[operation] || 0;
const throttled = () => Object.values(sandbox.state.counters.rateLimited).reduce((a, b) => a + b, 0);
const folderOf = (kind: string) => mailbox.folders.find((f) => f.kind === kind)!;

/** The store must hold exactly the sandbox's messages, each in its folder with its flags. */
function expectStoreMatches(engine: TestEngine, box: Mailbox) {
  const expected = box.list({ includeSpamTrash: true });
  expect([...engine.store.keys()].sort()).toEqual(expected.map((m) => m.id).sort());
  for (const m of expected) {
    const stored = engine.store.get(m.id)!;
    expect({ id: m.id, folderIds: stored.folderIds, read: stored.read, starred: stored.starred }).toEqual({ id: m.id, folderIds: [m.folderId], read: m.read, starred: m.starred });
  }
}

async function rawMessage(subject: string, extra: Record<string, string> = {}) {
  const mail = new MailComposer({ from: 'Erin <erin@fabrikam.example>', to: CAROL, subject, html: `<p>${subject}</p>`, text: subject, date: new Date(), ...extra }).compile();
  return new Promise<Buffer>((resolve, reject) => mail.build((err, buf) => (err ? reject(err) : resolve(buf))));
}

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 11, size: SIZE });
  provider = adapter();
  carol = session(CAROL);
  mailbox = sandbox.state.mailbox(CAROL)!;
});

afterAll(async () => {
  await sandbox?.stop();
});

beforeEach(() => {
  sandbox.state.faults.clear();
  sandbox.state.quota.microsoft = false;
  sandbox.state.counters.reset();
});

describe('folders', () => {
  it('lists every folder with child folders, kinds from the well-known names, and parents', async () => {
    const folders = await provider.sync.listFolders(carol);
    expect(folders.map((f) => [f.name, f.kind])).toEqual([
      ['Inbox', 'inbox'],
      ['Sent Items', 'sent'],
      ['Drafts', 'drafts'],
      ['Junk Email', 'spam'],
      ['Deleted Items', 'trash'],
      ['Archive', 'archive'],
      ['Projects', 'custom'],
      ['2026', 'custom'],
    ]);
    const byName = new Map(folders.map((f) => [f.name, f]));
    expect(byName.get('2026')!.parentRemoteId).toBe(byName.get('Projects')!.remoteId);
    expect(folders.filter((f) => f.name !== '2026').every((f) => f.parentRemoteId === undefined)).toBe(true);
    expect(new Set(folders.map((f) => f.remoteId))).toEqual(new Set(mailbox.folders.map((f) => f.id)));
    // The six well-known folders are resolved in one $batch, not one request each.
    expect(requests('graph.batch')).toBe(1);
    expect(requests('graph.mailFolders.list')).toBe(1);
    expect(requests('graph.mailFolders.childFolders')).toBe(1);
  });
});

describe('first sync', () => {
  it('brings every message once, with bodies and parsed fields, at one request per page', async () => {
    const engine = new TestEngine(provider.sync, carol);
    const pages = await engine.firstSync({ pageSize: PAGE });

    const expected = mailbox.list({ includeSpamTrash: true });
    expect(expected).toHaveLength(SIZE);
    const ids = pages.flatMap((p) => p.messages.map((m) => m.remoteId));
    expect(ids).toHaveLength(SIZE);
    expect(new Set(ids)).toEqual(new Set(expected.map((m) => m.id)));
    expectStoreMatches(engine, mailbox);

    // Inbox first, then sent, then archive; each folder newest first.
    const order = [...new Set(ids.map((id) => engine.store.get(id)!.folderIds[0]))];
    expect(order.slice(0, 3)).toEqual([folderOf('inbox').id, folderOf('sent').id, folderOf('archive').id]);
    const inboxDates = pages.flatMap((p) => p.messages).filter((m) => m.folderIds[0] === folderOf('inbox').id).map((m) => m.receivedAt.getTime());
    expect(inboxDates).toEqual([...inboxDates].sort((a, b) => b - a));

    // One delta request per page, no per-message GET, nothing left for fetchMessages.
    expect(pages.every((p) => p.idsToFetch.length === 0 && p.messages.length <= PAGE)).toBe(true);
    expect(requests('graph.messages.get')).toBe(0);
    // Exactly the pages each folder needs (an empty folder still takes one request).
    const pagesNeeded = mailbox.folders.reduce((n, f) => n + Math.max(1, Math.ceil(mailbox.list({ folderIds: [f.id] }).length / PAGE)), 0);
    expect(requests('graph.messages.delta')).toBe(pagesNeeded);
    expect(pages[0].estimatedTotal).toBe(SIZE);
    expect(pages.at(-1)!.estimatedTotal).toBe(SIZE);
    expect(pages.at(-1)!.done).toBe(true);
    expect(pages.slice(0, -1).every((p) => !p.done)).toBe(true);

    // Parsed fields against the emulator's content, for every message.
    for (const state of expected) {
      const m = engine.store.get(state.id)!.message;
      const content = await mailbox.content(state.id);
      expect(m.threadKey).toBe(state.threadId);
      expect(m.receivedAt.getTime()).toBe(Math.floor(state.date / 1000) * 1000);
      expect(m.parsed!.messageId).toBe(content.messageId);
      expect(m.parsed!.inReplyTo).toBe(content.inReplyTo);
      expect(m.parsed!.references).toEqual(content.references?.length ? content.references : undefined);
      expect(m.parsed!.subject).toBe(content.subject);
      expect(m.parsed!.from?.address).toBe(content.from.address);
      expect(m.parsed!.to.map((a) => a.address)).toEqual(content.to.map((a) => a.address));
      expect(m.parsed!.cc.map((a) => a.address)).toEqual(content.cc.map((a) => a.address));
      expect(m.parsed!.sentAt!.getTime()).toBe(Math.floor(content.date.getTime() / 1000) * 1000);
      if (content.html !== undefined) expect(m.parsed!.html).toBe(content.html);
      else expect(m.parsed!.text).toBe(content.text);
      expect(m.parsed!.snippet).toBe(state.snippet.slice(0, 255));
      expect((m.parsed as { hasAttachments?: boolean }).hasAttachments).toBe(state.hasAttachments);
    }
    const named = [...engine.store.values()].map((s) => s.message.parsed!.from!).find((a) => a.name);
    expect(named?.name).toBeTruthy();
    expect([...engine.store.values()].some((s) => s.message.parsed!.inReplyTo)).toBe(true);
  });

  it('fills a page from several delta requests of at most 100, across folders; the first page is one request', async () => {
    const first = await provider.sync.firstSyncPage(carol, undefined, { pageSize: 250 });
    // The newest mail is stored after one request, not after a page's worth of them.
    expect(requests('graph.messages.delta')).toBe(1);
    expect(first.messages.length).toBeGreaterThan(0);
    expect(first.messages.length).toBeLessThanOrEqual(100);

    const engine = new TestEngine(provider.sync, carol);
    engine.apply(first);
    const rest = await engine.firstSync({ pageSize: 250 }, first.cursor);
    expect(engine.store.size).toBe(SIZE);
    expectStoreMatches(engine, mailbox);
    // Each request asked for 100 (Prefer odata.maxpagesize): the same requests a page of 100
    // would make, gathered into fewer pages, none over the size asked for.
    const requestsNeeded = mailbox.folders.reduce((n, f) => n + Math.max(1, Math.ceil(mailbox.list({ folderIds: [f.id] }).length / 100)), 0);
    expect(requests('graph.messages.delta')).toBe(requestsNeeded);
    const sizes = rest.map((p) => p.messages.length);
    expect(Math.max(...sizes)).toBeGreaterThan(100);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(250);
    expect(rest.length).toBeLessThan(requestsNeeded - 1);
  });

  it('loses nothing when a request fails in the middle of a page: the stored cursor fetches that page again', async () => {
    const engine = new TestEngine(provider.sync, carol);
    const first = await provider.sync.firstSyncPage(carol, undefined, { pageSize: 500 });
    engine.apply(first);
    // The third request of the next page: two requests' messages are in hand when it fails.
    sandbox.state.faults.add({ provider: 'microsoft', operation: 'graph.messages.delta', status: 429, retryAfter: 1, times: 1, after: 2 });
    const failed = await provider.sync.firstSyncPage(carol, first.cursor, { pageSize: 500 }).catch((e) => e);
    expect(failed).toBeInstanceOf(RateLimitedError);
    expect(requests('graph.messages.delta')).toBe(4);
    await engine.firstSync({ pageSize: 500 }, first.cursor);
    expect(engine.store.size).toBe(SIZE);
    expectStoreMatches(engine, mailbox);
  });

  it('takes only mail received since the start date, with $filter on each folder delta', async () => {
    const all = mailbox.list({ includeSpamTrash: true });
    const since = new Date(Math.ceil(all[120].date / 1000) * 1000);
    const engine = new TestEngine(provider.sync, carol);
    const pages = await engine.firstSync({ since, pageSize: 100 });
    const expected = all.filter((m) => m.date >= since.getTime()).map((m) => m.id);
    expect(expected.length).toBeGreaterThan(100);
    expect(pages.flatMap((p) => p.messages.map((m) => m.remoteId)).sort()).toEqual(expected.sort());
    // The estimate starts from the folders' counts, narrows as folders finish, and ends exact.
    const estimates = pages.map((p) => p.estimatedTotal!);
    expect(estimates[0]).toBeLessThanOrEqual(SIZE);
    expect(estimates[0]).toBeGreaterThan(expected.length);
    expect(estimates).toEqual([...estimates].sort((a, b) => b - a));
    expect(estimates.at(-1)).toBe(expected.length);
  });

  it('restarts from any stored cursor without losing or repeating a message', async () => {
    const engine = new TestEngine(provider.sync, carol);
    const first = await provider.sync.firstSyncPage(carol, undefined, { pageSize: 30 });
    engine.apply(first);
    // A "new process": only the JSON of the stored cursor survives. Its links are relative to
    // the Graph root, so a changed proxy or port does not strand them.
    const json = JSON.stringify(first.cursor);
    expect(json).toContain('/me/mailFolders/');
    expect(json).not.toContain(sandbox.microsoftUrl);
    const restored = JSON.parse(json) as SyncCursor;
    const rest = await engine.firstSync({ pageSize: 30 }, restored);
    const ids = [first, ...rest].flatMap((p) => p.messages.map((m) => m.remoteId));
    expect(ids).toHaveLength(SIZE);
    expect(new Set(ids).size).toBe(SIZE);
  });
});

describe('incremental changes', () => {
  it('brings new, read, flagged, moved and deleted mail through changesPage; a move keeps its id', async () => {
    const engine = new TestEngine(provider.sync, carol);
    await engine.firstSync({ pageSize: PAGE });
    const quiet = await engine.changes();
    expect(quiet.flatMap((p) => [...p.messages, ...p.deletions, ...p.flagChanges])).toEqual([]);

    const inbox = folderOf('inbox');
    const archive = folderOf('archive');
    const inInbox = mailbox.list({ folderIds: [inbox.id] });
    const [toRead, toFlag, toArchive, toDelete, toNewFolder, toBin] = inInbox.filter((m) => !m.read && !m.starred);
    const added = await mailbox.insert({ raw: await rawMessage('Delta arrival'), folderId: inbox.id });
    mailbox.modify(toRead.id, { read: true });
    mailbox.modify(toFlag.id, { starred: true });
    mailbox.modify(toArchive.id, { folderId: archive.id });
    mailbox.remove(toDelete.id);
    const receipts = mailbox.addFolder({ name: 'Receipts' });
    mailbox.modify(toNewFolder.id, { folderId: receipts.id });
    mailbox.modify(toBin.id, { folderId: folderOf('trash').id });

    sandbox.state.counters.reset();
    const pages = await engine.changes();
    expectStoreMatches(engine, mailbox);
    const deletions = pages.flatMap((p) => p.deletions);
    expect(deletions).toEqual([toDelete.id]);
    // Moves: removed from one folder, the same remote id in another, never a deletion.
    for (const moved of [toArchive, toNewFolder, toBin]) expect(engine.store.has(moved.id)).toBe(true);
    expect(engine.store.get(toArchive.id)!.folderIds).toEqual([archive.id]);
    expect(engine.store.get(toNewFolder.id)!.folderIds).toEqual([receipts.id]);
    const arrival = engine.store.get(added.id)!.message;
    expect(arrival.parsed).toMatchObject({ subject: 'Delta arrival', html: '<p>Delta arrival</p>', from: { name: 'Erin', address: 'erin@fabrikam.example' } });
    expect(engine.store.get(toRead.id)).toMatchObject({ read: true });
    expect(engine.store.get(toFlag.id)).toMatchObject({ starred: true });
    // Read and flag changes come as whole messages (delta returns the $select of the first round).
    expect(pages.flatMap((p) => p.messages.map((m) => m.remoteId))).toEqual(expect.arrayContaining([toRead.id, toFlag.id]));
    expect(pages.every((p) => p.idsToFetch.length === 0)).toBe(true);
    // One $batch checked the removal no destination folder explained on the same page (the deletion).
    expect(requests('graph.messages.get')).toBe(1);

    // The new folder is part of the cursor now: the next round is quiet again.
    const again = await engine.changes();
    expect(again.flatMap((p) => [...p.messages, ...p.deletions, ...p.flagChanges])).toEqual([]);
  });

  it('turns a removal whose destination was polled on an earlier page into a folder change', async () => {
    const engine = new TestEngine(provider.sync, carol);
    await engine.firstSync({ pageSize: PAGE });
    await engine.changes();
    // Move a message from Deleted Items (polled last) to the inbox (polled first), then poll in
    // two steps: a page size of 1 makes the inbox's page end the call before the bin is polled.
    const source = [...engine.store.values()].find((s) => s.folderIds[0] === folderOf('trash').id)!;
    const cursor = { ...(engine.cursor as SyncCursor), pageSize: 1 };
    mailbox.modify(source.remoteId, { folderId: folderOf('inbox').id });
    const first = await provider.sync.changesPage(carol, cursor);
    expect(first.messages.map((m) => m.remoteId)).toEqual([source.remoteId]);
    expect(first.done).toBe(false);
    engine.apply(first);
    const rest = await engine.changes();
    expect(rest.flatMap((p) => p.deletions)).toEqual([]);
    expect(rest.flatMap((p) => p.flagChanges)).toEqual([{ remoteId: source.remoteId, folderIds: [folderOf('inbox').id], read: source.read, starred: source.starred }]);
    expectStoreMatches(engine, mailbox);
  });
});

describe('expired delta links', () => {
  it('names the folder in CursorExpiredError; its cursor resyncs that folder alone, without duplicates', async () => {
    const engine = new TestEngine(provider.sync, carol);
    await engine.firstSync({ pageSize: PAGE });
    const inbox = folderOf('inbox');
    const gone = mailbox.list({ folderIds: [inbox.id] })[3];
    mailbox.remove(gone.id);
    mailbox.expireHistory();

    const err = await provider.sync.changesPage(carol, engine.cursor!).catch((e) => e);
    expect(err).toBeInstanceOf(CursorExpiredError);
    expect(err.folderRemoteId).toBe(inbox.id);
    expect(err.cursor).toBeTruthy();

    sandbox.state.counters.reset();
    const pages = await engine.resync(err);
    const ids = pages.flatMap((p) => p.messages.map((m) => m.remoteId));
    const inInbox = mailbox.list({ folderIds: [inbox.id] }).map((m) => m.id);
    expect(ids.sort()).toEqual([...inInbox].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages.at(-1)!.done).toBe(true);
    // Only the inbox was enumerated again.
    expect(requests('graph.messages.delta')).toBe(Math.ceil(inInbox.length / PAGE));
    // The deletion hidden by the expiry is caught by the engine's sweep of the resynced folder.
    expect(engine.store.has(gone.id)).toBe(false);

    // Every other folder's link expired too: the engine recovers them one by one, then is current.
    await engine.changes();
    expect(new Set(engine.resynced)).toEqual(new Set(mailbox.folders.map((f) => f.id)));
    expectStoreMatches(engine, mailbox);
    const quiet = await engine.changes();
    expect(quiet.flatMap((p) => [...p.messages, ...p.deletions])).toEqual([]);
  });

  it('restarts a first-sync folder whose nextLink expired, in place', async () => {
    const engine = new TestEngine(provider.sync, carol);
    const first = await provider.sync.firstSyncPage(carol, undefined, { pageSize: PAGE });
    engine.apply(first);
    sandbox.state.faults.add({ provider: 'microsoft', operation: 'graph.messages.delta', status: 410, times: 1 });
    const second = await provider.sync.firstSyncPage(carol, first.cursor, { pageSize: PAGE });
    engine.apply(second);
    // Expired again on the fresh start: the error's cursor keeps the whole unfinished first sync.
    sandbox.state.faults.add({ provider: 'microsoft', operation: 'graph.messages.delta', status: 410, times: 2 });
    const err = await provider.sync.firstSyncPage(carol, second.cursor, { pageSize: PAGE }).catch((e) => e);
    expect(err).toBeInstanceOf(CursorExpiredError);
    expect(err.folderRemoteId).toBe(folderOf('inbox').id);
    await engine.firstSync({ pageSize: PAGE }, err.cursor);
    expectStoreMatches(engine, mailbox);
  });
});

describe('limits and throttling', () => {
  it('stays under enforced Graph limits: a full first sync, fetches and listings at once get no 429', async () => {
    sandbox.state.quota.microsoft = true;
    const engine = new TestEngine(provider.sync, carol);
    const ids = mailbox.list({ includeSpamTrash: true }).slice(0, 60).map((m) => m.id);
    const [, fetched] = await Promise.all([
      engine.firstSync({ pageSize: PAGE }),
      provider.sync.fetchMessages(carol, ids),
      provider.sync.listFolders(carol),
      provider.sync.listFolders(carol),
    ]);
    expect(fetched).toHaveLength(60);
    expectStoreMatches(engine, mailbox);
    expect(sandbox.state.counters.rateLimited).toEqual({});
    expect(requests('graph.batch')).toBeGreaterThanOrEqual(3);
  });

  it('without the pacer the same calls meet the limit (the test above can fail)', async () => {
    sandbox.state.quota.microsoft = true;
    // A pacer that allows 20 in flight stands in for "no pacing".
    const loose = new OutlookSync({ apiBaseUrl: sandbox.microsoftUrl }, new GraphPacer({ requests: 10_000, windowMs: 600_000, concurrency: 20 }));
    const ids = mailbox.list({ includeSpamTrash: true }).slice(0, 20).map((m) => m.id);
    const results = await Promise.allSettled([loose.fetchMessages(carol, ids), loose.listFolders(carol)]);
    expect(results.some((r) => r.status === 'rejected' && r.reason instanceof RateLimitedError)).toBe(true);
    expect(throttled()).toBeGreaterThan(0);
  });

  it('turns 429 with Retry-After into RateLimitedError, without a retry of its own', async () => {
    sandbox.state.faults.add({ provider: 'microsoft', operation: 'graph.messages.delta', status: 429, retryAfter: 7, times: 1 });
    const first = await provider.sync.firstSyncPage(carol, undefined, { pageSize: PAGE }).catch((e) => e);
    expect(first).toBeInstanceOf(RateLimitedError);
    expect(first.retryAfterMs).toBe(7000);
    expect(requests('graph.messages.delta')).toBe(1);
    expect(provider.classifyError(first)).toBe('temporary');
    // The engine retries the same call later and it goes through.
    const page = await provider.sync.firstSyncPage(carol, undefined, { pageSize: PAGE });
    expect(page.messages).toHaveLength(PAGE);
  });

  it('treats 503 with Retry-After as a rate limit, and other failures as the provider classifies them', async () => {
    const engine = new TestEngine(provider.sync, carol);
    await engine.firstSync({ pageSize: PAGE });
    sandbox.state.faults.add({ provider: 'microsoft', operation: 'graph.messages.delta', status: 503, retryAfter: 2, times: 1 });
    const busy = await provider.sync.changesPage(carol, engine.cursor!).catch((e) => e);
    expect(busy).toBeInstanceOf(RateLimitedError);
    expect(busy.retryAfterMs).toBe(2000);

    sandbox.state.faults.add({ provider: 'microsoft', operation: 'graph.messages.delta', status: 503, times: 1 });
    const down = await provider.sync.changesPage(carol, engine.cursor!).catch((e) => e);
    expect(down).not.toBeInstanceOf(RateLimitedError);
    expect(provider.classifyError(down)).toBe('temporary');
    expect(provider.describeError(down)).toMatch(/^Microsoft Graph answered HTTP 503 ServiceNotAvailable/);

    const expired = await provider.sync.listFolders({ accessToken: 'EwB-not-a-token' }).catch((e) => e);
    expect(provider.classifyError(expired)).toBe('reauth');
  });

  it('reports a throttled item inside a $batch as RateLimitedError', async () => {
    sandbox.state.faults.add({ provider: 'microsoft', operation: 'graph.messages.get', status: 429, retryAfter: 3, times: 1 });
    const ids = mailbox.list({ includeSpamTrash: true }).slice(0, 5).map((m) => m.id);
    const err = await provider.sync.fetchMessages(carol, ids).catch((e) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err.retryAfterMs).toBe(3000);
  });
});

describe('fetchMessages', () => {
  it('fetches by $batch of at most 20, omits missing ids, and maps like a delta page', async () => {
    const engine = new TestEngine(provider.sync, carol);
    await engine.firstSync({ pageSize: PAGE });
    sandbox.state.counters.reset();
    const ids = mailbox.list({ includeSpamTrash: true }).slice(0, 24).map((m) => m.id);
    const missing = 'AAMkADI1-no-such-message=';
    const fetched = await provider.sync.fetchMessages(carol, [ids[0], missing, ...ids.slice(1)]);
    expect(fetched.map((m) => m.remoteId)).toEqual(ids);
    expect(requests('graph.batch')).toBeGreaterThanOrEqual(2);
    expect(requests('graph.messages.get')).toBeGreaterThanOrEqual(25);
    for (const m of fetched) expect(m).toEqual(engine.store.get(m.remoteId)!.message);
    // Another mailbox's token reaches only that mailbox.
    expect(await provider.sync.fetchMessages(session(DAVE), ids.slice(0, 2))).toEqual([]);
  });
});

describe('GraphPacer', () => {
  it('keeps at most 4 requests of a mailbox in flight, and other mailboxes apart', async () => {
    const pacer = new GraphPacer();
    let inFlight = 0;
    let peak = 0;
    const task = async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
    };
    await Promise.all(Array.from({ length: 12 }, () => pacer.run('a', 1, task)));
    expect(peak).toBe(4);
    peak = 0;
    await Promise.all([...Array.from({ length: 4 }, () => pacer.run('a', 1, task)), ...Array.from({ length: 4 }, () => pacer.run('b', 1, task))]);
    expect(peak).toBe(8);
  });

  it('paces to 95% of the window and waits for the oldest requests to leave it', async () => {
    const pacer = new GraphPacer({ requests: 20, windowMs: 300, concurrency: 4 });
    expect(pacer.budget).toBe(19);
    const started = Date.now();
    for (let i = 0; i < 19; i++) await pacer.acquire('m', 1);
    expect(Date.now() - started).toBeLessThan(100);
    await pacer.acquire('m', 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled')), 20);
    await expect(pacer.run('m', 19, async () => 'never', { signal: controller.signal })).rejects.toThrow('cancelled');
  });
});
