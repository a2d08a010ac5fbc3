// The MIME worker pool (src/server/mime/pool.ts) with real worker threads: the rows it builds
// are the rows ingest builds in-process, and no failure of a worker loses a message. Workers
// here die for real: out of heap (resourceLimits), or because their entry cannot load.
import type { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRowsInProcess, MimeWorkerPool, type RowJob } from '../../src/server/mime/pool';
import { packAnswer, unpackAnswer } from '../../src/server/mime/wire';
import type { RemoteMessage } from '../../src/server/providers/sync-types';
import { ingestPage } from '../../src/server/sync/ingest';
import { contentHashOf } from '../../src/server/sync/ingest-rows';
import { bootApp, plugin } from './helpers/app';
import { fakeWorkerEntry } from './helpers/fake-worker';
import { createAccount, messagesOf } from './helpers/mail-db';
import { graphMessage, rawBytes, rawMessage, sandboxMailbox, sandboxMessage } from './helpers/mail-messages';

let app: MockServer;

beforeAll(async () => {
  app = await bootApp();
});

afterAll(async () => {
  await app?.destroy();
});

const jobsOf = (messages: RemoteMessage[]): RowJob[] => messages.map((message) => ({ message, contentHash: contentHashOf(message) }));

/** What the provider can hand over: real MIME (some malformed) and Graph fields. */
async function mixedPage(): Promise<RemoteMessage[]> {
  const mailbox = sandboxMailbox(11, 30);
  const sandbox = await Promise.all(mailbox.list({ includeSpamTrash: true }).map((state) => sandboxMessage(mailbox, state)));
  const rich = await rawMessage({
    from: 'Zoë <ZOE@Partner.Example>',
    to: 'a@b.example',
    subject: 'Grüße',
    html: '<p>Hi<script>x()</script><img src="https://t.example/p.gif"></p>',
    attachments: [{ filename: 'a.pdf', content: Buffer.alloc(3000, 7) }],
  });
  const raw = rich.raw as Buffer;
  const truncated = { ...rich, remoteId: 'cut', raw: raw.subarray(0, Math.floor(raw.length * 0.8)) };
  return [
    ...sandbox,
    rich,
    truncated,
    rawBytes('no headers here\nat all\n'),
    rawBytes('Subject: nul\0inside\r\n\r\nbody\0with nul\r\n'),
    graphMessage({ subject: 'Graph', from: { name: 'Carol', address: 'Carol@Contoso.Example' }, html: '<div>Numbers &amp; plans<br>next</div>' }),
    { ...graphMessage(), parsed: undefined },
  ];
}

