// Starts sync-worker.ts in a child process and watches it: its JSON event lines, its exit, and
// what it wrote on stderr (shown when it dies on its own, which a test must never hide).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const WORKER = path.join(__dirname, 'sync-worker.ts');

export interface WorkerEvent {
  event: string;
  accountId?: string;
  status?: string;
  kind?: string;
  error?: string;
}

export interface Worker {
  child: ChildProcess;
  events: WorkerEvent[];
  /** Resolves once the worker's NocoBase instance is up; rejects if it exits first. */
  ready: Promise<void>;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  stderr(): string;
  kill(): Promise<number | null>;
}

const live = new Set<ChildProcess>();

export function startWorker(args: string[]): Worker {
  // `node --import tsx` keeps it to one process (the tsx CLI would put a launcher in front).
  // Its stdin stays open for its whole life: the worker exits when it closes, so even a test
  // process that is itself killed leaves no worker behind.
  // The environment is the test's: same database settings and NODE_EXTRA_CA_CERTS for the sandbox.
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { cwd: ROOT, env: process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(child);
  const events: WorkerEvent[] = [];
  let err = '';
  let out = '';
  let onReady: () => void = () => undefined;
  let onEarlyExit: (e: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onEarlyExit = reject;
  });
  ready.catch(() => undefined); // a worker nobody waits on may still exit early: not an unhandled error
  child.stderr!.on('data', (chunk) => (err += chunk));
  child.stdout!.on('data', (chunk) => {
    out += chunk;
    const lines = out.split('\n');
    out = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{"event"')) continue; // anything else is the host's own output
      const event = JSON.parse(line) as WorkerEvent;
      events.push(event);
      if (event.event === 'ready') onReady();
    }
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      live.delete(child);
      onEarlyExit(new Error(`sync worker exited (${code}) before it was ready:\n${err}`));
      resolve(code);
    }),
  );
  return {
    child,
    events,
    ready,
    exited,
    stderr: () => err,
    kill: async () => {
      child.kill('SIGKILL');
      return exited;
    },
  };
}

/** Kills every worker still running: a failed test must not leave processes behind. */
export async function killAllWorkers() {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise((resolve) => {
          child.once('exit', resolve);
          child.kill('SIGKILL');
        }),
    ),
  );
}
