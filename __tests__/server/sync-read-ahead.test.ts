// The sync engine's read-ahead (runner.ts, on when ingest can prepare rows off-thread, as the
// plugin's services do): during a first sync the next page is fetched and parsed while one is
// written. Writes must stay as they were: a run that dies at any point has stored exactly the
// pages its cursor covers, and the next run finishes with every message once.
import type { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import { MimeWorkerPool } from '../../src/server/mime/pool';
import { GmailProvider } from '../../src/server/providers/gmail';
import type { MailProvider } from '../../src/server/providers/types';
import { ingestPage, prepareRows, upsertFolders } from '../../src/server/sync/ingest';
import { Leases } from '../../src/server/sync/lease';
import { SyncRunner, type SyncDeps } from '../../src/server/sync/runner';
import type { CallbackResponse, MailAccountDTO } from '../../src/shared/types';
import { withSync } from './helpers/adapter';
import { Api } from './helpers/api';
import { bootApp, configureProviders, createUser, plugin } from './helpers/app';

let sandbox: Sandbox;
let app: MockServer;
const pool = new MimeWorkerPool({ size: 1 });
const MAILBOX = { google: 'alice@example.com', microsoft: 'carol@contoso.example' } as const;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 33, size: 150 });
  app = await bootApp();
  await configureProviders(app, sandbox);
});

afterAll(async () => {
  await pool.stop();
  await app?.destroy();
  await sandbox?.stop();
});

/** What a run of the plugin's ingest saw: pages written, and messages whose rows were prepared. */
const seen = { pages: 0, messages: 0, prepared: 0 };

type Ingest = SyncDeps['ingest'];
const readAheadIngest: Ingest = {
  upsertFolders,
  ingestPage: async (db, account, page, options) => {
    seen.pages++;
    seen.messages += page.messages.length;
    seen.prepared += page.messages.filter((m) => options.prepared?.has(m)).length;
    return ingestPage(db, account, page, { ...options, buildRows: pool.build });
  },
  prepare: (account, messages) => prepareRows(account, messages, pool.build),
};

function runner(nodeId: string, { adapterFor, ingest = readAheadIngest }: { adapterFor?: SyncDeps['adapterFor']; ingest?: Ingest } = {}) {
  const s = plugin(app).services;
  return new SyncRunner({
    db: app.db,
    log: s.log,
    leases: new Leases(app.db),
    nodeId,
    adapterFor: adapterFor ?? (async (name) => (await s.settings.ready(name, { forLinking: false })).adapter),
    accessToken: (id, options) => s.tokens.getAccessToken(id, options),
    ingest,
    pageSize: 5,
  });
}

/** The adapter, failing its n-th page call (a read-ahead one, from the second on). */
function failingAt(n: number): SyncDeps['adapterFor'] {
  let calls = 0;
  return async (name) => {
    const real = (await plugin(app).services.settings.ready(name, { forLinking: false })).adapter;
    const firstSyncPage: MailProvider['sync']['firstSyncPage'] = async (...args) => {
      if (++calls === n) throw new Error(`simulated failure of page call ${n}`);
      return real.sync.firstSyncPage(...args);
    };
    return withSync(real, { firstSyncPage }, { finalErrors: true });
  };
}

async function stored(accountId: unknown) {
  const rows = await app.db.getRepository('mailMessages').find({ filter: { accountId: accountId as string }, fields: ['remoteId'] });
  return rows.map((r: { get(k: string): unknown }) => r.get('remoteId') as string).sort();
}

/** What each stored message says, by remote id. */
async function contents(accountId: unknown) {
  const fields = ['remoteId', 'subject', 'fromAddress', 'to', 'snippet', 'text', 'html', 'attachments'];
  const rows = await app.db.getRepository('mailMessages').find({ filter: { accountId: accountId as string }, fields, sort: ['remoteId'] });
  return rows.map((r: { toJSON(): Record<string, unknown> }) => r.toJSON());
}

/** Messages stored must be exactly those of the pages the stored cursor has passed. */
async function expectStoredMatchesCursor(accountId: unknown) {
  const account = await app.db.getRepository('mailAccounts').findOne({ filterByTk: accountId as string });
  const done = (account?.get('syncProgress') as { done: number } | null)?.done ?? 0;
  expect((await stored(accountId)).length).toBe(done);
}

/** A new user who links the mailbox, syncing everything. */
async function linkedAccount(provider: 'google' | 'microsoft', email: string): Promise<MailAccountDTO> {
  const user = await Api.as(app, await createUser(app));
  return user.data<CallbackResponse>(await user.link(provider, email, { syncFrom: 'all' })).account as MailAccountDTO;
}

