// npm run bench:sync — the sync engine against the sandbox on a real NocoBase, on SQLite and on
// PostgreSQL, figures printed side by side (no assertions on time: this is not a test):
//   1. first sync of a 10,000-message Gmail and Outlook mailbox vs a raw bulk insert of the
//      same rows (messages and threads) into the same tables (the ceiling), measured right
//      after each of BENCH_ROUNDS (3) first syncs, the median ratio the figure;
//   2. the Gmail mailbox with Google's quota enforced vs the 50 messages/s quota ceiling, and
//      the rate-limit answers received; also how long until the first mail, and the first
//      whole page, are stored;
//   3. an incremental sync of 100 new messages into the 10,000-message account;
//   4. peak RSS growth during the first sync (with BENCH_HEAP_CHECK=1, also the heap in use
//      before it and after a full collection right after it: retained memory, not garbage).
//
// The provider sandbox runs in a process of its own (BENCH_SANDBOX=inline puts it back in this
// one). Gmail and Graph are other machines: their CPU is not the plugin's, and in this process it
// would be doubly distorted, since NocoBase's SES lockdown sends every regular expression here
// down V8's slow path, about 20× slower, and composing MIME is mostly regular expressions. The
// sync is measured the same either way: wall time of runner.run() in this process, with the
// same mailboxes (same seed and sizes) over the same HTTP; only the emulator stops sharing
// its thread with the plugin. It also builds every seeded message once before the runs
// (--prebuild), as Gmail and Graph serve stored mail: composing MIME on each request would put
// the emulator's work on the same two cores as the sync it measures.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox';
import type { SyncCursor } from '../src/server/providers/sync-types';
import { syncAdapterTuning } from '../src/server/providers/registry';
import { FIRST_SYNC_PAGE } from '../src/server/providers/gmail/sync-first';
import { attributesByColumn } from '../src/server/sync/ingest-db';
import type { CallbackResponse, MailAccountDTO } from '../src/shared/types';
import { Api } from '../__tests__/server/helpers/api';
import { bootApp, configureProviders, createUser, plugin } from '../__tests__/server/helpers/app';

const SIZE = Number(process.env.BENCH_SIZE || 10000);
const QUOTA_SIZE = Number(process.env.BENCH_QUOTA_SIZE || 2000);
const dialect = process.env.DB_DIALECT || 'sqlite';
/** BENCH_ONLY=google|microsoft|quota (comma-separated): run only those parts; all by default. */
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : undefined;
const runs = (part: 'google' | 'microsoft' | 'quota') => !ONLY || ONLY.has(part);
const figures: string[] = [];
const say = (line: string) => {
  figures.push(`[${dialect}] ${line}`);
  console.log(`[${dialect}] ${line}`);
};

type BenchSandbox = Pick<Sandbox, 'googleUrl' | 'microsoftUrl' | 'controlUrl' | 'stop'> & { pid?: number };
let sandbox: BenchSandbox;
let app: MockServer;

/** sandbox/cli.ts in a child process; resolves once it prints its URLs. */
async function sandboxProcess(): Promise<BenchSandbox> {
  const root = path.resolve(__dirname, '..');
  const args = ['sandbox/cli.ts', '--seed', '42', '--size', String(SIZE), '--small-size', String(QUOTA_SIZE), '--google-port', '0', '--microsoft-port', '0', '--prebuild', '--json'];
  // BENCH_SANDBOX_PROFILE=<dir>: the emulator's own CPU profile, written when it stops (SIGINT).
  const prof = process.env.BENCH_SANDBOX_PROFILE;
  const child: ChildProcess = prof
    ? spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir', prof, path.join(root, 'node_modules/vite-node/vite-node.mjs'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(path.join(root, 'node_modules/.bin/vite-node'), args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const urls = await new Promise<Omit<BenchSandbox, 'stop'>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the sandbox process exited (${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => line.startsWith('{') && resolve(JSON.parse(line)));
  });
  child.removeAllListeners('exit');
  const stop = () => void child.kill(prof ? 'SIGINT' : 'SIGTERM');
  process.once('exit', stop);
  return { ...urls, pid: child.pid, stop: async () => stop() };
}

