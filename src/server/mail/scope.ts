// Whose mail a request may see. Everyone sees their own accounts' mail; a user holding one of
// the roles an admin listed in mailSettings.allMailRoles (root always does) may also open
// anyone's. Everything else answers 404 exactly like mail that does not exist, so an id tells
// a stranger nothing.
import type { Context } from '@nocobase/actions';
import type { Database, Model } from '@nocobase/database';
import { MAIL_ERRORS } from '../../shared/mail';
import type { ProviderName } from '../../shared/types';
import { parseId } from '../accounts/store';
import { MailApiError } from '../errors';
import type { MailSettings } from '../settings/mail-settings';
import { currentUserId } from '../actions/respond';

export interface Viewer {
  userId: string;
  /** Holds the all-mail grant. */
  allMail: boolean;
}

/** The few account columns reading mail needs (never the tokens). */
export interface AccountRef {
  id: string;
  userId: string;
  provider: ProviderName;
  address: string;
  displayName?: string;
  lastSyncAt?: Date | null;
}

const ACCOUNT_FIELDS = ['id', 'userId', 'provider', 'address', 'displayName', 'lastSyncAt'];

export function notFound(what: string): MailApiError {
  return new MailApiError(MAIL_ERRORS.NOT_FOUND, `There is no such ${what}.`, 404);
}

export function invalidQuery(message: string): MailApiError {
  return new MailApiError(MAIL_ERRORS.INVALID_QUERY, message, 400);
}

export async function viewerOf(ctx: Context, settings: MailSettings): Promise<Viewer> {
  const userId = String(currentUserId(ctx));
  const roles: string[] = ctx.state?.currentRoles || (ctx.state?.currentRole ? [ctx.state.currentRole] : []);
  return { userId, allMail: await settings.grantsAllMail(roles) };
}

function refOf(row: Model): AccountRef {
  return {
    id: String(row.get('id')),
    userId: String(row.get('userId')),
    provider: row.get('provider') as ProviderName,
    address: row.get('address') as string,
    displayName: (row.get('displayName') as string) || undefined,
    lastSyncAt: (row.get('lastSyncAt') as Date | null) ?? null,
  };
}

export const owns = (viewer: Viewer, account: AccountRef) => account.userId === viewer.userId;

export class MailScope {
  constructor(private readonly db: Database) {}

  /** The viewer's own accounts, oldest first. */
  async own(viewer: Viewer): Promise<AccountRef[]> {
    const rows = await this.db.getRepository('mailAccounts').find({ filter: { userId: viewer.userId }, fields: ACCOUNT_FIELDS, sort: ['createdAt', 'id'] });
    return rows.map(refOf);
  }

  /** Every account (all-mail grant only; the caller checks). */
  async all(): Promise<AccountRef[]> {
    const rows = await this.db.getRepository('mailAccounts').find({ fields: ACCOUNT_FIELDS, sort: ['id'] });
    return rows.map(refOf);
  }

  /** One account the viewer may read, or 404. */
  async account(viewer: Viewer, id: unknown): Promise<AccountRef> {
    const key = parseId(id);
    if (!key) throw notFound('mail account');
    const row = await this.db.getRepository('mailAccounts').findOne({ filter: viewer.allMail ? { id: key } : { id: key, userId: viewer.userId }, fields: ACCOUNT_FIELDS });
    if (!row) throw notFound('mail account');
    return refOf(row);
  }

  /** `accountId` given: that account (own, or anyone's with the grant); else the viewer's own. */
  async accounts(viewer: Viewer, accountId: unknown): Promise<AccountRef[]> {
    if (accountId === undefined || accountId === null || accountId === '') return this.own(viewer);
    return [await this.account(viewer, accountId)];
  }

  /** Accounts by id that the viewer may read; others are left out. */
  async byIds(viewer: Viewer, ids: Iterable<string>): Promise<Map<string, AccountRef>> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return new Map();
    const rows = await this.db.getRepository('mailAccounts').find({ filter: viewer.allMail ? { id: wanted } : { id: wanted, userId: viewer.userId }, fields: ACCOUNT_FIELDS });
    return new Map(rows.map((row: Model) => [String(row.get('id')), refOf(row)]));
  }
}
