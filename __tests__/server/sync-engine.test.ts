// The sync engine against the sandbox, on a real NocoBase (SQLite and PostgreSQL): every message
// exactly once, provider-side changes arriving, crash-and-resume at many points, expired
// cursors, throttling and revoked grants. Real processes killed mid-sync: sync-kill.test.ts;
// two nodes sharing twenty accounts: sync-cluster.test.ts.
import type { MockServer } from '@nocobase/test';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import { ingestPage, upsertFolders } from '../../src/server/sync/ingest';
import { Leases } from '../../src/server/sync/lease';
import { SyncRunner, type SyncDeps } from '../../src/server/sync/runner';
import type { CallbackResponse, MailAccountDTO } from '../../src/shared/types';
import { withSync } from './helpers/adapter';
import { Api } from './helpers/api';
import { bootApp, configureProviders, createUser, plugin } from './helpers/app';

let sandbox: Sandbox;
let app: MockServer;
const MAILBOX = { google: 'alice@example.com', microsoft: 'carol@contoso.example' } as const;
type Provider = keyof typeof MAILBOX;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 21, size: 150 });
  app = await bootApp();
  await configureProviders(app, sandbox);
});

afterAll(async () => {
  await app?.destroy();
  await sandbox?.stop();
});

afterEach(() => {
  sandbox.state.faults.clear();
});

const services = () => plugin(app).services;

/** A runner like the plugin's, with a node name of its own and optional fault wrappers. */
function runner(nodeId: string, wrap: Partial<Pick<SyncDeps, 'adapterFor' | 'ingest'>> = {}, pageSize = 40) {
  const s = services();
  return new SyncRunner({
    db: app.db,
    log: s.log,
    leases: new Leases(app.db),
    nodeId,
    adapterFor: wrap.adapterFor ?? (async (name) => (await s.settings.ready(name, { forLinking: false })).adapter),
    accessToken: (id, options) => s.tokens.getAccessToken(id, options),
    ingest: wrap.ingest ?? { ingestPage, upsertFolders },
    pageSize,
  });
}

async function link(provider: Provider, email: string = MAILBOX[provider]): Promise<MailAccountDTO> {
  const user = await Api.as(app, await createUser(app));
  // The whole mailbox, to compare with the sandbox's (linking defaults to one month back).
  return user.data<CallbackResponse>(await user.link(provider, email, { syncFrom: 'all' })).account;
}

async function storedIds(accountId: unknown): Promise<string[]> {
  const rows = await app.db.getRepository('mailMessages').find({ filter: { accountId: accountId as string }, fields: ['remoteId'] });
  return rows.map((r: { get(k: string): unknown }) => r.get('remoteId') as string).sort();
}

function sandboxIds(email: string): string[] {
  return sandbox.state.mailbox(email)!.list({ includeSpamTrash: true }).map((m) => m.id).sort();
}

async function account(id: unknown) {
  return app.db.getRepository('mailAccounts').findOne({ filterByTk: id as string });
}

