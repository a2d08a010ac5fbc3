// One sync call's view of Graph: every request goes through the mailbox's pacer, asks for
// immutable ids, can be cancelled by the engine, and turns Graph's "slow down" answers into
// RateLimitedError. Everything else is thrown as the library's GraphError, which the
// adapter's classifyError understands.
import { createHash } from 'node:crypto';
import { GraphError, ResponseType, type Client, type GraphRequest } from '@microsoft/microsoft-graph-client';
import { RateLimitedError, type SyncSession } from '../sync-types';
import type { ProviderOptions } from '../../../shared/types';
import { GRAPH_VERSION, graphClient, graphRoot } from './graph-client';
import type { GraphPacer } from './pacing';

/**
 * Graph's default message ids change when a message moves to another folder; immutable ids
 * do not, so a move reaches the engine as the same remote id in a new folder.
 */
export const IMMUTABLE_IDS = 'IdType="ImmutableId"';
/** When a 429 comes without Retry-After (Graph always sends one; a proxy might not). */
export const DEFAULT_RETRY_AFTER_MS = 10_000;

/** Retry-After is delta-seconds or an HTTP date. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** 429, and 503 with Retry-After (Graph's "service busy, come back then"), are rate limits. */
export function rateLimit(status: number, retryAfter: string | null | undefined): RateLimitedError | undefined {
  const wait = retryAfterMs(retryAfter);
  if (status === 429) return new RateLimitedError(wait ?? DEFAULT_RETRY_AFTER_MS, 'Microsoft Graph asked to slow down (HTTP 429)');
  if (status === 503 && wait !== undefined) return new RateLimitedError(wait, 'Microsoft Graph is busy (HTTP 503)');
  return undefined;
}

/** A sub-response of a $batch as an error the rest of the adapter handles like a direct answer. */
export function graphErrorOf(status: number, body: unknown, headers: Record<string, string> = {}): Error {
  const limited = rateLimit(status, headerOf(headers, 'retry-after'));
  if (limited) return limited;
  const detail = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  const err = new GraphError(status, detail?.message || `HTTP ${status}`);
  err.code = detail?.code ?? null;
  return err;
}

export function headerOf(headers: Record<string, string> | undefined, name: string): string | undefined {
  const key = Object.keys(headers || {}).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : (headers as Record<string, string>)[key];
}

export function isGraphStatus(err: unknown, status: number): boolean {
  return err instanceof GraphError && err.statusCode === status;
}

/**
 * The pacing key. The port's session does not name the mailbox yet; an engine that passes
 * `mailbox` (its account id or address) gets exact per-mailbox pacing, otherwise the access
 * token stands for the mailbox (it changes hourly, which only ever makes pacing looser for
 * the first minutes after a refresh).
 */
export function mailboxKey(session: SyncSession): string {
  const named = (session as SyncSession & { mailbox?: string }).mailbox;
  if (named) return `mailbox:${named.toLowerCase()}`;
  return `token:${createHash('sha256').update(session.accessToken).digest('base64url').slice(0, 22)}`;
}

export class GraphSession {
  readonly mailbox: string;

  /** A session on the configured Graph root, without the client's own retries (the caller decides). */
  static open(options: ProviderOptions, pacer: GraphPacer, session: SyncSession): GraphSession {
    const root = graphRoot(options);
    return new GraphSession(graphClient(root, session.accessToken, false), pacer, root, session);
  }

  constructor(
    private readonly client: Client,
    private readonly pacer: GraphPacer,
    private readonly root: string,
    private readonly session: SyncSession,
  ) {
    this.mailbox = mailboxKey(session);
  }

  /** GET of a path (`/me/…`) or a link Graph returned; `prefer` joins the Prefer header. */
  get<T>(pathOrLink: string, prefer: string[] = []): Promise<T> {
    return this.send<T>(1, 1, () => this.client.api(pathOrLink).header('Prefer', [...prefer, IMMUTABLE_IDS].join(', ')), (r) => r.get());
  }

  /**
   * GET of a body to pass on as it arrives (`…/$value`): the fetch Response, its body unread.
   * A non-2xx answer is thrown as the GraphError a JSON call would throw.
   */
  async raw(path: string): Promise<Response> {
    const response = await this.send<Response>(1, 1, () => this.client.api(path).responseType(ResponseType.RAW), (r) => r.get());
    if (response.ok) return response;
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const body = await response.json().catch(() => undefined);
    throw graphErrorOf(response.status, body, headers);
  }

  /** A POST that counts for `cost` requests and may run `slots` of them at once (a $batch). */
  post<T>(path: string, body: unknown, cost: number, slots: number): Promise<T> {
    return this.send<T>(cost, slots, () => this.client.api(path), (r) => r.post(body));
  }

  /** A PATCH of one resource (one request). */
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>(1, 1, () => this.client.api(path), (r) => r.patch(body));
  }

  /** A POST of a text body as it is (sendMail takes MIME as base64 text/plain). */
  postText<T>(path: string, text: string): Promise<T> {
    return this.send<T>(1, 1, () => this.client.api(path).header('Content-Type', 'text/plain'), (r) => r.post(text));
  }

  /** A DELETE of one resource (one request). */
  delete(path: string): Promise<void> {
    return this.send<void>(1, 1, () => this.client.api(path), (r) => r.delete());
  }

  /** A link as stored in the cursor: relative to the Graph root, so a changed proxy or port keeps working. */
  relative(link: string): string {
    const prefix = `${this.root}/${GRAPH_VERSION}/`;
    return link.startsWith(prefix) ? link.slice(prefix.length - 1) : link;
  }

  private send<T>(cost: number, slots: number, build: () => GraphRequest, call: (request: GraphRequest) => Promise<T>): Promise<T> {
    const signal = this.session.signal;
    return this.pacer.run(
      this.mailbox,
      cost,
      async () => {
        const request = build();
        if (signal) request.option('signal', signal);
        try {
          return await call(request);
        } catch (err) {
          if (signal?.aborted) throw signal.reason;
          if (err instanceof GraphError) throw rateLimit(err.statusCode, err.headers?.get('retry-after')) ?? err;
          throw err;
        }
      },
      { slots, signal },
    );
  }
}
