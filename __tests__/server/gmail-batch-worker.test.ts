// A Gmail first sync hands each batch answer (format=full) to a MIME worker, which reads and maps
// its messages off NocoBase's main thread. What comes back must be what this thread reads from
// the same bytes, whatever the parts hold; and an answer the worker cannot give is read here.
import { afterEach, describe, expect, it } from 'vitest';
import { toJson } from '../../sandbox/core/json';
import { messageResource } from '../../sandbox/google/gmail-resource';
import { MimeWorkerPool } from '../../src/server/mime/pool';
import { parseMappedBatch, type PartAnswer } from '../../src/server/providers/gmail/batch-parse';
import type { RemoteMessage } from '../../src/server/providers/sync-types';
import { fakeWorkerEntry } from './helpers/fake-worker';
import { sandboxMailbox } from './helpers/mail-messages';

const BOUNDARY = 'batch_worker_test';

function part(index: number, status: string, body: string): string {
  return `--${BOUNDARY}\r\nContent-Type: application/http\r\nContent-ID: <response-item${index}>\r\n\r\nHTTP/1.1 ${status}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n${body}\r\n`;
}

/** A batch answer as the sandbox serves messages.get?format=full, with the odd parts a real one can hold. */
async function batchAnswer(): Promise<Buffer> {
  const mailbox = sandboxMailbox(21, 12);
  const bodies: string[] = [];
  for (const state of mailbox.list({ includeSpamTrash: true })) bodies.push(toJson(await messageResource(mailbox, state, 'full')));
  const first = JSON.parse(bodies[0]);
  const headers = first.payload.headers as Array<{ name: string; value: string }>;
  // A Date header nobody can read: the message's sentAt is an invalid Date, on either thread.
  const undated = { ...first, id: 'undated', payload: { ...first.payload, headers: headers.map((h) => (h.name.toLowerCase() === 'date' ? { ...h, value: 'not a date' } : h)) } };
  // A header section Gmail could not read: the sync asks for this one as raw.
  const unreadable = { ...first, id: 'unreadable', payload: { ...first.payload, headers: [...headers, { name: 'not a header', value: 'x' }] } };
  const chat = { ...first, id: 'chat', labelIds: ['CHAT'] };
  const parts = bodies.map((body, i) => part(i, '200 OK', body));
  parts.push(
    part(parts.length, '200 OK', JSON.stringify(undated)),
    part(parts.length + 1, '200 OK', JSON.stringify(unreadable)),
    part(parts.length + 2, '200 OK', JSON.stringify(chat)),
    part(parts.length + 3, '404 Not Found', JSON.stringify({ error: { code: 404, message: 'Requested entity was not found.' } })),
    part(parts.length + 4, '429 Too Many Requests', JSON.stringify({ error: { code: 429, message: 'Too many concurrent requests for user.' } })),
  );
  return Buffer.from(`${parts.join('')}--${BOUNDARY}--\r\n`, 'utf8');
}

/** The answers with every invalid Date as the text "Invalid Date" (toEqual holds two of them unequal). */
function comparable(answers: Map<number, PartAnswer>) {
  return JSON.parse(JSON.stringify([...answers], (_key, value) => (value instanceof Date || (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) ? String(value) : value)));
}

const mapped = (answers: Map<number, PartAnswer>) => [...answers.values()].map((a) => a.mapped).filter((m): m is RemoteMessage => Boolean(m) && m !== 'raw');

describe('Gmail batch answers read by a MIME worker', () => {
  let pool: MimeWorkerPool | undefined;
  afterEach(async () => {
    await pool?.stop();
    pool = undefined;
  });

  it('come back as this thread reads them: messages with bodies and dates, raw, chats, errors', async () => {
    const bytes = await batchAnswer();
    const here = parseMappedBatch(bytes, BOUNDARY);
    pool = new MimeWorkerPool({ size: 1 });
    const there = await pool.parseGmailBatch(bytes, BOUNDARY);
    expect(pool.stats).toMatchObject({ batchesInProcess: 0, died: 0 });
    expect(comparable(there)).toEqual(comparable(here));
    // What the comparison above would not tell apart.
    const messages = mapped(there);
    expect(messages.length).toBe(13);
    expect(messages.every((m) => m.receivedAt instanceof Date && !Number.isNaN(m.receivedAt.getTime()))).toBe(true);
    const undated = messages.find((m) => m.remoteId === 'undated')!;
    expect(undated.parsed!.sentAt).toBeInstanceOf(Date);
    expect(Number.isNaN(undated.parsed!.sentAt!.getTime())).toBe(true);
    expect(messages.filter((m) => m.parsed!.sentAt instanceof Date && !Number.isNaN(m.parsed!.sentAt.getTime())).length).toBe(12);
    expect(messages.every((m, i) => m.parsed!.html === mapped(here)[i].parsed!.html && m.parsed!.text === mapped(here)[i].parsed!.text)).toBe(true);
    expect(messages.some((m) => m.parsed!.html)).toBe(true);
    const byId = new Map([...there.values()].map((a) => [(a.body as { id?: string })?.id, a]));
    expect(byId.get('unreadable')!.mapped).toBe('raw');
    expect(byId.get('chat')!.mapped).toBeNull();
    expect([...there.values()].filter((a) => a.status !== 200).map((a) => a.status)).toEqual([404, 429]);
  });

  it('are read here when the worker answers something unreadable, or dies on one', async () => {
    const entry = fakeWorkerEntry(`
      if (n === 1) parentPort.postMessage({ id: request.id, parts: 'not json', bodies: '', lengths: [] });
      else if (n === 2) parentPort.postMessage({ id: request.id, parts: '[]', bodies: 'abc', lengths: [] });
      else if (n === 3) parentPort.postMessage({ id: request.id, error: 'could not' });
      else process.exit(1);`);
    const bytes = await batchAnswer();
    const here = comparable(parseMappedBatch(bytes, BOUNDARY));
    pool = new MimeWorkerPool({ size: 1, entry });
    for (let i = 0; i < 4; i++) expect(comparable(await pool.parseGmailBatch(bytes, BOUNDARY))).toEqual(here);
    expect(pool.stats).toMatchObject({ batchesInProcess: 4, died: 1 });
  });
});
