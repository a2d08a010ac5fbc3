// A few worker threads that turn fetched messages into mailMessages rows (mailparser, the MIME
// check, sanitize-html, HTML → text, normalisation: see worker.ts for why off-thread).
//
// Nothing is lost when a worker fails: a job it could not build, or every job of a request
// whose worker died, is built in-process from the caller's own bytes (a malformed message
// still ends up stored flagged, as buildRow never throws for content). A dead worker is
// replaced at the next request. When workers cannot start at all (three starts in a row
// fail), the pool says so once in the log and builds everything in-process from then on.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { Log } from '../log';
import { buildRow, type AccountId, type MessageRow } from '../sync/ingest-rows';
import { parseMappedBatch, type ParseBatch } from '../providers/gmail/batch-parse';
import { packRequest, unpackAnswer, unpackGmailBatch, type BuildAnswer, type BuildResult, type GmailBatchAnswer, type GmailBatchRequest, type RowJob } from './wire';

export type { RowJob } from './wire';
export type BuildRows = (accountId: AccountId, jobs: RowJob[]) => Promise<MessageRow[]>;

export async function buildRowsInProcess(accountId: AccountId, jobs: RowJob[]): Promise<MessageRow[]> {
  const rows: MessageRow[] = [];
  for (const { message, contentHash } of jobs) rows.push(await buildRow(accountId, message, contentHash));
  return rows;
}

export interface MimePoolOptions {
  /** Worker threads (plugin option mimeWorkers); 0 parses in-process. Default: cores − 1, 1 to 4. */
  size?: number;
  log?: Log;
  /** Bounds each worker's heap, so a hostile message costs a worker, not the process (young generation: 32 MB unless set). */
  resourceLimits?: ResourceLimits;
  /** The worker's entry; the default is worker.js beside this file (built), else worker.ts. */
  entry?: string;
}

const MAX_FAILED_STARTS = 3;
/**
 * A worker's young generation, set rather than left to V8 (which grows it up to 48 MB): parsing
 * a page churns through short-lived strings and buffers, and the nursery is what they die in.
 * Measured on the benchmark's Gmail first sync (10,000 messages): with 8 MB the worker ran 140
 * scavenges a sync and spent about 0.5 s in them, with 32 MB 35 and 0.25 s, for no change in the
 * process's peak RSS (150-165 MB on the cold run either way). 48 MB collected no less often.
 */
const WORKER_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 32 };
/** Jobs smaller than this are not split between workers: a message is no work to spread. */
const MIN_CHUNK = 10;
/**
 * Messages per request at most. A first-sync page is 500 messages, tens of MB of raw MIME: sent
 * whole, its copy (and the worker's parsing of all of it, and all its rows on the way back)
 * would be in memory at once.
 */
const MAX_CHUNK = 50;
/**
 * Requests out per worker at once, over all callers: a request holds a copy of its messages'
 * bytes until it is answered, and the sync engine hands over a page in parts as they arrive.
 * Two keep a worker from ever waiting for its next one.
 */
const IN_FLIGHT = 2;

export function defaultPoolSize(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cores - 1));
}

/**
 * The built plugin runs worker.js. Tests run the TypeScript source: the worker registers tsx's
 * require hook first (`--import tsx` in execArgv does not work for a worker's own entry on Node
 * 20, which loads it before the hook is in place). tsx is a dev dependency, never needed built.
 */
