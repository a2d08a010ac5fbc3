// Request bodies with a size limit, as the providers' front ends enforce them. Past the limit
// the rest is still read and dropped: a client that is still sending gets the 413 instead of a
// reset connection, and nothing larger than the limit is held in memory.
import type { IncomingMessage } from 'node:http';
import type { RequestContext } from './types';

export interface LimitedBody {
  /** The whole body; empty when it was over the limit. */
  body: Buffer;
  /** Bytes received. */
  size: number;
  tooLarge: boolean;
}

export function readLimited(req: IncomingMessage, limit: number): Promise<LimitedBody> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks = [];
    });
    req.on('end', () => resolve({ body: size <= limit ? Buffer.concat(chunks) : Buffer.alloc(0), size, tooLarge: size > limit }));
    req.on('error', reject);
  });
}

/** Makes ctx.body() (and so ctx.json()) reject with `tooLarge()` when the body is over `limit`. */
export function limitBody(ctx: RequestContext, limit: number, tooLarge: () => Error): void {
  let read: Promise<Buffer> | undefined;
  ctx.body = () => {
    read ??= readLimited(ctx.req, limit).then((r) => {
      if (r.tooLarge) throw tooLarge();
      return r.body;
    });
    return read;
  };
}