describe.each(['google', 'microsoft'] as const)('%s', (provider) => {
  it('stores every message exactly once on the first sync, then follows changes made at the provider', async () => {
    const linked = await link(provider);
    const result = await runner('node-a').run(linked.id);
    expect(result).toMatchObject({ status: 'succeeded', kind: 'first' });
    expect(await storedIds(linked.id)).toEqual(sandboxIds(MAILBOX[provider]));
    const row = await account(linked.id);
    expect(row?.get('syncStage')).toBe('incremental');
    expect(row?.get('status')).toBe('active');
    expect(row?.get('syncProgress')).toMatchObject({ done: 150 });
    expect(await app.db.getRepository('mailThreads').count({ filter: { accountId: linked.id } })).toBeGreaterThan(10);

    // At the provider: new mail, a message read, one deleted.
    const mailbox = sandbox.state.mailbox(MAILBOX[provider])!;
    const unread = mailbox.list().find((m) => !m.read)!;
    const victim = mailbox.list().find((m) => m.id !== unread.id)!;
    await fetch(`${sandbox.controlUrl}/users/${MAILBOX[provider]}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subject: 'Fresh mail', text: 'new' }) });
    mailbox.modify(unread.id, { read: true });
    mailbox.remove(victim.id);

    expect(await runner('node-a').run(linked.id)).toMatchObject({ status: 'succeeded', kind: 'incremental' });
    expect(await storedIds(linked.id)).toEqual(sandboxIds(MAILBOX[provider]));
    const read = await app.db.getRepository('mailMessages').findOne({ filter: { accountId: linked.id, remoteId: unread.id } });
    expect(read?.get('read')).toBe(true);
    const runs = await app.db.getRepository('mailSyncRuns').find({ filter: { accountId: linked.id }, sort: ['startedAt'] });
    expect(runs.map((r: { get(k: string): unknown }) => [r.get('kind'), r.get('status')])).toEqual([
      ['first', 'succeeded'],
      ['incremental', 'succeeded'],
    ]);
  });

  it('loses and doubles nothing when a run dies at any page and is started again', async () => {
    const linked = await link(provider, provider === 'google' ? 'bob@example.com' : 'dave@contoso.example');
    const email = provider === 'google' ? 'bob@example.com' : 'dave@contoso.example';
    const s = services();
    // Crash points: after the n-th provider page, and inside the n-th page's transaction.
    for (let n = 1; n <= 3; n++) {
      let pages = 0;
      const crashing = runner('node-crash', {
        adapterFor: async (name) => {
          const real = (await s.settings.ready(name, { forLinking: false })).adapter;
          const crashAfter = <T>(page: T) => {
            if (++pages === n) throw new Error(`simulated crash after page ${n}`);
            return page;
          };
          return withSync(
            real,
            {
              firstSyncPage: async (...args) => crashAfter(await real.sync.firstSyncPage(...args)),
              changesPage: async (...args) => crashAfter(await real.sync.changesPage(...args)),
            },
            { finalErrors: true },
          );
        },
      }, 10);
      expect((await crashing.run(linked.id)).status).toBe('failed');
      const dying = runner('node-crash-tx', {
        ingest: {
          upsertFolders,
          ingestPage: async (...a) => {
            const counts = await ingestPage(...a);
            throw Object.assign(new Error('simulated crash before commit'), { counts });
          },
        },
      }, 10);
      expect((await dying.run(linked.id)).status).toBe('failed');
      // The lease is free again (released, or it would expire): a fresh node carries on.
    }
    expect(await runner('node-b', {}, 10).run(linked.id)).toMatchObject({ status: 'succeeded' });
    const ids = await storedIds(linked.id);
    expect(ids).toEqual(sandboxIds(email));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('retries after a 429 with Retry-After and finishes', async () => {
    const linked = await link(provider);
    const operation = provider === 'google' ? 'gmail.users.messages.list' : 'graph.messages.delta';
    sandbox.state.faults.add({ provider, operation, status: 429, retryAfter: 1, times: 1 });
    const before = sandbox.state.counters.rateLimited[operation] || 0;
    expect(await runner('node-a').run(linked.id)).toMatchObject({ status: 'succeeded' });
    expect(sandbox.state.counters.rateLimited[operation]).toBe(before + 1);
    expect(await storedIds(linked.id)).toEqual(sandboxIds(MAILBOX[provider]));
  });

  it('stops an account whose grant was revoked, and only that account', async () => {
    const revoked = await link(provider, provider === 'google' ? 'bob@example.com' : 'dave@contoso.example');
    const other = await link(provider);
    sandbox.state.tokens.revokeUser(provider === 'google' ? 'bob@example.com' : 'dave@contoso.example');
    sandbox.state.tokens.expireAccessTokens();
    await app.db.getRepository('mailAccounts').update({ filterByTk: revoked.id as string, values: { tokens: await app.aesEncryptor.encrypt(JSON.stringify({ accessToken: 'x', refreshToken: (JSON.parse(await app.aesEncryptor.decrypt((await account(revoked.id))!.get('tokens') as string)) as { refreshToken: string }).refreshToken, expiresAt: 0 })) } });
    expect((await runner('node-a').run(revoked.id)).status).toBe('failed');
    expect((await account(revoked.id))?.get('status')).toBe('reauth_required');
    expect(await runner('node-a').run(revoked.id)).toMatchObject({ status: 'skipped' });
    const otherOutcome = await runner('node-a').run(other.id);
    expect(otherOutcome, otherOutcome.error).toMatchObject({ status: 'succeeded' });
  });
});

describe('sync now and the run log', () => {
  it("lets the owner start a sync and read its runs; others get 404", async () => {
    const owner = await Api.as(app, await createUser(app));
    const linked = owner.data<CallbackResponse>(await owner.link('google', 'bob@example.com', { syncFrom: 'all' })).account;
    expect(owner.data(await owner.call('mailAccounts', 'sync', { filterByTk: linked.id }))).toEqual({ started: true });
    let runs: Array<{ kind: string; status: string; counts: { added: number } }> = [];
    for (let i = 0; i < 100 && !runs.some((r) => r.status === 'succeeded'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      runs = owner.data(await owner.call('mailAccounts', 'syncRuns', { filterByTk: linked.id }));
    }
    expect(runs[0]).toMatchObject({ kind: 'manual', status: 'succeeded', counts: { added: sandboxIds('bob@example.com').length } });
    const stranger = await Api.as(app, await createUser(app));
    expect((await stranger.call('mailAccounts', 'sync', { filterByTk: linked.id })).status).toBe(404);
    expect((await stranger.call('mailAccounts', 'syncRuns', { filterByTk: linked.id })).status).toBe(404);
  });
});

describe('expired cursors', () => {
  it('google: a history 404 falls back to a resync from the newest message, without duplicates', async () => {
    const linked = await link('google');
    await runner('node-a').run(linked.id);
    const mailbox = sandbox.state.mailbox('alice@example.com')!;
    // Gmail answers 404 for a history id older than what it retains: move on, then forget.
    mailbox.modify(mailbox.list()[1].id, { starred: true });
    mailbox.expireHistory();
    await fetch(`${sandbox.controlUrl}/users/alice@example.com/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subject: 'After the gap', text: 'x' }) });
    expect(await runner('node-a').run(linked.id)).toMatchObject({ status: 'succeeded', kind: 'resync' });
    const ids = await storedIds(linked.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(sandboxIds('alice@example.com'));
    // And incremental sync works again from the new baseline.
    await fetch(`${sandbox.controlUrl}/users/alice@example.com/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subject: 'After the resync', text: 'x' }) });
    expect(await runner('node-a').run(linked.id)).toMatchObject({ status: 'succeeded', kind: 'incremental' });
    expect(await storedIds(linked.id)).toEqual(sandboxIds('alice@example.com'));
  });

  it('microsoft: a delta 410 resyncs that folder, sweeping what was deleted meanwhile', async () => {
    const linked = await link('microsoft');
    await runner('node-a').run(linked.id);
    const mailbox = sandbox.state.mailbox('carol@contoso.example')!;
    mailbox.expireHistory();
    const inbox = mailbox.folders.find((f) => f.kind === 'inbox')!;
    mailbox.remove(mailbox.list({ folderIds: [inbox.id] })[2].id);
    await fetch(`${sandbox.controlUrl}/users/carol@contoso.example/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subject: 'During the gap', text: 'x' }) });
    // Each expired folder resyncs in its own run; a few runs bring every folder back.
    for (let i = 0; i < 12; i++) {
      const outcome = await runner('node-a').run(linked.id);
      expect(outcome.status).toBe('succeeded');
      if (outcome.kind === 'incremental') break;
    }
    const ids = await storedIds(linked.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(sandboxIds('carol@contoso.example'));
  });
});