/** Every message id of the sandbox mailbox, sorted as stored() sorts. */
const mailboxIds = (email: string) => sandbox.state.mailbox(email)!.list({ includeSpamTrash: true }).map((m) => m.id).sort();

/** The plugin's Gmail adapter fetching 2 messages a batch, one batch at a time. */
async function gmailInBatchesOf2(name: Parameters<SyncDeps['adapterFor']>[0]): Promise<GmailProvider> {
  return ((await plugin(app).services.settings.ready(name, { forLinking: false })).adapter as GmailProvider).withDeps({ tuning: { batchSize: 2, batchConcurrency: 1 } });
}

describe.each(['google', 'microsoft'] as const)('%s', (provider) => {
  it('a first sync with read-ahead that dies anywhere resumes without losing or doubling a message', async () => {
    const account = await linkedAccount(provider, MAILBOX[provider]);
    for (let n = 2; n <= 4; n++) {
      expect((await runner(`fetch-${n}`, { adapterFor: failingAt(n) }).run(account.id)).status).toBe('failed');
      await expectStoredMatchesCursor(account.id);
      let writes = 0;
      const dying: Ingest = {
        ...readAheadIngest,
        ingestPage: async (...args) => {
          const counts = await readAheadIngest.ingestPage(...args);
          if (++writes === n) throw new Error('simulated crash before commit');
          return counts;
        },
      };
      expect((await runner(`write-${n}`, { ingest: dying }).run(account.id)).status).toBe('failed');
      await expectStoredMatchesCursor(account.id);
    }
    Object.assign(seen, { pages: 0, messages: 0, prepared: 0 });
    expect(await runner('finisher').run(account.id)).toMatchObject({ status: 'succeeded', kind: 'first' });
    const ids = await stored(account.id);
    expect(ids).toEqual(mailboxIds(MAILBOX[provider]));
    expect(new Set(ids).size).toBe(ids.length);
    // Every page's rows came from the read-ahead, built by the worker.
    expect(seen.pages).toBeGreaterThan(1);
    expect(seen.prepared).toBe(seen.messages);
    // With the same content as rows built at write time, without read-ahead (messages give up
    // their bodies once their rows are built ahead: none may be stored from a stripped one).
    const plain = await linkedAccount(provider, MAILBOX[provider]);
    const atWriteTime: Ingest = { upsertFolders, ingestPage: (db, a, page, options) => ingestPage(db, a, page, { ...options, buildRows: pool.build }) };
    expect(await runner('plain', { ingest: atWriteTime }).run(plain.id)).toMatchObject({ status: 'succeeded' });
    expect(await contents(account.id)).toEqual(await contents(plain.id));
  });

  it('reads at most two pages ahead, and nothing more once its run has failed', async () => {
    const account = await linkedAccount(provider, MAILBOX[provider]);
    let pageCalls = 0;
    const counting: SyncDeps['adapterFor'] = async (name) => {
      const real = (await plugin(app).services.settings.ready(name, { forLinking: false })).adapter;
      const firstSyncPage: MailProvider['sync']['firstSyncPage'] = (...args) => {
        pageCalls++;
        return real.sync.firstSyncPage(...args);
      };
      return withSync(real, { firstSyncPage }, { finalErrors: true });
    };
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    /**
     * Fails the first page's write once `ready()` holds (Gmail's first page stores its first
     * batch on its own first: that write succeeds).
     */
    const failingWrite = (ready: () => Promise<unknown>): Ingest => {
      let writes = provider === 'google' ? -1 : 0;
      return {
        ...readAheadIngest,
        ingestPage: async (...args) => {
          if (++writes < 1) return readAheadIngest.ingestPage(...args);
          await ready();
          throw new Error("simulated failure of the first page's write");
        },
      };
    };
    // A slow write: the chain fills up behind the first page (the third page asked for), then
    // has all the time it needs to ask for a fourth, and does not.
    const chainFull = async () => {
      for (let waited = 0; pageCalls < 3 && waited < 10_000; waited += 20) await sleep(20);
      await sleep(500);
    };
    expect((await runner('slow', { adapterFor: counting, ingest: failingWrite(chainFull) }).run(account.id)).status).toBe('failed');
    expect(pageCalls).toBe(3);
    await sleep(300);
    expect(pageCalls).toBe(3);
    // A write that fails at once, the chain still filling: it stops where it was.
    pageCalls = 0;
    expect((await runner('fast', { adapterFor: counting, ingest: failingWrite(async () => undefined) }).run(account.id)).status).toBe('failed');
    const atEnd = pageCalls;
    expect(atEnd).toBeLessThanOrEqual(3);
    await sleep(500);
    expect(pageCalls).toBe(atEnd);
  });
});

