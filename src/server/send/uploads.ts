// Files attached in the composer: streamed from the request straight to the storage folder
// under a random name, counted as they come, and refused with 413 the moment they pass the
// limit (before, when Content-Length says so), so an oversized file is never kept.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Database, Model } from '@nocobase/database';
import { MAIL_ERRORS } from '../../shared/mail';
import { SEND_ERRORS, type MailUploadDTO } from '../../shared/send';
import { MailApiError } from '../errors';
import type { OutgoingAttachment } from '../providers/send-types';

export const DEFAULT_UPLOADS_DIR = path.resolve(process.cwd(), 'storage', 'email-manager', 'uploads');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function tooLarge(limitBytes: number): MailApiError {
  const mb = Math.round((limitBytes / 1024 / 1024) * 10) / 10;
  return new MailApiError(SEND_ERRORS.TOO_LARGE, `Attachments may add up to ${mb} MB per message.`, 413);
}

function dto(row: Model): MailUploadDTO {
  return { id: row.get('id') as string, filename: row.get('filename') as string, contentType: row.get('contentType') as string, size: Number(row.get('size')) };
}

/** A file name as a file name: no path, no control characters, not empty. */
function cleanName(name: unknown): string {
  const text = typeof name === 'string' ? name : '';
  const base = text.split(/[\\/]/).pop() ?? '';
  return base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255) || 'attachment';
}

export interface IncomingFile {
  body: Readable;
  filename: unknown;
  contentType?: string;
  contentLength?: number;
}

export class Uploads {
  constructor(
    private readonly db: Database,
    private readonly dir: string,
    private readonly limitBytes: () => number,
  ) {}

  private file(id: string) {
    return path.join(this.dir, id);
  }

  async receive(userId: string, incoming: IncomingFile): Promise<MailUploadDTO> {
    const limit = this.limitBytes();
    if (incoming.contentLength !== undefined && incoming.contentLength > limit) {
      incoming.body.resume();
      throw tooLarge(limit);
    }
    const id = randomUUID();
    await mkdir(this.dir, { recursive: true });
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        done(size > limit ? tooLarge(limit) : null, chunk);
      },
    });
    try {
      await pipeline(incoming.body, counter, createWriteStream(this.file(id), { flags: 'wx' }));
    } catch (err) {
      await rm(this.file(id), { force: true });
      if (err instanceof MailApiError) throw err;
      throw new MailApiError(SEND_ERRORS.INVALID, 'The upload broke off before the whole file arrived.', 400);
    }
    const type = (incoming.contentType || '').split(';')[0].trim().toLowerCase();
    const row = await this.db.getRepository('mailUploads').create({
      values: { id, userId, filename: cleanName(incoming.filename), contentType: /^[\w.+-]+\/[\w.+-]+$/.test(type) ? type : 'application/octet-stream', size },
    });
    return dto(row);
  }

  /** The user's uploads by id, in the order asked; 404 naming none when one is missing or another user's. */
  async info(userId: string, ids: unknown): Promise<MailUploadDTO[]> {
    if (ids === undefined || ids === null) return [];
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || !UUID.test(id))) {
      throw new MailApiError(SEND_ERRORS.INVALID, 'uploads must be a list of upload ids.', 400, 'uploads');
    }
    const wanted = [...new Set(ids as string[])];
    if (!wanted.length) return [];
    const rows = await this.db.getRepository('mailUploads').find({ filter: { id: wanted, userId } });
    const byId = new Map(rows.map((row: Model) => [row.get('id') as string, dto(row)]));
    const missing = wanted.filter((id) => !byId.has(id));
    if (missing.length) throw new MailApiError(MAIL_ERRORS.NOT_FOUND, 'An attached file is no longer there; attach it again.', 404, 'uploads');
    return wanted.map((id) => byId.get(id) as MailUploadDTO);
  }

  async content(uploads: MailUploadDTO[]): Promise<OutgoingAttachment[]> {
    return Promise.all(uploads.map(async (u) => ({ filename: u.filename, contentType: u.contentType, content: await readFile(this.file(u.id)) })));
  }

  async remove(userId: string, id: unknown): Promise<void> {
    if (typeof id !== 'string' || !UUID.test(id)) throw new MailApiError(MAIL_ERRORS.NOT_FOUND, 'There is no such upload.', 404);
    const count = await this.db.getRepository('mailUploads').destroy({ filter: { id, userId } });
    if (!count) throw new MailApiError(MAIL_ERRORS.NOT_FOUND, 'There is no such upload.', 404);
    await rm(this.file(id), { force: true });
  }

  /**
   * Deletes uploads older than `maxAgeMs` that no draft and no unsent outbox row holds: files
   * attached to a composer that was then closed without a draft, or to a discarded draft.
   */
  async sweep(maxAgeMs: number, now = Date.now()): Promise<number> {
    const old: Model[] = await this.db.getRepository('mailUploads').find({ filter: { createdAt: { $lt: new Date(now - maxAgeMs) } }, fields: ['id', 'userId'], limit: 500 });
    if (!old.length) return 0;
    const users = [...new Set(old.map((u) => u.get('userId') as string))];
    const held = new Set<string>();
    for (const draft of await this.db.getRepository('mailDrafts').find({ filter: { userId: users }, fields: ['uploads'] })) {
      for (const id of (draft.get('uploads') as string[] | null) ?? []) held.add(id);
    }
    for (const row of await this.db.getRepository('mailOutbox').find({ filter: { userId: users, status: { $ne: 'sent' } }, fields: ['uploads'] })) {
      for (const u of (row.get('uploads') as { id: string }[] | null) ?? []) held.add(u.id);
    }
    const loose = old.map((u) => u.get('id') as string).filter((id) => !held.has(id));
    await this.discard(loose);
    return loose.length;
  }

  /** Deletes uploads that nothing needs any more (after their message was sent). */
  async discard(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.db.getRepository('mailUploads').destroy({ filter: { id: ids } });
    await Promise.all(ids.map((id) => rm(this.file(id), { force: true })));
  }
}