describe('MimeWorkerPool', () => {
  it('keeps at most two requests per worker out over all callers, and answers each caller in order', async () => {
    const pool = new MimeWorkerPool({ size: 1 });
    try {
      const page = jobsOf(await mixedPage());
      // Six callers at once (the sync engine hands a page over in parts as they arrive).
      const parts = Array.from({ length: 6 }, (_, i) => page.slice(i * 6, i * 6 + 6));
      const built = await Promise.all(parts.map((part) => pool.build('acc', part)));
      for (const [i, rows] of built.entries()) expect(rows.map((r) => r.remoteId)).toEqual(parts[i].map((j) => j.message.remoteId));
      expect(pool.stats).toMatchObject({ inProcess: 0, mostOut: 2 });
    } finally {
      await pool.stop();
    }
  });

  it('builds exactly the rows ingest builds in-process, in order, off-thread', async () => {
    const pool = new MimeWorkerPool({ size: 2 });
    try {
      const jobs = jobsOf(await mixedPage());
      const rows = await pool.build('acc', jobs);
      expect(rows).toEqual(await buildRowsInProcess('acc', jobs));
      expect(pool.stats).toMatchObject({ inProcess: 0, died: 0 });
      expect(pool.stats.started).toBeGreaterThanOrEqual(1);
      expect(rows.find((r) => r.remoteId === 'cut')).toMatchObject({ malformed: true });
    } finally {
      await pool.stop();
    }
    expect(pool.running).toBe(0);
  });

  it('computes a fingerprint the caller left out, the same one this thread computes', async () => {
    // A first sync hands jobs without fingerprints (the worker hashes the bytes); the next sync
    // compares what it computes here against what was stored, so the two must agree.
    const pool = new MimeWorkerPool({ size: 1 });
    try {
      const page = await mixedPage();
      const rows = await pool.build('acc', page.map((message) => ({ message })));
      expect(rows.map((r) => r.contentHash)).toEqual(page.map(contentHashOf));
      expect(rows).toEqual(await pool.build('acc', jobsOf(page)));
      expect(pool.stats).toMatchObject({ inProcess: 0, died: 0 });
    } finally {
      await pool.stop();
    }
  });

  it('builds a page in-process when its worker dies on it, then replaces the worker', async () => {
    // A 16 MB heap is plenty for mail but not for a 10 MB body: the worker is killed by V8.
    const pool = new MimeWorkerPool({ size: 1, resourceLimits: { maxOldGenerationSizeMb: 16 } });
    try {
      const small = jobsOf(await mixedPage());
      expect(await pool.build(1, small.slice(0, 5))).toEqual(await buildRowsInProcess(1, small.slice(0, 5)));
      const huge = jobsOf([rawBytes(`Subject: huge\r\nContent-Type: text/plain\r\n\r\n${'word '.repeat(2_000_000)}\r\n`, { remoteId: 'huge' })]);
      const page = [...small.slice(5, 8), ...huge, ...small.slice(8, 10)];
      const rows = await pool.build(1, page);
      expect(rows).toEqual(await buildRowsInProcess(1, page));
      expect(rows.find((r) => r.remoteId === 'huge')?.text.length).toBeGreaterThan(9_999_000);
      expect(pool.stats.died).toBe(1);
      expect(pool.stats.inProcess).toBe(page.length);
      // The next page is parsed off-thread again, by a new worker.
      expect(await pool.build(1, small.slice(10, 15))).toEqual(await buildRowsInProcess(1, small.slice(10, 15)));
      expect(pool.stats).toMatchObject({ started: 2, inProcess: page.length });
    } finally {
      await pool.stop();
    }
  });

  it('parses in-process, and says so once, when workers cannot start', async () => {
    const warnings: string[] = [];
    const log = { info: () => undefined, error: () => undefined, warn: (line: string) => void warnings.push(line) };
    const pool = new MimeWorkerPool({ size: 1, log, entry: '/nonexistent/mime-worker.js' });
    const jobs = jobsOf(await mixedPage());
    for (let i = 0; i < 5; i++) expect(await pool.build(1, jobs.slice(i * 5, i * 5 + 5))).toEqual(await buildRowsInProcess(1, jobs.slice(i * 5, i * 5 + 5)));
    expect(pool.offThread).toBe(false);
    expect(pool.stats).toMatchObject({ started: 0, inProcess: 25 });
    expect(warnings).toEqual([expect.stringMatching(/^mail parsing workers could not start \(.+\); parsing in-process$/)]);
    await pool.stop();
  });

  it('answers travel as JSON text with the bodies beside it, and come back as the same rows, dates and nulls included', async () => {
    const rows = await buildRowsInProcess('acc', jobsOf(await mixedPage()));
    expect(rows.some((row) => row.sentAt === null) && rows.some((row) => row.sentAt instanceof Date)).toBe(true);
    const withBody = rows.find((row) => row.html.includes('"'));
    expect(withBody).toBeDefined();
    const answer = packAnswer(7, [...rows.map((row) => ({ row: { ...row } })), { error: 'could not' }]);
    expect(typeof answer.results).toBe('string');
    // The bodies are not in the JSON (where every quote and line break would be escaped).
    expect(answer.results).not.toContain(JSON.stringify(withBody!.html).slice(1, -1));
    expect(answer.bodies).toContain(withBody!.html);
    const back = unpackAnswer(answer);
    expect(back).toEqual([...rows.map((row) => ({ row })), { error: 'could not' }]);
    for (const [i, row] of rows.entries()) {
      const again = (back[i] as { row: typeof row }).row;
      expect(again.receivedAt).toBeInstanceOf(Date);
      expect(again.sentAt === null ? null : again.sentAt.getTime()).toBe(row.sentAt === null ? null : row.sentAt.getTime());
    }
  });

  it('builds a request in-process when its worker answers something unreadable or short', async () => {
    // A worker that says it is ready, then answers garbage, then one result short, then rows
    // whose bodies do not add up.
    const entry = fakeWorkerEntry(`
      if (n === 1) parentPort.postMessage({ id: request.id, results: 'not json', bodies: '', lengths: [] });
      else if (n === 2) parentPort.postMessage({ id: request.id, results: JSON.stringify(request.jobs.slice(1).map(() => ({ error: 'x' }))), bodies: '', lengths: [] });
      else {
        const row = { receivedAt: new Date(0).toISOString(), sentAt: null };
        parentPort.postMessage({ id: request.id, results: JSON.stringify(request.jobs.map(() => ({ row }))), bodies: 'abc', lengths: request.jobs.flatMap(() => [5, 5]) });
      }`);
    const pool = new MimeWorkerPool({ size: 1, entry });
    try {
      const jobs = jobsOf(await mixedPage());
      for (const page of [jobs.slice(0, 5), jobs.slice(5, 10), jobs.slice(10, 15)]) expect(await pool.build(1, page)).toEqual(await buildRowsInProcess(1, page));
      expect(pool.stats).toMatchObject({ inProcess: 15, died: 0 });
    } finally {
      await pool.stop();
    }
  });

  it('builds a page in-process when something in it cannot be sent to a worker', async () => {
    const pool = new MimeWorkerPool({ size: 1 });
    try {
      const odd = graphMessage({ subject: 'odd' });
      // An adapter bug: a value structured clone refuses (ingest only reads its plain fields).
      (odd.parsed as Record<string, unknown>).extra = () => undefined;
      const jobs = jobsOf([graphMessage({ subject: 'a' }), odd]);
      expect(await pool.build(1, jobs)).toEqual(await buildRowsInProcess(1, jobs));
      expect(pool.stats.inProcess).toBe(2);
    } finally {
      await pool.stop();
    }
  });
});

