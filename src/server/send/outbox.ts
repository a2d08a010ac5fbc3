// The outbox: a send request becomes rows (one, or one per recipient) in one transaction, keyed
// by the client's idempotency key, so a repeated request finds its rows instead of sending
// again. The rows are what gets sent (send/relay.ts), tracked, retried and listed.
import type { Database, Model } from '@nocobase/database';
import { MAIL_ERRORS } from '../../shared/mail';
import { SEND_ERRORS, type OutboxDTO, type SendResponse } from '../../shared/send';
import { parseId } from '../accounts/store';
import { MailApiError } from '../errors';
import { bodyParts, newMessageId } from '../mime/compose';
import { outboxDTO } from './dto';
import { checkMessage, invalid, type CheckedMessage, type SendLimits } from './request';
import type { Uploads } from './uploads';

const KEY = /^[\w.:-]{8,100}$/;
const MAX_PAGE_SIZE = 200;

export interface OutboxDeps {
  db: Database;
  uploads: Uploads;
  limits: () => SendLimits;
}

const isUniqueViolation = (err: unknown) => (err as { name?: string })?.name === 'SequelizeUniqueConstraintError';

export class Outbox {
  constructor(private readonly deps: OutboxDeps) {}

  private get repo() {
    return this.deps.db.getRepository('mailOutbox');
  }

  /** The rows an earlier request with this key made, oldest first. */
  async byKey(userId: string, key: string): Promise<Model[]> {
    return this.repo.find({ filter: { userId, $or: [{ idempotencyKey: key }, { bulkId: key }] }, sort: ['id'] });
  }

  /** Stores the request as outbox rows (or finds those a repeated request stored); returns them. */
  async submit(userId: string, values: unknown): Promise<{ rows: Model[]; created: boolean; bulk: boolean }> {
    const key = (values as { idempotencyKey?: unknown } | null)?.idempotencyKey;
    if (typeof key !== 'string' || !KEY.test(key)) throw invalid('idempotencyKey', 'idempotencyKey must be 8 to 100 letters, digits, dots, colons, dashes or underscores.');
    const earlier = await this.byKey(userId, key);
    if (earlier.length) return { rows: earlier, created: false, bulk: Boolean(earlier[0].get('bulkId')) };
    const message = await checkMessage(this.deps.db, this.deps.uploads, userId, values, this.deps.limits(), true);
    const draftId = parseId((values as { draftId?: unknown }).draftId);
    try {
      // One INSERT for all rows: a request is stored whole or not at all (SQLite, too, where
      // NocoBase's single connection cannot hold two transactions at once).
      await this.deps.db.getModel('mailOutbox').bulkCreate(this.rowsOf(userId, key, message));
    } catch (err) {
      // The same key submitted twice at once: the other request stored it first.
      if (!isUniqueViolation(err)) throw err;
      return { rows: await this.byKey(userId, key), created: false, bulk: message.perRecipient };
    }
    // The outbox rows now hold everything the draft did.
    if (draftId) await this.deps.db.getRepository('mailDrafts').destroy({ filter: { id: draftId, userId } });
    return { rows: await this.byKey(userId, key), created: true, bulk: message.perRecipient };
  }

  private rowsOf(userId: string, key: string, m: CheckedMessage) {
    const { html, text } = bodyParts({ html: m.html, text: m.text });
    const address = m.account.get('address') as string;
    const common = {
      userId,
      accountId: m.account.get('id'),
      mode: m.mode,
      sourceMessageId: m.source?.get('id') ?? null,
      status: 'pending',
      subject: m.subject,
      html,
      text,
      uploads: m.uploads,
      forwarded: m.forwarded,
      attempts: 0,
    };
    if (!m.perRecipient) return [{ ...common, idempotencyKey: key, to: m.to, cc: m.cc, bcc: m.bcc, messageId: newMessageId(address) }];
    return m.to.map((to, i) => ({ ...common, idempotencyKey: `${key}#${i + 1}`, bulkId: key, to: [to], cc: [], bcc: [], messageId: newMessageId(address) }));
  }

