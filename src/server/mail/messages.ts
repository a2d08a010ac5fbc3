// mailMessages:list, the rows of the "Email messages" block: NocoBase's own filter syntax (what
// a block's data scope produces), checked against a short list of fields and operators before
// it reaches the repository, then ANDed with the accounts the user may read. Participants and
// domains are stored lower-case and space-padded (" a@x.com b@y.org "): values are lower-cased
// here, and `$eq` means "is one of the participants", so a scope bound to a customer's email
// or company domain matches whatever case either side was typed in.
import type { Database } from '@nocobase/database';
import { MAIL_ERRORS, MESSAGE_FILTER_FIELDS, type MailMessageDTO } from '../../shared/mail';
import { MailApiError } from '../errors';
import type { Row } from '../sync/ingest-db';
import { toMessageDTO } from './dto';
import { pageOf, type Page, type PageParams } from './paging';
import { type MailScope, type Viewer } from './scope';

type Field = (typeof MESSAGE_FILTER_FIELDS)[number];
type Filter = Record<string, unknown>;

const TEXT_OPS = ['$eq', '$ne', '$includes', '$notIncludes', '$startsWith', '$endsWith', '$empty', '$notEmpty', '$in', '$notIn'];
const DATE_OPS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$dateOn', '$dateNotOn', '$dateBefore', '$dateAfter', '$dateNotBefore', '$dateNotAfter', '$dateBetween', '$empty', '$notEmpty'];
const BOOLEAN_OPS = ['$eq', '$ne', '$isTruly', '$isFalsy'];
const ID_OPS = ['$eq', '$ne', '$in', '$notIn'];
const OPERATORS: Record<Field, string[]> = {
  subject: TEXT_OPS,
  fromAddress: TEXT_OPS,
  participants: TEXT_OPS,
  participantDomains: TEXT_OPS,
  threadKey: TEXT_OPS,
  receivedAt: DATE_OPS,
  sentAt: DATE_OPS,
  read: BOOLEAN_OPS,
  starred: BOOLEAN_OPS,
  hasAttachments: BOOLEAN_OPS,
  accountId: ID_OPS,
};
/** Matched as lower-case whole entries of a space-padded list. */
const LIST_FIELDS = new Set<Field>(['participants', 'participantDomains']);
const SORTS = ['receivedAt', 'sentAt', 'subject'];
const MAX_DEPTH = 8;
const MAX_CONDITIONS = 100;

export interface MessageQuery extends PageParams {
  filter?: unknown;
  sort?: unknown;
  scope?: unknown;
}

function invalid(message: string): MailApiError {
  return new MailApiError(MAIL_ERRORS.INVALID_FILTER, `filter: ${message}`, 400);
}

const isPlain = (value: unknown): value is Filter => Boolean(value) && typeof value === 'object' && !Array.isArray(value);
const scalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

function lower(value: unknown): unknown {
  if (typeof value === 'string') return value.trim().toLowerCase();
  return Array.isArray(value) ? value.map(lower) : value;
}

/** One field's condition, checked and rewritten for list fields. */
function condition(field: Field, value: unknown): Filter {
  const ops = isPlain(value) ? value : { $eq: value };
  const out: Filter = {};
  for (const [op, operand] of Object.entries(ops)) {
    if (!OPERATORS[field].includes(op)) throw invalid(`${field} does not take ${op} (it takes ${OPERATORS[field].join(', ')})`);
    const ok = Array.isArray(operand) ? operand.length <= MAX_CONDITIONS && operand.every(scalar) : scalar(operand);
    if (!ok) throw invalid(`${field} ${op} takes a value or a list of values`);
    if (!LIST_FIELDS.has(field)) {
      out[op] = operand;
      continue;
    }
    const values = lower(operand);
    // " a@x.com " matches the whole entry only: "$eq: x.com" must not match "ax.com".
    const whole = (v: unknown) => (typeof v === 'string' ? ` ${v} ` : v);
    if (op === '$eq' || op === '$in') out.$includes = Array.isArray(values) ? values.map(whole) : whole(values);
    else if (op === '$ne' || op === '$notIn') out.$notIncludes = Array.isArray(values) ? values.map(whole) : whole(values);
    else out[op] = values;
  }
  return out;
}