function defaultEntry(): { source: string; eval: boolean } {
  const built = path.join(__dirname, 'worker.js');
  if (fs.existsSync(built)) return { source: built, eval: false };
  const tsx = createRequire(__filename).resolve('tsx/cjs');
  return { source: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(path.join(__dirname, 'worker.ts'))});`, eval: true };
}

interface PendingBuild {
  kind: 'build';
  accountId: AccountId;
  jobs: RowJob[];
  resolve(rows: MessageRow[]): void;
  reject(err: Error): void;
}

interface PendingGmailBatch {
  kind: 'gmailBatch';
  resolve(answer: GmailBatchAnswer): void;
  reject(err: Error): void;
}

type Pending = PendingBuild | PendingGmailBatch;

class Thread {
  readonly pending = new Map<number, Pending>();
  ready = false;
  stopping = false;

  constructor(readonly worker: Worker) {}
}

export class MimeWorkerPool {
  readonly size: number;
  /** Counters for the log and for tests: workers started, workers that died, jobs built in-process, most requests out at once, Gmail batch answers read in-process. */
  readonly stats = { started: 0, died: 0, inProcess: 0, mostOut: 0, batchesInProcess: 0 };
  private threads: Thread[] = [];
  private nextId = 1;
  private failedStarts = 0;
  private disabled = false;
  /** Requests out now, and callers waiting for a free place, first come first served. */
  private out = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly options: MimePoolOptions = {}) {
    this.size = Math.max(0, Math.floor(options.size ?? defaultPoolSize()));
  }

  /** Worker threads alive now. */
  get running(): number {
    return this.threads.length;
  }

  /** Whether rows are built off-thread (false once workers proved unable to start). */
  get offThread(): boolean {
    return this.size > 0 && !this.disabled;
  }

  /** Builds the jobs' rows, in order. Never rejects for a worker's sake. */
  build: BuildRows = async (accountId, jobs) => {
    if (!jobs.length) return [];
    if (!this.offThread) return this.inProcess(accountId, jobs);
    const chunkCount = Math.max(1, Math.min(this.size, Math.floor(jobs.length / MIN_CHUNK)));
    const per = Math.min(MAX_CHUNK, Math.ceil(jobs.length / chunkCount));
    const chunks: RowJob[][] = [];
    for (let i = 0; i < jobs.length; i += per) chunks.push(jobs.slice(i, i + per));
    const rows = await Promise.all(chunks.map((chunk) => this.whenFree(() => this.send(accountId, chunk))));
    return rows.flat();
  };

  /**
   * Reads a Gmail batch answer (format=full) and maps its messages in a worker, so that NocoBase's
   * main thread never parses their JSON nor decodes their bodies: on a Gmail first sync that was
   * a sixth of its time. The worker gets a copy of the bytes; when it cannot answer, they are
   * read here. Never rejects for a worker's sake.
   */
  parseGmailBatch: ParseBatch = async (response, boundary) => {
    const here = () => {
      this.stats.batchesInProcess++;
      return parseMappedBatch(response, boundary);
    };
    if (!this.offThread) return here();
    return this.whenFree(async () => {
      const thread = this.pick();
      if (!thread) return here();
      const id = this.nextId++;
      const answer = new Promise<GmailBatchAnswer>((resolve, reject) => thread.pending.set(id, { kind: 'gmailBatch', resolve, reject }));
      try {
        const bytes = new Uint8Array(response).buffer;
        const request: GmailBatchRequest = { kind: 'gmailBatch', id, bytes, boundary };
        thread.worker.postMessage(request, [bytes]);
        thread.worker.ref();
        return unpackGmailBatch(await answer);
      } catch {
        thread.pending.delete(id);
        return here();
      }
    });
  };

  /** Runs `request` once fewer than IN_FLIGHT per worker are out, in the order asked. */
  private async whenFree<T>(request: () => Promise<T>): Promise<T> {
    if (this.out >= Math.max(1, this.size) * IN_FLIGHT) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.out++;
    this.stats.mostOut = Math.max(this.stats.mostOut, this.out);
    try {
      return await request();
    } finally {
      // The place passes straight to the next waiter, so `out` stays counted for it.
      const next = this.queue.shift();
      if (next) next();
      else this.out--;
    }
  }

  /** Stops every worker; a later build starts new ones. Requests in flight finish in-process. */
  async stop(): Promise<void> {
    const threads = this.threads;
    this.threads = [];
    for (const t of threads) t.stopping = true;
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private async inProcess(accountId: AccountId, jobs: RowJob[]) {
    this.stats.inProcess += jobs.length;
    return buildRowsInProcess(accountId, jobs);
  }

  private send(accountId: AccountId, jobs: RowJob[]): Promise<MessageRow[]> {
    const thread = this.pick();
    if (!thread) return this.inProcess(accountId, jobs);
    const id = this.nextId++;
    const answer = new Promise<MessageRow[]>((resolve, reject) => thread.pending.set(id, { kind: 'build', accountId, jobs, resolve, reject }));
    try {
      const request = packRequest(id, accountId, jobs);
      thread.worker.postMessage(request, [request.bytes]);
      thread.worker.ref();
    } catch {
      // Something in the page could not be cloned: this page is built here.
      thread.pending.delete(id);
      return this.inProcess(accountId, jobs);
    }
    // The worker died with this request: its jobs are built here, from the caller's bytes.
    return answer.catch(() => this.inProcess(accountId, jobs));
  }

  /** The least busy worker, starting one while there are fewer than `size`. */
  private pick(): Thread | undefined {
    if (this.threads.length < this.size) this.spawn();
    if (this.disabled) return undefined;
    return this.threads.reduce<Thread | undefined>((best, t) => (!best || t.pending.size < best.pending.size ? t : best), undefined);
  }

  private spawn() {
    let worker: Worker;
    try {
      const entry = this.options.entry ? { source: this.options.entry, eval: false } : defaultEntry();
      worker = new Worker(entry.source, { eval: entry.eval, resourceLimits: { ...WORKER_LIMITS, ...this.options.resourceLimits } });
    } catch (err) {
      this.startFailed(err);
      return;
    }
    const thread = new Thread(worker);
    this.threads.push(thread);
    // An idle worker must not keep the host (or a test run) alive; a busy one is ref'd in send().
    worker.unref();
    let failure: unknown;
    worker.on('message', (message: BuildAnswer | GmailBatchAnswer | 'ready') => {
      if (message === 'ready') {
        thread.ready = true;
        this.failedStarts = 0;
        this.stats.started++;
        return;
      }
      const pending = thread.pending.get(message.id);
      if (!pending) return;
      thread.pending.delete(message.id);
      if (!thread.pending.size) worker.unref();
      if (pending.kind === 'gmailBatch') pending.resolve(message as GmailBatchAnswer);
      else this.settle(message as BuildAnswer, pending).then(pending.resolve, pending.reject);
    });
    worker.on('error', (err) => (failure = err));
    // A worker that cannot deserialise an answer is no longer trusted.
    worker.on('messageerror', () => void worker.terminate());
    worker.on('exit', () => {
      this.threads = this.threads.filter((t) => t !== thread);
      if (!thread.ready && failure) this.startFailed(failure);
      else if (!thread.stopping) {
        this.stats.died++;
        this.options.log?.warn(`a mail parsing worker stopped (${reason(failure)}); its messages are parsed in-process`);
      }
      for (const pending of thread.pending.values()) pending.reject(new Error('the worker stopped'));
      thread.pending.clear();
    });
  }

  /** The worker's rows, with anything it could not build built here. */
  private async settle(answer: BuildAnswer, pending: PendingBuild): Promise<MessageRow[]> {
    let results: BuildResult[] | undefined;
    try {
      results = unpackAnswer(answer);
    } catch {
      results = undefined;
    }
    // Not what a worker of ours writes (unreadable, or not one result a job): a job without its
    // row would be a message lost, so the whole request is built here instead.
    if (!Array.isArray(results) || results.length !== pending.jobs.length) return this.inProcess(pending.accountId, pending.jobs);
    const rows: MessageRow[] = [];
    for (const [i, result] of results.entries()) {
      if ('row' in result) rows.push(result.row);
      else rows.push(...(await this.inProcess(pending.accountId, [pending.jobs[i]])));
    }
    return rows;
  }

  private startFailed(err: unknown) {
    this.failedStarts++;
    if (this.failedStarts >= MAX_FAILED_STARTS && !this.disabled) {
      this.disabled = true;
      this.options.log?.warn(`mail parsing workers could not start (${reason(err)}); parsing in-process`);
    }
  }
}

function reason(err: unknown): string {
  if (!err) return 'exited';
  return (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 200);
}
