// A MIME worker thread (see pool.ts): builds the rows of the jobs it is sent with the very
// same buildRow that ingest uses in-process, so stored values cannot differ by path.
//
// Why a thread: NocoBase locks its process down with SES, after which V8 runs every regular
// expression on its slow path (about 20× slower), and parsing and sanitising mail is mostly
// regular expressions. A worker is a realm SES never touched. It also keeps that CPU off
// NocoBase's event loop, so requests stay responsive during a big first sync.
import { parentPort } from 'node:worker_threads';
import { buildRow } from '../sync/ingest-rows';
import { safeReason } from './parse';
import { parseMappedBatch } from '../providers/gmail/batch-parse';
import { packAnswer, packGmailBatch, unpackRequest, type BuildRequest, type BuildResult, type GmailBatchRequest } from './wire';

const port = parentPort;
if (!port) throw new Error('mime/worker runs in a worker thread');

port.on('message', async (request: BuildRequest | GmailBatchRequest) => {
  if ((request as GmailBatchRequest).kind === 'gmailBatch') {
    const batch = request as GmailBatchRequest;
    try {
      port.postMessage(packGmailBatch(batch.id, parseMappedBatch(Buffer.from(batch.bytes), batch.boundary)));
    } catch (err) {
      // The pool reads this answer itself.
      port.postMessage({ id: batch.id, error: safeReason(err) });
    }
    return;
  }
  const build = request as BuildRequest;
  const results: BuildResult[] = [];
  for (const { message, contentHash } of unpackRequest(build)) {
    try {
      results.push({ row: await buildRow(build.accountId, message, contentHash) });
    } catch (err) {
      // The pool builds this one in-process instead; the rest of the page is unaffected.
      results.push({ error: safeReason(err) });
    }
  }
  port.postMessage(packAnswer(build.id, results));
});

// The modules above loaded: the pool may count this worker as started.
port.postMessage('ready');