async function control(method: string, route: string, body?: unknown) {
  const res = await fetch(`${sandbox.controlUrl}${route}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`sandbox control ${method} ${route}: ${res.status}`);
  return res.status === 204 ? undefined : res.json();
}

beforeAll(async () => {
  threadsBefore = new Set(threadIds());
  // BENCH_TRACE_GC=1 (or nvp): V8's GC trace of every isolate here, MIME workers included;
  // each timed run prints its window on the main isolate's clock (GCWIN) to cut it by.
  if (process.env.BENCH_TRACE_GC) (await import('node:v8')).setFlagsFromString(process.env.BENCH_TRACE_GC === 'nvp' ? '--trace-gc-nvp' : '--trace-gc');
  sandbox = process.env.BENCH_SANDBOX === 'inline' ? await startSandbox({ seed: 42, size: SIZE, smallSize: QUOTA_SIZE, prebuild: true }) : await sandboxProcess();
  // Run #1 is "no quota": the sandbox enforces none, so the Gmail adapter is told there is none
  // either (plugin option gmailQuotaUnitsPerMinute: 0) instead of pacing to Google's 15,000.
  // BENCH_MIME_WORKERS sets the plugin option mimeWorkers (default: cores − 1, 1 to 4).
  const mimeWorkers = process.env.BENCH_MIME_WORKERS ? Number(process.env.BENCH_MIME_WORKERS) : undefined;
  app = await bootApp({ gmailQuotaUnitsPerMinute: 0, mimeWorkers });
  await configureProviders(app, sandbox as Sandbox);
}, 120_000);

afterAll(async () => {
  await app?.destroy();
  await sandbox?.stop();
  console.log(`\n${figures.join('\n')}\n`);
});

async function link(provider: 'google' | 'microsoft', email: string): Promise<MailAccountDTO> {
  const user = await Api.as(app, await createUser(app));
  return user.data<CallbackResponse>(await user.link(provider, email, { syncFrom: 'all' })).account;
}

/**
 * BENCH_CPU_PROFILE=<dir>: a CPU profile of this process (where the sync runs) for each timed
 * run, written as <dir>/<dialect>-<label>.cpuprofile. BENCH_ALLOC_PROFILE=<dir>: V8's sampling
 * heap profile of the main thread instead (<label>.heapprofile), keeping what survived a
 * scavenge (what fills the old generation, hence the RSS); with BENCH_ALLOC_MINOR=1 also what
 * died young (all allocation). Both open in Chrome DevTools. Off by default: they slow it down.
 */
async function profiled<T>(label: string, run: () => Promise<T>): Promise<T> {
  const heap = process.env.BENCH_ALLOC_PROFILE;
  const dir = heap || process.env.BENCH_CPU_PROFILE;
  if (!dir) return run();
  const session = new Session();
  session.connect();
  if (heap) {
    await session.post('HeapProfiler.enable');
    // The two include flags are in V8's protocol but not in Node 20's typings.
    const sampling = { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: Boolean(process.env.BENCH_ALLOC_MINOR) };
    await session.post('HeapProfiler.startSampling', sampling as { samplingInterval: number });
  } else {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  try {
    return await run();
  } finally {
    const { profile } = heap ? await session.post('HeapProfiler.stopSampling') : await session.post('Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${dialect}-${label}.${heap ? 'heapprofile' : 'cpuprofile'}`), JSON.stringify(profile));
    session.disconnect();
  }
}

