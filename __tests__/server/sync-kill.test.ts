// Kill-and-resume with real processes: a sync node in a child process, on the same PostgreSQL
// database as this test's NocoBase, is SIGKILLed at random moments (no cleanup code runs, its
// open transaction dies with its connection, its lease stays behind), while mail keeps
// changing at the provider. A last node then finishes, and what is stored must be exactly the
// sandbox's mailbox: nothing lost, nothing twice, threads matching their messages.
//
// PostgreSQL only: SQLite has no second connection from another process that NocoBase would
// coordinate with (one writer, a file lock), so a cluster or a takeover needs a database server.
//
// The kill delays and the provider-side changes come from a seed that is printed, with where
// each kill landed; SYNC_KILL_SEED=<n> replays them (where a delay lands in the sync still
// depends on the machine's speed).
import type { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import { random, type Random } from '../../sandbox/store/prng';
import type { CallbackResponse, MailAccountDTO } from '../../src/shared/types';
import { Api } from './helpers/api';
import { bootApp, configureProviders, createUser } from './helpers/app';
import { expectMirrored } from './helpers/mirror';
import { killAllWorkers, startWorker } from './helpers/worker-process';

const MAILBOX = { google: 'alice@example.com', microsoft: 'carol@contoso.example' } as const;
const KILLS = 6;
/** Small pages: a few hundred messages make dozens of page transactions to die in. */
const PAGE_SIZE = 10;
/** The workers' lease: short, so that each new worker takes over soon after a kill. */
const LEASE_TTL_MS = 1500;

let sandbox: Sandbox;
let app: MockServer;
const accounts: MailAccountDTO[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(process.env.DB_DIALECT !== 'postgres')('a sync node killed with SIGKILL', () => {
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 33, size: 300 });
    app = await bootApp();
    await configureProviders(app, sandbox);
    for (const provider of ['google', 'microsoft'] as const) {
      const user = await Api.as(app, await createUser(app));
      accounts.push(user.data<CallbackResponse>(await user.link(provider, MAILBOX[provider], { syncFrom: 'all' })).account);
    }
  });

  afterAll(async () => {
    await killAllWorkers();
    await app?.destroy();
    await sandbox?.stop();
  });

  /** Mail changing at the provider while nodes come and go: new, read, starred, moved, deleted. */
  async function changeMailboxes(rand: Random) {
    for (const email of Object.values(MAILBOX)) {
      const mailbox = sandbox.state.mailbox(email)!;
      const body = JSON.stringify({ subject: `Arrived during the sync ${rand.int(0, 1e9)}`, text: 'x' });
      await fetch(`${sandbox.controlUrl}/users/${email}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const list = mailbox.list({ includeSpamTrash: true });
      mailbox.modify(rand.pick(list).id, { read: rand.chance(0.5) });
      mailbox.modify(rand.pick(list).id, { starred: rand.chance(0.5) });
      const folder = rand.pick(mailbox.folders.filter((f) => f.kind === 'custom' || f.kind === 'inbox' || f.kind === 'archive'));
      if (folder) mailbox.modify(rand.pick(list).id, { folderId: folder.id });
      mailbox.remove(rand.pick(list).id);
    }
  }

  /** Where each account was when its node died, for the log of a failing seed. */
  async function progress() {
    const rows = await app.db.getRepository('mailAccounts').find({ filter: { id: accounts.map((a) => a.id) }, sort: ['id'] });
    return rows.map((r: { get(k: string): unknown }) => `${r.get('provider')} ${r.get('syncStage') || 'new'} ${(r.get('syncProgress') as { done?: number } | null)?.done ?? 0}`).join(', ');
  }

  it('resumes after every kill and ends with exactly the provider mailbox', async () => {
    const seed = Number(process.env.SYNC_KILL_SEED) || Math.floor(Math.random() * 2 ** 31);
    console.log(`sync-kill seed ${seed} (replay with SYNC_KILL_SEED=${seed})`);
    const rand = random(seed);
    const workerArgs = ['--accounts', accounts.map((a) => a.id).join(','), '--page-size', String(PAGE_SIZE), '--lease-ttl', String(LEASE_TTL_MS)];

    for (let round = 0; round < KILLS; round++) {
      const worker = startWorker(workerArgs);
      await worker.ready;
      // Up to 4 s in: kills land anywhere from the first page to the incremental runs after it.
      const killAt = rand.int(0, 4000);
      const changeAt = rand.int(0, killAt);
      await sleep(changeAt);
      await changeMailboxes(rand);
      await sleep(killAt - changeAt);
      // A worker that died by itself would have been a failure, not a kill.
      expect(worker.child.exitCode, worker.stderr()).toBeNull();
      expect(await worker.kill()).toBeNull();
      console.log(`kill ${round + 1} at ${killAt} ms: ${await progress()}`);
    }

    // The last node starts after the last change: it must catch up with all of it.
    const last = startWorker([...workerArgs, '--finish']);
    expect(await last.exited, last.stderr()).toBe(0);

    const report = `seed ${seed}`;
    for (const account of accounts) {
      const email = MAILBOX[account.provider as keyof typeof MAILBOX];
      await expectMirrored(app, sandbox, account.id, email, report);
      const row = await app.db.getRepository('mailAccounts').findOne({ filterByTk: account.id as string });
      expect(row?.get('syncStage')).toBe('incremental');
    }
    // The kills hit runs in flight; the node that took the lease over closed them in the log.
    const runs = app.db.getRepository('mailSyncRuns');
    expect(await runs.count({ filter: { status: 'running' } }), report).toBe(0);
    const interrupted = await runs.count({ filter: { status: 'failed', error: { $includes: 'interrupted' }, node: { $like: 'worker#%' } } });
    expect(interrupted, report).toBeGreaterThanOrEqual(1);
  }, 300_000);
});
