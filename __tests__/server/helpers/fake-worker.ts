// A stand-in MIME worker for the pool's failure tests: it says it is ready, as ours does, then
// answers each request with `onRequest` (JavaScript run in the worker, with `request` and `n`,
// the request's number from 1, in scope).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function fakeWorkerEntry(onRequest: string): string {
  const entry = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mime-worker-')), 'worker.js');
  fs.writeFileSync(
    entry,
    `const { parentPort } = require('node:worker_threads');
     let n = 0;
     parentPort.on('message', (request) => {
       n++;
       ${onRequest}
     });
     parentPort.postMessage('ready');`,
  );
  return entry;
}