function summarizeSmaps(): string {
  const text = fs.readFileSync('/proc/self/smaps', 'utf8');
  const maps: Array<{ name: string; size: number; rss: number }> = [];
  let cur: { name: string; size: number; rss: number } | undefined;
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      cur = { name: head[3] || 'anon', size: (parseInt(head[2], 16) - parseInt(head[1], 16)) / 1024, rss: 0 };
      maps.push(cur);
    } else if (cur && line.startsWith('Rss:')) cur.rss = Number(line.split(/\s+/)[1]);
  }
  const buckets = new Map<string, { n: number; rss: number }>();
  for (const m of maps) {
    const key = m.name !== 'anon' ? (m.name.startsWith('/') ? 'file' : m.name) : m.size === 65536 ? 'anon 64MB (malloc arena)' : m.size === 256 ? 'anon 256KB (v8 page)' : m.size >= 1024 ? 'anon >=1MB' : 'anon <1MB';
    const b = buckets.get(key) ?? { n: 0, rss: 0 };
    b.n++;
    b.rss += m.rss;
    buckets.set(key, b);
  }
  return [...buckets.entries()].sort((a, b) => b[1].rss - a[1].rss).map(([k, b]) => `  ${k}: ${b.n} maps, ${(b.rss / 1024).toFixed(0)} MB`).join('\n');
}

/**
 * CPU seconds (user + system) of a process or thread from its stat file (/proc/<pid>/stat,
 * /proc/<pid>/task/<tid>/stat): utime and stime are fields 14 and 15, in clock ticks (100 a
 * second on Linux). Undefined when the file cannot be read (no /proc, or it has exited).
 */