describe('ingest through the pool', () => {
  it('stores the same rows as in-process ingest, malformed messages flagged beside the rest', async () => {
    const pool = new MimeWorkerPool({ size: 1 });
    try {
      const page = await mixedPage();
      const [viaPool, inProcess] = [await createAccount(app), await createAccount(app)];
      expect(await ingestPage(app.db, viaPool.row as never, { messages: page }, { buildRows: pool.build })).toMatchObject({ added: page.length });
      await ingestPage(app.db, inProcess.row as never, { messages: page });
      // Everything but the row's own id, account and timestamps.
      const strip = (rows: Record<string, unknown>[]) => rows.map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => !['id', 'accountId', 'createdAt', 'updatedAt'].includes(key))));
      const stored = await messagesOf(app, viaPool.id);
      expect(strip(stored)).toEqual(strip(await messagesOf(app, inProcess.id)));
      expect(stored.find((r) => r.remoteId === 'cut')).toMatchObject({ malformed: true });
      expect(stored.filter((r) => !r.malformed).length).toBeGreaterThan(30);
      expect(pool.stats.inProcess).toBe(0);
    } finally {
      await pool.stop();
    }
  });

  // Last: it destroys the app.
  it("the plugin's pool stops with the app, leaving no worker behind", async () => {
    const pool = plugin(app).services.mimePool;
    await pool.build(1, jobsOf([graphMessage({ subject: 'x' })]));
    expect(pool.running).toBe(1);
    await app.destroy();
    expect(pool.running).toBe(0);
  });
});