/** The filter as the repository will get it, or a 400 saying what is wrong. */
export function checkFilter(raw: unknown): Filter | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  let filter = raw;
  if (typeof raw === 'string') {
    try {
      filter = JSON.parse(raw);
    } catch {
      throw invalid('not valid JSON');
    }
  }
  let conditions = 0;
  const walk = (node: unknown, depth: number): Filter => {
    if (!isPlain(node)) throw invalid('each condition is an object such as { "participants": { "$includes": "acme.com" } }');
    if (depth > MAX_DEPTH) throw invalid(`nested deeper than ${MAX_DEPTH} levels`);
    const out: Filter = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$and' || key === '$or') {
        if (!Array.isArray(value)) throw invalid(`${key} takes a list of conditions`);
        out[key] = value.map((child) => walk(child, depth + 1));
      } else if ((MESSAGE_FILTER_FIELDS as readonly string[]).includes(key)) {
        if (++conditions > MAX_CONDITIONS) throw invalid(`more than ${MAX_CONDITIONS} conditions`);
        out[key] = condition(key as Field, value);
      } else {
        throw invalid(`"${key.slice(0, 60)}" cannot be filtered on (use ${MESSAGE_FILTER_FIELDS.join(', ')})`);
      }
    }
    return out;
  };
  return walk(filter, 0);
}

export function checkSort(raw: unknown): string[] {
  if (raw === undefined || raw === null || raw === '') return ['-receivedAt', '-id'];
  const list = (Array.isArray(raw) ? raw : String(raw).split(',')).map((s) => String(s).trim()).filter(Boolean);
  for (const item of list) {
    if (!SORTS.includes(item.replace(/^-/, ''))) throw new MailApiError(MAIL_ERRORS.INVALID_QUERY, `sort: one of ${SORTS.join(', ')}, with - for descending`, 400);
  }
  return [...list, '-id'];
}

export class Messages {
  constructor(
    private readonly db: Database,
    private readonly scope: MailScope,
  ) {}

  async list(viewer: Viewer, query: MessageQuery): Promise<Page<MailMessageDTO>> {
    const paging = pageOf(query);
    const filter = checkFilter(query.filter);
    const sort = checkSort(query.sort);
    let accounts;
    if (query.scope === 'all') {
      if (!viewer.allMail) throw new MailApiError(MAIL_ERRORS.ALL_MAIL_FORBIDDEN, "Reading every user's mail needs a role an administrator granted it to.", 403);
      accounts = await this.scope.all();
    } else if (query.scope === undefined || query.scope === '' || query.scope === 'own') {
      accounts = await this.scope.own(viewer);
    } else {
      throw new MailApiError(MAIL_ERRORS.INVALID_QUERY, 'scope: own (the default) or all', 400);
    }
    if (!accounts.length) return { rows: [], count: 0, ...paging, totalPage: 0 };
    const scoped = { accountId: { $in: accounts.map((a) => a.id) } };
    const [rows, count] = await this.db.getRepository('mailMessages').findAndCount({
      filter: (filter ? { $and: [scoped, filter] } : scoped) as never,
      except: ['html', 'text', 'contentHash'],
      sort,
      offset: (paging.page - 1) * paging.pageSize,
      limit: paging.pageSize,
    });
    const dtos = rows.map((row: { toJSON(): Row }) => toMessageDTO(row.toJSON(), false));
    await this.withThreadIds(dtos);
    return { rows: dtos, count, ...paging, totalPage: Math.ceil(count / paging.pageSize) };
  }

  /** The conversation of each row (mailThreads id), so a row opens its thread view. One query per page. */
  private async withThreadIds(dtos: MailMessageDTO[]) {
    if (!dtos.length) return;
    const threads = await this.db.getRepository('mailThreads').find({
      filter: { accountId: { $in: [...new Set(dtos.map((d) => d.accountId))] }, threadKey: { $in: [...new Set(dtos.map((d) => d.threadKey))] } } as never,
      fields: ['id', 'accountId', 'threadKey'],
    });
    const byKey = new Map(threads.map((t: { get(k: string): unknown }) => [`${t.get('accountId')}\u0000${t.get('threadKey')}`, t.get('id') as number | string]));
    for (const dto of dtos) dto.threadId = (byKey.get(`${dto.accountId}\u0000${dto.threadKey}`) as number | string | undefined) ?? null;
  }
}
