// Two NocoBase instances on one PostgreSQL database, as two nodes of a cluster: each has its own
// plugin, services and scheduler (its own node id), and both tick at the same time over twenty
// accounts. The database lease alone must keep each account to one run at a time; the result
// must be every mailbox stored exactly once, whichever node synced which account.
//
// The second instance boots on the database the first installed (it neither installs nor
// cleans). createMockCluster() from @nocobase/test is not used: it runs `install -f` for every
// node, which drops the tables under the node that is already running.
//
// PostgreSQL only: several nodes need a database server (SQLite is one file with one writer).
import type { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import type { SyncScheduler } from '../../src/server/sync/scheduler';
import type { CallbackResponse, MailAccountDTO } from '../../src/shared/types';
import { Api } from './helpers/api';
import { bootApp, configureProviders, createUser, plugin } from './helpers/app';
import { bootInstance } from './helpers/instance';
import { expectMirrored } from './helpers/mirror';

const MAILBOX = { google: 'alice@example.com', microsoft: 'carol@contoso.example' } as const;

type Row = { get(key: string): unknown };

let sandbox: Sandbox;
let nodes: MockServer[] = [];

describe.skipIf(process.env.DB_DIALECT !== 'postgres')('two nodes (PostgreSQL)', () => {
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 21, size: 150 });
    const first = await bootApp();
    nodes = [first, await bootInstance({ inProcess: true })];
    await configureProviders(first, sandbox);
  });

  afterAll(async () => {
    for (const node of nodes) await node.destroy();
    await sandbox?.stop();
  });

  it('share twenty accounts without syncing one twice at once or storing a row twice', async () => {
    const [a, b] = nodes;
    const accounts: MailAccountDTO[] = [];
    for (let i = 0; i < 20; i++) {
      const provider = i % 2 ? 'microsoft' : 'google';
      // Half the links go through each node: both serve the API of one shared database.
      const app = i < 10 ? a : b;
      const user = await Api.as(app, await createUser(app));
      accounts.push(user.data<CallbackResponse>(await user.link(provider, MAILBOX[provider], { syncFrom: 'all' })).account);
    }

    const schedulers: SyncScheduler[] = nodes.map((node) => plugin(node).services.scheduler);
    // Both nodes tick at once, each over all twenty due accounts in its own random order (a
    // second tick while one runs must do nothing). An account one node holds is "busy" for the
    // other, which skips it; what is still due afterwards the next ticks pick up.
    await Promise.all(schedulers.flatMap((s) => [s.tick(), s.tick()]));
    for (let round = 0; round < 5 && (await schedulers[0].due()).length; round++) {
      await Promise.all(schedulers.map((s) => s.tick()));
    }
    expect(await schedulers[0].due()).toEqual([]);

    const runs = await a.db.getRepository('mailSyncRuns').find({ filter: { accountId: accounts.map((x) => x.id) }, sort: ['startedAt'] });
    // A run fenced out by a node that took its lease fails ("taken over"): none may have.
    expect(runs.filter((r: Row) => r.get('status') !== 'succeeded').map((r: Row) => r.get('error'))).toEqual([]);
    for (const account of accounts) {
      const mine = runs.filter((r: Row) => String(r.get('accountId')) === String(account.id));
      expect(mine.length).toBeGreaterThanOrEqual(1);
      expect(overlaps(mine), `runs of account ${account.id} overlap`).toEqual([]);
      await expectMirrored(a, sandbox, account.id, MAILBOX[account.provider as keyof typeof MAILBOX], `account ${account.id}`);
    }
    // Both nodes did part of the work (a node id names one instance's services).
    const byNode = runs.map((r: Row) => r.get('node'));
    expect(new Set(byNode).size).toBe(2);
  });

  it('its overlap check catches two runs of one account at once', () => {
    const run = (start: number, end: number) => ({ get: (k: string) => new Date(k === 'startedAt' ? start : end) });
    expect(overlaps([run(0, 10), run(10, 20)])).toEqual([]);
    expect(overlaps([run(0, 10), run(5, 20)])).toHaveLength(1);
  });
});

/** Pairs of runs (sorted by start) where one started before the previous one finished. */
function overlaps(runs: Row[]) {
  const time = (r: Row, key: string) => new Date(r.get(key) as string).getTime();
  return runs.slice(1).flatMap((r, i) => (time(r, 'startedAt') < time(runs[i], 'finishedAt') ? [[i, i + 1]] : []));
}
