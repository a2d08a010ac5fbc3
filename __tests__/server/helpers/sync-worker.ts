// A sync node in a process of its own, for sync-kill.test.ts: boots a NocoBase instance on the
// database the test installed and syncs the given accounts with the plugin's SyncRunner, in a
// loop, until it is killed. Run with `node --import tsx` (one process: a SIGKILL must hit the
// process that holds the lease and the open transaction, not a launcher in front of it).
//
//   sync-worker.ts --accounts 1,2 --page-size 10 --lease-ttl 1500 [--finish]
//
// Without --finish it never exits on its own. With --finish it syncs each account until a run
// succeeds and one more incremental run succeeds after it, then exits 0. It writes one JSON
// line per event on stdout: {"event":"ready"}, {"event":"run",…}, {"event":"done"}.
import { parseArgs } from 'node:util';
import { bootInstance, runnerOf } from './instance';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string' },
    'page-size': { type: 'string', default: '10' },
    'lease-ttl': { type: 'string', default: '1500' },
    finish: { type: 'boolean', default: false },
  },
});

const say = (event: string, data: Record<string, unknown> = {}) => process.stdout.write(`${JSON.stringify({ event, ...data })}\n`);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Syncs one account again and again; with --finish, until a run and an incremental one after it succeeded. */
async function syncLoop(runner: ReturnType<typeof runnerOf>, id: string) {
  let succeeded = 0;
  for (;;) {
    const outcome = await runner.run(id);
    say('run', { accountId: id, status: outcome.status, kind: outcome.kind, error: outcome.error });
    if (outcome.status === 'failed') throw new Error(`run of account ${id} failed: ${outcome.error}`);
    if (outcome.status === 'succeeded' && (succeeded === 0 || outcome.kind === 'incremental')) succeeded += 1;
    if (values.finish && succeeded === 2) return;
    // busy: a killed predecessor's lease holds until it expires; wait for it, then take over.
    await pause(outcome.status === 'busy' ? 200 : 50);
  }
}

async function main() {
  // The test process holds our stdin: when it goes away, so do we.
  process.stdin.on('close', () => process.exit(2));
  process.stdin.resume();
  const ids = (values.accounts || '').split(',').filter(Boolean);
  if (!ids.length) throw new Error('--accounts is required');
  const app = await bootInstance();
  const runner = runnerOf(app, { nodeId: `worker#${process.pid}`, pageSize: Number(values['page-size']), leaseTtlMs: Number(values['lease-ttl']) });
  say('ready', { pid: process.pid });
  // Each account in a loop of its own, all at once, as the scheduler runs several on PostgreSQL:
  // a kill then cuts through several runs and transactions at the same moment.
  await Promise.all(ids.map((id) => syncLoop(runner, id)));
  say('done');
  await app.destroy();
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`sync worker failed: ${(err as Error).stack || err}\n`);
  process.exit(1);
});
