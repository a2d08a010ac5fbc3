// Every Gmail call the sync adapter makes goes through here: find the mailbox the session belongs
// to, wait for its quota units, run the call without the library's own retries, and turn "slow
// down" answers into RateLimitedError (holding the mailbox's other calls back for as long).
import { createHash } from 'node:crypto';
import type { gmail_v1, MethodOptions } from '@googleapis/gmail';
import { ProviderFault } from '../errors';
import type { SyncSession } from '../sync-types';
import { GMAIL_COST, type GmailPacing } from './pacing';
import { rateLimitOf } from './throttle';

/**
 * The session as the engine may one day pass it: with a stable mailbox key (the account id or
 * address). Until the port has it, the adapter learns the address from getProfile, once per token.
 */
export type GmailSyncSession = SyncSession & { mailbox?: string };

export type GmailApiFactory = (accessToken: string) => gmail_v1.Gmail;

const KEY_CACHE_SIZE = 1000;

/** Access token → mailbox address. Keyed by a hash: the map keeps no tokens. */
const addressByToken = new Map<string, Promise<string>>();

function tokenKey(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('base64url');
}

function remember(key: string, address: Promise<string>) {
  if (addressByToken.size >= KEY_CACHE_SIZE) addressByToken.delete(addressByToken.keys().next().value as string);
  addressByToken.set(key, address);
}

export class GmailCalls {
  private lastToken?: string;
  private lastApi?: gmail_v1.Gmail;

  constructor(
    private readonly factory: GmailApiFactory,
    /** The Gmail API root, ending in '/'; the batch endpoint is `<root>batch/gmail/v1`. */
    readonly apiRoot: string,
    readonly pacing: GmailPacing,
  ) {}

  api(accessToken: string): gmail_v1.Gmail {
    if (accessToken !== this.lastToken || !this.lastApi) {
      this.lastApi = this.factory(accessToken);
      this.lastToken = accessToken;
    }
    return this.lastApi;
  }

  /** No library retries: they would spend quota behind the pacer's back and hide Retry-After from the engine. */
  options(session: SyncSession): MethodOptions {
    return { retry: false, signal: session.signal };
  }

  /** The pacing key of a session: its mailbox address. */
  async mailbox(session: GmailSyncSession): Promise<string> {
    if (session.mailbox) return session.mailbox;
    const key = tokenKey(session.accessToken);
    const known = addressByToken.get(key);
    if (known) return known;
    // Concurrent calls with a new token share one lookup.
    const lookup = this.lookup(session).then((profile) => profile.emailAddress as string);
    remember(key, lookup);
    lookup.catch(() => addressByToken.delete(key));
    return lookup;
  }

  /** getProfile: the mailbox address and its current historyId. */
  async profile(session: GmailSyncSession): Promise<gmail_v1.Schema$Profile> {
    const known = session.mailbox ?? (await addressByToken.get(tokenKey(session.accessToken))?.catch(() => undefined));
    if (known) return (await this.run(session, GMAIL_COST.getProfile, (api, options) => api.users.getProfile({ userId: 'me' }, options))).data;
    const profile = await this.lookup(session);
    remember(tokenKey(session.accessToken), Promise.resolve(profile.emailAddress as string));
    return profile;
  }

  /** getProfile before the mailbox is known: it cannot wait for units, so it pays for them afterwards. */
  private async lookup(session: SyncSession): Promise<gmail_v1.Schema$Profile> {
    let data: gmail_v1.Schema$Profile;
    try {
      ({ data } = await this.api(session.accessToken).users.getProfile({ userId: 'me' }, this.options(session)));
    } catch (err) {
      throw rateLimitOf(err) ?? err;
    }
    if (!data.emailAddress) throw new ProviderFault('Gmail answered a profile without an address', 'rejected');
    const address = data.emailAddress.toLowerCase();
    await this.pacing.acquire(address, GMAIL_COST.getProfile, session.signal);
    return { ...data, emailAddress: address };
  }

  /** Waits for `cost` units of the session's mailbox; returns the mailbox. */
  async acquire(session: GmailSyncSession, cost: number): Promise<string> {
    const mailbox = await this.mailbox(session);
    await this.pacing.acquire(mailbox, cost, session.signal);
    return mailbox;
  }

  /** A rate-limit answer as RateLimitedError, after holding the mailbox back; anything else unchanged. */
  fail(mailbox: string, err: unknown): unknown {
    const limited = rateLimitOf(err);
    if (!limited) return err;
    this.pacing.penalize(mailbox, limited.retryAfterMs);
    return limited;
  }

  /** One paced JSON call through the official client. */
  async run<T>(session: GmailSyncSession, cost: number, call: (api: gmail_v1.Gmail, options: MethodOptions) => Promise<T>): Promise<T> {
    const mailbox = await this.acquire(session, cost);
    try {
      return await call(this.api(session.accessToken), this.options(session));
    } catch (err) {
      throw this.fail(mailbox, err);
    }
  }
}