  async list(userId: string, params: { bulkId?: unknown; status?: unknown; page?: unknown; pageSize?: unknown }) {
    const filter: Record<string, unknown> = { userId };
    if (params.bulkId !== undefined) filter.bulkId = String(params.bulkId);
    if (params.status !== undefined) filter.status = String(params.status);
    const page = Math.max(1, Number(params.page) || 1);
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Number(params.pageSize) || 50));
    const [rows, count] = await this.repo.findAndCount({ filter: filter as never, sort: ['-id'], offset: (page - 1) * pageSize, limit: pageSize });
    const byStatus: Record<string, number> = {};
    if (params.bulkId !== undefined) {
      const all = await this.repo.find({ filter: { userId, bulkId: String(params.bulkId) }, fields: ['status'] });
      for (const row of all) byStatus[row.get('status') as string] = (byStatus[row.get('status') as string] ?? 0) + 1;
    }
    return { data: rows.map(outboxDTO), meta: { count, page, pageSize, totalPage: Math.ceil(count / pageSize), byStatus } };
  }

  async own(userId: string, id: unknown): Promise<Model> {
    const key = parseId(id);
    const row = key ? await this.repo.findOne({ filter: { id: key, userId } }) : null;
    if (!row) throw new MailApiError(MAIL_ERRORS.NOT_FOUND, 'There is no such message in the outbox.', 404);
    return row;
  }

  /** The user's say for a failed or unknown send: try it again (from the first attempt's budget). */
  async retry(userId: string, id: unknown): Promise<OutboxDTO> {
    const row = await this.own(userId, id);
    const [count] = await this.deps.db.getModel('mailOutbox').update(
      { status: 'pending', nextAttemptAt: null, attempts: 0, error: null },
      { where: { id: row.get('id'), status: ['failed', 'unknown'] } },
    );
    if (!count) throw new MailApiError(SEND_ERRORS.WRONG_STATE, 'Only a message that failed, or whose sending is uncertain, can be sent again.', 409);
    return outboxDTO(await this.own(userId, id));
  }

  /** Removes a row that is not being sent (a sent row leaves the log too). */
  async remove(userId: string, id: unknown): Promise<void> {
    const row = await this.own(userId, id);
    const count = await this.deps.db.getModel('mailOutbox').destroy({ where: { id: row.get('id'), status: ['pending', 'failed', 'unknown', 'sent'] } });
    if (!count) throw new MailApiError(SEND_ERRORS.WRONG_STATE, 'This message is being sent right now.', 409);
    await this.discardUploadsIfDone(row);
  }

  /** Deletes a message's uploads once no unsent row of its send needs them. */
  async discardUploadsIfDone(row: Model): Promise<void> {
    const uploads = ((row.get('uploads') as { id: string }[] | null) ?? []).map((u) => u.id);
    if (!uploads.length) return;
    const bulkId = row.get('bulkId') as string | null;
    if (bulkId) {
      const open = await this.repo.count({ filter: { userId: row.get('userId'), bulkId, status: { $ne: 'sent' }, id: { $ne: row.get('id') } } });
      if (open) return;
    }
    if (await this.usedByDraft(row.get('userId') as string, uploads)) return;
    await this.deps.uploads.discard(uploads);
  }

  private async usedByDraft(userId: string, uploads: string[]): Promise<boolean> {
    const drafts = await this.deps.db.getRepository('mailDrafts').find({ filter: { userId }, fields: ['uploads'] });
    return drafts.some((d: Model) => ((d.get('uploads') as string[] | null) ?? []).some((id) => uploads.includes(id)));
  }

  dto(rows: Model[], bulk: boolean): SendResponse {
    return { bulkId: bulk ? (rows[0]?.get('bulkId') as string) : null, items: rows.map(outboxDTO) };
  }
}