function statCpuSeconds(file: string): number | undefined {
  try {
    const fields = fs.readFileSync(file, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds the sandbox process has used so far; undefined when it runs inline. */
function sandboxCpuSeconds(): number | undefined {
  return sandbox.pid ? statCpuSeconds(`/proc/${sandbox.pid}/stat`) : undefined;
}

/**
 * The main thread's scheduling (Linux: /proc/<pid>/task/<pid>/schedstat): seconds on a CPU and
 * seconds runnable but waiting for one. Undefined where the kernel does not keep it.
 */
type Schedule = { onCpu: number; waiting: number };

/** This process's threads (Linux: /proc/<pid>/task); empty where there is no such directory. */
function threadIds(): string[] {
  try {
    return fs.readdirSync(`/proc/${process.pid}/task`);
  } catch {
    return [];
  }
}

/** Threads there before the app booted: the main one, V8's platform workers (GC), libuv's pool (SQLite). */
let threadsBefore = new Set<string>();

/**
 * CPU seconds so far by kind of thread: the main one, threads started since the bench began
 * (the MIME workers: nothing else here starts threads), and the rest (V8's GC helpers and
 * libuv's pool, where SQLite runs its statements). Undefined without /proc.
 */
type ThreadCpu = { main: number; workers: number; helpers: number };

function threadCpu(): ThreadCpu | undefined {
  const cpu: ThreadCpu = { main: 0, workers: 0, helpers: 0 };
  const ids = threadIds();
  if (!ids.length) return undefined;
  for (const tid of ids) {
    // Undefined for a thread that ended between the listing and the read.
    const seconds = statCpuSeconds(`/proc/${process.pid}/task/${tid}/stat`) ?? 0;
    cpu[tid === String(process.pid) ? 'main' : threadsBefore.has(tid) ? 'helpers' : 'workers'] += seconds;
  }
  return cpu;
}

function mainThreadSchedule(): Schedule | undefined {
  try {
    const [onCpu, waiting] = fs.readFileSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { onCpu: onCpu / 1e9, waiting: waiting / 1e9 };
  } catch {
    return undefined;
  }
}

/** Runs a sync and samples RSS meanwhile; returns seconds, peak RSS growth and the CPU each side used. */
async function timedRun(accountId: unknown, label = 'sync') {
  const base = process.memoryUsage().rss;
  let peak = base;
  const b0 = process.memoryUsage();
  let atPeak = b0;
  let smapsAtPeak = '';
  let smapsRss = base;
  const smapsAtBase = process.env.BENCH_MEM_TRACE ? summarizeSmaps() : '';
  const sampler = setInterval(() => {
    // rss() alone: memoryUsage() also walks the V8 heap's spaces, on the thread being measured.
    const rss = process.memoryUsage.rss();
    if (rss > peak) {
      // Read again each time the peak has grown 10 MB past the last reading: close to the peak, not every sample.
      if (process.env.BENCH_MEM_TRACE && rss > smapsRss + 10 * 1048576) [smapsAtPeak, smapsRss] = [summarizeSmaps(), rss];
      peak = rss;
      if (process.env.BENCH_MEM_TRACE) atPeak = process.memoryUsage();
    }
  }, 50);
  const schedule0 = mainThreadSchedule();
  const threads0 = threadCpu();
  const cpu0 = process.cpuUsage();
  const emulator0 = sandboxCpuSeconds();
  const started = performance.now();
  if (process.env.BENCH_TRACE_GC) console.log(`GCWIN start ${label} ${started.toFixed(0)}`);
  const outcome = await profiled(label, () => plugin(app).services.runner.run(accountId as string));
  const seconds = (performance.now() - started) / 1000;
  if (process.env.BENCH_TRACE_GC) console.log(`GCWIN end ${label} ${performance.now().toFixed(0)}`);
  const cpu = process.cpuUsage(cpu0);
  const schedule1 = mainThreadSchedule();
  const threads1 = threadCpu();
  const threadCpuUsed = threads0 && threads1 ? { main: threads1.main - threads0.main, workers: threads1.workers - threads0.workers, helpers: threads1.helpers - threads0.helpers } : undefined;
  const mainThread = schedule0 && schedule1 ? { onCpu: schedule1.onCpu - schedule0.onCpu, waiting: schedule1.waiting - schedule0.waiting } : undefined;
  const emulator1 = sandboxCpuSeconds();
  clearInterval(sampler);
  if (process.env.BENCH_MEM_TRACE) {
    const mb = (n: number) => (n / 1048576).toFixed(0);
    console.log(`MEMTRACE ${label} base rss ${mb(b0.rss)} heapTotal ${mb(b0.heapTotal)} heapUsed ${mb(b0.heapUsed)} external ${mb(b0.external)} ab ${mb(b0.arrayBuffers)}`);
    console.log(`MEMTRACE ${label} smaps at the start:\n${smapsAtBase}`);
    console.log(`MEMTRACE ${label} smaps near peak:\n${smapsAtPeak}`);
    console.log(`MEMTRACE ${label} peak rss ${mb(atPeak.rss)} heapTotal ${mb(atPeak.heapTotal)} heapUsed ${mb(atPeak.heapUsed)} external ${mb(atPeak.external)} ab ${mb(atPeak.arrayBuffers)}`);
  }
  if (outcome.status !== 'succeeded') throw new Error(`sync failed: ${outcome.error}`);
  const cpuSeconds = { plugin: (cpu.user + cpu.system) / 1e6, emulator: emulator0 === undefined || emulator1 === undefined ? undefined : emulator1 - emulator0 };
  // What the peak was made of (BENCH_HEAP_CHECK=1, see bench/sync.js): a full collection right
  // after the run shows whether the heap kept anything or V8 had just not collected yet.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heap = gc ? { beforeMb: b0.heapUsed / 1048576, afterGcMb: process.memoryUsage().heapUsed / 1048576 } : undefined;
  return { seconds, peakGrowthMb: (peak - base) / 1048576, heap, cpuSeconds, mainThread, threadCpu: threadCpuUsed, outcome };
}

/**
 * How long until a user sees mail: seconds from now until the account holds its first message,
 * and until it holds a first whole page (`page` messages). Polls the table every 50 ms.
 */
function timeToMail(accountId: unknown, page: number) {
  const started = performance.now();
  const at: { first?: number; page?: number } = {};
  const repo = app.db.getRepository('mailMessages');
  const poll = setInterval(() => {
    void repo.count({ filter: { accountId: accountId as string } }).then((n: number) => {
      const now = (performance.now() - started) / 1000;
      if (n > 0) at.first ??= now;
      if (n >= page) at.page ??= now;
    });
  }, 50);
  return { stop: () => (clearInterval(poll), at) };
}

/**
 * The floor the provider sets: the same first-sync pages fetched again, nothing parsed or
 * written. On a small machine the emulator shares the CPU with the sync, so this bounds what
 * the sync can reach whatever the plugin does.
 */
async function providerOnlyRate(provider: 'google' | 'microsoft', accountId: unknown, email: string) {
  const services = plugin(app).services;
  const adapter = syncAdapterTuning({ gmailQuotaUnitsPerMinute: 0 })((await services.settings.ready(provider, { forLinking: false })).adapter);
  const session = async () => ({ accessToken: await services.tokens.getAccessToken(String(accountId)), mailbox: email, signal: new AbortController().signal });
  let cursor: SyncCursor | undefined;
  let count = 0;
  const started = performance.now();
  for (;;) {
    const page = await adapter.sync.firstSyncPage(await session(), cursor, {});
    const fetched = page.idsToFetch.length ? await adapter.sync.fetchMessages(await session(), page.idsToFetch) : [];
    count += page.messages.length + fetched.length;
    cursor = page.cursor;
    if (page.done) break;
  }
  return count / ((performance.now() - started) / 1000);
}

/**
 * The ceiling: the rows the sync stored (its messages and their threads), deleted and inserted
 * again as plain INSERTs of 1,000 rows through Sequelize's query interface, the most direct
 * write the ORM has (no model instances, no hooks, no conflict clause). Rows are read back as
 * model values (arrays, booleans, dates), the shape the sync hands to the same interface.
 * Timed CEILING_RUNS times and the median taken: one timed insert moved by ±20% between runs
 * on the benchmark machine, and the ratio with it.
 */
const CEILING_RUNS = 3;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function rawInsertRate(accountId: unknown) {
  const queryInterface = app.db.sequelize.getQueryInterface();
  type Attributes = NonNullable<Parameters<typeof queryInterface.bulkInsert>[3]>;
  type Attribute = Attributes[string];
  const tables = ['mailMessages', 'mailThreads'].map((name) => {
    const model = app.db.getModel(name) as unknown as typeof app.db.sequelize.models[string] & { rawAttributes: Record<string, Attribute> };
    return { model, byColumn: attributesByColumn(model.rawAttributes) as Attributes };
  });
  const saved = await Promise.all(
    tables.map(async ({ model }) =>
      (await model.findAll({ where: { accountId } })).map((instance) => {
        const values = instance.get({ plain: true }) as Record<string, unknown>;
        const row: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(values)) row[(model.rawAttributes[name] as Attribute | undefined)?.field ?? name] = value;
        return row;
      }),
    ),
  );
  const rates: number[] = [];
  for (let run = 0; run < CEILING_RUNS; run++) {
    for (const { model } of tables) await model.destroy({ where: { accountId } });
    const started = performance.now();
    for (const [i, { model, byColumn }] of tables.entries()) {
      const rows = saved[i];
      for (let at = 0; at < rows.length; at += 1000) await queryInterface.bulkInsert(model.getTableName(), rows.slice(at, at + 1000), {}, byColumn);
    }
    rates.push(saved[0].length / ((performance.now() - started) / 1000));
  }
  return { rate: median(rates), rates, threads: saved[1].length };
}

/**
 * First syncs per mailbox, each followed by its own ceiling: this machine's speed drifts by a
 * fifth or more from one minute to the next (a neighbour's load), so a sync is compared with
 * the ceiling measured right beside it, and the median of those ratios is the figure.
 */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS || 3));

