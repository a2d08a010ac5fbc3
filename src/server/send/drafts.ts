// Drafts: what the composer saves as the user writes. Checked like a send, except that an
// unfinished draft may lack recipients or hold an address that is not valid yet.
import type { Database, Model } from '@nocobase/database';
import { MAIL_ERRORS, type MailAttachmentDTO } from '../../shared/mail';
import type { ComposeMode, DraftDTO, MailUploadDTO } from '../../shared/send';
import { parseId } from '../accounts/store';
import { MailApiError } from '../errors';
import { checkMessage, type SendLimits } from './request';
import type { Uploads } from './uploads';

const MAX_PAGE_SIZE = 200;
const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : new Date(value as string).toISOString());

export class Drafts {
  constructor(
    private readonly db: Database,
    private readonly uploads: Uploads,
    private readonly limits: () => SendLimits,
  ) {}

  private get repo() {
    return this.db.getRepository('mailDrafts');
  }

  private async dto(row: Model): Promise<DraftDTO> {
    const ids = (row.get('uploads') as string[] | null) ?? [];
    let uploadsInfo: MailUploadDTO[] = [];
    if (ids.length) {
      const found = await this.db.getRepository('mailUploads').find({ filter: { id: ids, userId: row.get('userId') } });
      uploadsInfo = found.map((u: Model) => ({ id: u.get('id') as string, filename: u.get('filename') as string, contentType: u.get('contentType') as string, size: Number(u.get('size')) }));
    }
    const forwarded = (row.get('forwarded') as { remoteId: string }[]) ?? [];
    return {
      id: row.get('id') as string,
      accountId: row.get('accountId') as string,
      mode: row.get('mode') as ComposeMode,
      sourceMessageId: (row.get('sourceMessageId') as string) ?? null,
      to: (row.get('to') as string[]) ?? [],
      cc: (row.get('cc') as string[]) ?? [],
      bcc: (row.get('bcc') as string[]) ?? [],
      subject: (row.get('subject') as string) ?? '',
      html: (row.get('html') as string) ?? undefined,
      text: (row.get('text') as string) ?? undefined,
      uploads: uploadsInfo.map((u) => u.id),
      uploadsInfo,
      forwarded,
      forwardedInfo: await this.forwardedInfo(row, forwarded),
      perRecipient: Boolean(row.get('perRecipient')),
      updatedAt: iso(row.get('updatedAt')),
    };
  }

  /** Names and sizes of a forward draft's files, from the original message (those still there). */
  private async forwardedInfo(row: Model, forwarded: { remoteId: string }[]): Promise<MailAttachmentDTO[]> {
    const sourceId = row.get('sourceMessageId') as string | null;
    if (!forwarded.length || !sourceId) return [];
    const source = await this.db.getRepository('mailMessages').findOne({ filter: { id: sourceId, accountId: row.get('accountId') as string }, fields: ['attachments'] });
    const stored = (source?.get('attachments') as MailAttachmentDTO[] | null) ?? [];
    return forwarded.map((f) => stored.find((a) => a.remoteId === f.remoteId)).filter((a): a is MailAttachmentDTO => Boolean(a));
  }

  async own(userId: string, id: unknown): Promise<Model> {
    const key = parseId(id);
    const row = key ? await this.repo.findOne({ filter: { id: key, userId } }) : null;
    if (!row) throw new MailApiError(MAIL_ERRORS.NOT_FOUND, 'There is no such draft.', 404);
    return row;
  }

  /** Creates the draft, or updates it when `values.id` is one of the user's drafts. */
  async save(userId: string, values: unknown): Promise<DraftDTO> {
    const m = await checkMessage(this.db, this.uploads, userId, values, this.limits(), false);
    const raw = values as Record<string, unknown>;
    const content = {
      userId,
      accountId: m.account.get('id'),
      mode: m.mode,
      sourceMessageId: m.source?.get('id') ?? null,
      // As typed: a draft keeps what the user wrote, valid or not yet.
      to: (raw.to as string[] | undefined) ?? [],
      cc: (raw.cc as string[] | undefined) ?? [],
      bcc: (raw.bcc as string[] | undefined) ?? [],
      subject: m.subject,
      html: m.html ?? null,
      text: m.text ?? null,
      uploads: m.uploads.map((u) => u.id),
      forwarded: m.forwarded.map((f) => ({ remoteId: f.remoteId })),
      perRecipient: m.perRecipient,
    };
    const key = parseId(raw.id);
    if (raw.id !== undefined && raw.id !== null && raw.id !== '' && !key) throw new MailApiError(MAIL_ERRORS.NOT_FOUND, 'There is no such draft.', 404);
    // An id that is gone (sending took the draft, then the send was refused and the composer
    // saved again) starts a new draft: what the user wrote is never dropped. Another user's id
    // is never touched: the update is scoped to the user's own rows.
    if (key) {
      const [count] = await this.db.getModel('mailDrafts').update(content, { where: { id: key, userId } });
      if (count) return this.dto(await this.own(userId, key));
    }
    return this.dto(await this.repo.create({ values: content }));
  }

  async get(userId: string, id: unknown): Promise<DraftDTO> {
    return this.dto(await this.own(userId, id));
  }

  async list(userId: string, params: { page?: unknown; pageSize?: unknown; accountId?: unknown }) {
    const page = Math.max(1, Number(params.page) || 1);
    const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Number(params.pageSize) || 50));
    const filter: Record<string, unknown> = { userId };
    const accountId = parseId(params.accountId);
    if (accountId) filter.accountId = accountId;
    const [rows, count] = await this.repo.findAndCount({ filter: filter as never, sort: ['-updatedAt', '-id'], offset: (page - 1) * pageSize, limit: pageSize });
    return { data: await Promise.all(rows.map((row: Model) => this.dto(row))), meta: { count, page, pageSize, totalPage: Math.ceil(count / pageSize) } };
  }

  async remove(userId: string, id: unknown): Promise<void> {
    const row = await this.own(userId, id);
    await this.repo.destroy({ filterByTk: row.get('id') as string });
  }
}
