// Reaching one account's mailbox at its provider on behalf of a reader, the way the sync engine
// does: a live access token from the token service, one refresh when the provider refuses a
// token we believed fresh (401), and errors turned into answers the client can act on. A
// revoked grant is found by that refresh (invalid_grant), which marks the account
// reauth_required exactly as during a sync; the reader then gets E_MAIL_REAUTH_REQUIRED.
import { MAIL_ERRORS } from '../../shared/mail';
import type { ProviderName } from '../../shared/types';
import { MailApiError } from '../errors';
import type { Log } from '../log';
import { AccessTokenError, type TokenService } from '../oauth/tokens';
import { safeReason } from '../oauth/redact';
import { AttachmentGoneError, type MailActions } from '../providers/mail-types';
import type { SyncSession } from '../providers/sync-types';
import type { MailProvider } from '../providers/types';
import { PROVIDER_LABEL, type ProviderSettings } from '../settings/store';
import type { AccountRef } from './scope';

export interface ProviderCallDeps {
  settings: ProviderSettings;
  tokens: TokenService;
  log: Log;
}

function tokenFailure(account: AccountRef, err: AccessTokenError): MailApiError {
  const label = PROVIDER_LABEL[account.provider];
  if (err.kind === 'reauth') return new MailApiError(MAIL_ERRORS.REAUTH_REQUIRED, `${label} no longer accepts the authorization of ${account.address}; its owner must reconnect it on the Mail accounts page.`, 409);
  if (err.kind === 'temporary') return new MailApiError(MAIL_ERRORS.PROVIDER_UNAVAILABLE, `${label} could not be reached (${err.message}); try again later.`, 502);
  return new MailApiError(MAIL_ERRORS.PROVIDER_REJECTED, `${label} refused the request: ${err.message}`, 502);
}

export class ProviderCalls {
  constructor(private readonly deps: ProviderCallDeps) {}

  private async adapter(account: AccountRef): Promise<{ adapter: MailProvider; secret: string }> {
    try {
      const ready = await this.deps.settings.ready(account.provider as ProviderName, { forLinking: false });
      return { adapter: ready.adapter, secret: ready.clientSecret };
    } catch (err) {
      throw new MailApiError(MAIL_ERRORS.PROVIDER_REJECTED, (err as Error).message, 502);
    }
  }

  /**
   * Runs `work` against the account's mailbox. Throws MailApiError: REAUTH_REQUIRED (409),
   * PROVIDER_UNAVAILABLE (502, temporary), PROVIDER_REJECTED (502), or NOT_FOUND (404) when the
   * provider no longer has what was asked for.
   */
  async run<T>(account: AccountRef, work: (mail: MailActions, session: SyncSession) => Promise<T>): Promise<T> {
    const { adapter, secret } = await this.adapter(account);
    const token = (rejected?: string) =>
      this.deps.tokens.getAccessToken(account.id, rejected ? { rejected } : {}).catch((err: unknown) => {
        throw err instanceof AccessTokenError ? tokenFailure(account, err) : err;
      });
    let accessToken = await token();
    for (let attempt = 0; ; attempt++) {
      try {
        return await work(adapter.mail, { accessToken, mailbox: account.address });
      } catch (err) {
        if (err instanceof MailApiError) throw err;
        if (err instanceof AttachmentGoneError) throw new MailApiError(MAIL_ERRORS.NOT_FOUND, `${PROVIDER_LABEL[account.provider]}: ${err.message}.`, 404);
        const kind = adapter.classifyError(err);
        // A 401 on a token we believed fresh: refresh it once (this is where a revoked grant shows).
        if (kind === 'reauth' && attempt === 0) {
          accessToken = await token(accessToken);
          continue;
        }
        const reason = safeReason(adapter, err, [secret, accessToken]);
        this.deps.log.warn('mail provider call failed', { provider: account.provider, accountId: account.id, kind, reason });
        const code = kind === 'temporary' ? MAIL_ERRORS.PROVIDER_UNAVAILABLE : MAIL_ERRORS.PROVIDER_REJECTED;
        throw Object.assign(new MailApiError(code, reason, 502), { kind });
      }
    }
  }
}