/** Back to before the first sync: no messages or threads, the engine's state cleared (folders stay). */
async function resetToFirstSync(accountId: unknown) {
  for (const name of ['mailMessages', 'mailThreads']) await app.db.getModel(name).destroy({ where: { accountId } });
  await app.db.getRepository('mailAccounts').update({ filterByTk: accountId as string, values: { syncStage: 'first', syncCursor: null, syncProgress: null } });
}

const list = (values: number[], digits = 0, unit = '') => values.map((v) => `${v.toFixed(digits)}${unit}`).join(', ');

describe(`sync benchmark (${dialect})`, () => {
  for (const [provider, email] of [['google', 'alice@example.com'], ['microsoft', 'carol@contoso.example']] as const) {
    it.runIf(runs(provider))(`${provider}: first sync of ${SIZE} messages vs raw bulk insert, then 100 new messages`, async () => {
      const account = await link(provider, email);
      const rounds: Array<{ seconds: number; peakGrowthMb: number; pluginCpu: number; emulatorCpu?: number; mainThread?: Schedule; threadCpu?: ThreadCpu; ceiling: number; threads: number }> = [];
      for (let round = 0; round < ROUNDS; round++) {
        if (round) await resetToFirstSync(account.id);
        const first = await timedRun(account.id, round ? `${provider}-first-${round + 1}` : `${provider}-first`);
        if (first.heap) say(`${provider} first sync ${round + 1}: V8 heap in use ${first.heap.beforeMb.toFixed(0)} MB before, ${first.heap.afterGcMb.toFixed(0)} MB after a full collection`);
        const raw = await rawInsertRate(account.id);
        rounds.push({ seconds: first.seconds, peakGrowthMb: first.peakGrowthMb, pluginCpu: first.cpuSeconds.plugin, emulatorCpu: first.cpuSeconds.emulator, mainThread: first.mainThread, threadCpu: first.threadCpu, ceiling: raw.rate, threads: raw.threads });
      }
      const seconds = rounds.map((r) => r.seconds);
      const ratios = rounds.map((r) => (SIZE / r.seconds / r.ceiling) * 100);
      const rate = SIZE / median(seconds);
      say(`${provider} first sync: ${SIZE} messages, ${ROUNDS} runs of ${list(seconds, 1, ' s')}; median ${median(seconds).toFixed(1)} s = ${rate.toFixed(0)} msg/s; peak RSS growth ${list(rounds.map((r) => r.peakGrowthMb), 0, ' MB')} (target < 300 MB)`);
      say(`${provider} raw bulk insert of the same rows (${SIZE} messages and their ${rounds[0].threads} threads) right after each run, median of ${CEILING_RUNS} inserts each: ${list(rounds.map((r) => r.ceiling))} messages/s; first sync = ${list(ratios, 0, '%')} of the ceiling beside it; median ${median(ratios).toFixed(0)}% (target ≥ 50%)`);
      const perMessage = (s: number) => `${((s / SIZE) * 1000).toFixed(2)} ms a message`;
      const pluginCpu = median(rounds.map((r) => r.pluginCpu));
      const emulatorCpus = rounds.map((r) => r.emulatorCpu).filter((c): c is number => c !== undefined);
      const emulatorCpu = emulatorCpus.length === rounds.length ? median(emulatorCpus) : undefined;
      say(`${provider} CPU during a first sync (median): the plugin's process ${pluginCpu.toFixed(1)} s (${perMessage(pluginCpu)}, all threads)${emulatorCpu === undefined ? '' : `, the emulator ${emulatorCpu.toFixed(1)} s (${perMessage(emulatorCpu)})`}, on ${os.availableParallelism()} cores`);
      if (emulatorCpu !== undefined) {
        // Both processes share this machine's cores: their CPU over the cores is the shortest
        // the run could have been, wherever the work ran and however well it overlapped. On
        // PostgreSQL the server's own processes use more, uncounted: the bound is looser there.
        const floors = rounds.map((r) => (r.pluginCpu + (r.emulatorCpu as number)) / os.availableParallelism());
        const uncounted = dialect === 'postgres' ? ", PostgreSQL's own processes not counted" : '';
        const caps = rounds.map((r, i) => (SIZE / floors[i] / r.ceiling) * 100);
        const busy = rounds.map((r, i) => (floors[i] / r.seconds) * 100);
        say(`${provider} CPU-bound floor: (plugin + emulator CPU) / ${os.availableParallelism()} cores = ${list(floors, 1, ' s')}${uncounted}; with that CPU a first sync could reach at most ${list(caps, 0, '%')} of the ceiling here (median ${median(caps).toFixed(0)}%); these two kept the cores ${list(busy, 0, '%')} busy`);
      }
      const schedules = rounds.map((r) => r.mainThread).filter((t): t is Schedule => Boolean(t));
      if (schedules.length === rounds.length) {
        // The engine's own JavaScript (SQL building, answers decoded, rows handed on) runs on the
        // main thread, which the writes wait for: its CPU alone bounds the run, however the rest
        // overlaps. What is left of the wall time it spent waiting for a core, or with nothing to do.
        const onCpu = schedules.map((t) => t.onCpu);
        const waiting = schedules.map((t) => t.waiting);
        const idle = rounds.map((r, i) => Math.max(0, r.seconds - onCpu[i] - waiting[i]));
        const caps = rounds.map((r, i) => (SIZE / onCpu[i] / r.ceiling) * 100);
        say(`${provider} main thread during a first sync: on a CPU ${list(onCpu, 2, ' s')}, runnable but waiting for a core ${list(waiting, 2, ' s')}, idle ${list(idle, 2, ' s')}; its CPU alone bounds a first sync to ${list(caps, 0, '%')} of the ceiling (median ${median(caps).toFixed(0)}%)`);
      }
      const byThread = rounds.map((r) => r.threadCpu).filter((t): t is ThreadCpu => Boolean(t));
      if (byThread.length === rounds.length) {
        say(`${provider} the plugin's CPU by thread during a first sync: main ${list(byThread.map((t) => t.main), 2, ' s')}; MIME workers ${list(byThread.map((t) => t.workers), 2, ' s')}; V8's GC helpers and libuv's pool${dialect === 'sqlite' ? ' (where SQLite runs)' : ''} ${list(byThread.map((t) => t.helpers), 2, ' s')}`);
      }

      for (let i = 0; i < 100; i++) await control('POST', `/users/${email}/messages`, { subject: `New ${i}`, text: `Body ${i}`, folder: 'inbox' });
      const increment = await timedRun(account.id);
      say(`${provider} incremental sync of 100 new messages into ${SIZE}: ${increment.seconds.toFixed(2)} s (target < 2 s)`);

      const alone = await providerOnlyRate(provider, account.id, email);
      say(`${provider} the emulator alone (same pages fetched, nothing parsed or written): ${alone.toFixed(0)} msg/s`);
    }, 900_000);
  }

  it.runIf(runs('quota'))(`google with Google's quota enforced: ${QUOTA_SIZE} messages vs 50 msg/s`, async () => {
    // Run #2: a fresh app with the plugin's defaults, so the adapter paces to Google's quota.
    await app.destroy();
    app = await bootApp();
    await configureProviders(app, sandbox as Sandbox);
    await control('POST', '/settings', { google: true });
    await control('DELETE', '/counters');
    const account = await link('google', 'bob@example.com');
    const watch = timeToMail(account.id, FIRST_SYNC_PAGE);
    const run = await timedRun(account.id);
    const seen = watch.stop();
    const rate = QUOTA_SIZE / run.seconds;
    const { rateLimited } = (await control('GET', '/counters')) as { rateLimited: Record<string, number> };
    const limited = Object.values(rateLimited).reduce((a, b) => a + b, 0);
    say(`google under quota: ${QUOTA_SIZE} messages in ${run.seconds.toFixed(1)} s = ${rate.toFixed(1)} msg/s = ${((rate / 50) * 100).toFixed(0)}% of the 50 msg/s quota ceiling; ${limited} rate-limit answers (target ≥ 90%, 0)`);
    say(`google under quota: the first mail was stored ${seen.first?.toFixed(1)} s after the run started; the first whole page (${FIRST_SYNC_PAGE} messages) ${seen.page?.toFixed(1)} s`);
    await control('POST', '/settings', { google: false });
  }, 900_000);
});