describe('google, a page fetched in several batches', () => {
  it("starts building a batch's rows while the page's other batches are still being fetched, and writes every row it built", async () => {
    const account = await linkedAccount('google', 'bob@example.com');
    // Pages of 5 ids fetched 2 at a time: three batch requests a page.
    let fetching = 0;
    const adapterFor: SyncDeps['adapterFor'] = async (name) => {
      const real = await gmailInBatchesOf2(name);
      const fetchMessages: MailProvider['sync']['fetchMessages'] = async (...args) => {
        fetching++;
        try {
          return await real.sync.fetchMessages(...args);
        } finally {
          fetching--;
        }
      };
      return withSync(real, { fetchMessages });
    };
    const parts = { total: 0, whileFetching: 0 };
    const ingest: Ingest = {
      ...readAheadIngest,
      prepare: (acc, messages) => {
        parts.total++;
        if (fetching) parts.whileFetching++;
        return readAheadIngest.prepare!(acc, messages);
      },
    };
    Object.assign(seen, { pages: 0, messages: 0, prepared: 0 });
    expect(await runner('batches', { adapterFor, ingest }).run(account.id)).toMatchObject({ status: 'succeeded', kind: 'first' });
    expect(await stored(account.id)).toEqual(mailboxIds('bob@example.com'));
    expect(parts.total).toBeGreaterThanOrEqual(seen.pages * 2);
    expect(parts.whileFetching).toBeGreaterThan(seen.pages);
    expect(seen.prepared).toBe(seen.messages);
  });
});

describe('google, the first page of a first sync', () => {
  it('stores its first batch while the rest of the page is still being fetched, and counts every message once', async () => {
    const account = await linkedAccount('google', 'bob@example.com');
    const seenWhileFetching = { stored: 0, done: 0 };
    const adapterFor: SyncDeps['adapterFor'] = async (name) => {
      const real = await gmailInBatchesOf2(name);
      let calls = 0;
      const fetchMessages: MailProvider['sync']['fetchMessages'] = async (session, ids, onBatch) => {
        if (++calls > 1) return real.sync.fetchMessages(session, ids, onBatch);
        // The first page: its first batch, then (up to 5 s) whatever is stored, then the rest.
        const head = await real.sync.fetchMessages(session, ids.slice(0, 2), onBatch);
        for (const until = Date.now() + 5000; Date.now() < until && !seenWhileFetching.stored; ) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          seenWhileFetching.stored = (await stored(account.id)).length;
        }
        const row = await app.db.getRepository('mailAccounts').findOne({ filterByTk: account.id as string });
        seenWhileFetching.done = (row?.get('syncProgress') as { done: number }).done;
        return [...head, ...(await real.sync.fetchMessages(session, ids.slice(2), onBatch))];
      };
      return withSync(real, { fetchMessages });
    };
    const all = mailboxIds('bob@example.com');
    expect(await runner('first-batch', { adapterFor }).run(account.id)).toMatchObject({ status: 'succeeded', kind: 'first', counts: { added: all.length, updated: 0 } });
    expect(seenWhileFetching).toEqual({ stored: 2, done: 2 });
    expect(await stored(account.id)).toEqual(all);
  });

  it('loses and doubles nothing when the run dies after the first batch is stored and before its page is', async () => {
    const account = await linkedAccount('google', 'alice@example.com');
    const adapterFor: SyncDeps['adapterFor'] = gmailInBatchesOf2;
    const written: number[] = [];
    const dying: Ingest = {
      ...readAheadIngest,
      ingestPage: async (...args) => {
        written.push(args[2].messages.length);
        const counts = await readAheadIngest.ingestPage(...args);
        if (written.length === 2) throw new Error('simulated crash before the first page commits');
        return counts;
      },
    };
    expect((await runner('dies', { adapterFor, ingest: dying }).run(account.id)).status).toBe('failed');
    // The first batch (2) on its own, then the whole first page (5), which died.
    expect(written).toEqual([2, 5]);
    expect(await stored(account.id)).toHaveLength(2);
    await expectStoredMatchesCursor(account.id);
    const all = mailboxIds('alice@example.com');
    // The next run starts the page over: its first batch is found unchanged, nothing doubles.
    const finished = await runner('finisher', { adapterFor }).run(account.id);
    expect(finished).toMatchObject({ status: 'succeeded', kind: 'first', counts: { added: all.length - 2, updated: 0 } });
    expect(await stored(account.id)).toEqual(all);
  });
});
