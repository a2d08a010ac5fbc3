// The sync half of the provider port. The engine (src/server/sync/) owns the state machine
// (first sync → incremental → resync on an expired cursor) and the database; an adapter only
// answers "the next page" for the stage it is asked about, in the plugin's own words.
import type { FolderKind } from '../../shared/folders';

/** What a sync call needs: a live access token (the engine refreshes it before calling). */
export interface SyncSession {
  accessToken: string;
  /** The mailbox address: adapters pace per mailbox, whichever token is current. */
  mailbox?: string;
  /** Aborts a long call when the run is cancelled or its lease is lost. */
  signal?: AbortSignal;
}

export interface RemoteFolder {
  /** Gmail label id (INBOX, SENT, Label_3 …); Graph folder id. */
  remoteId: string;
  name: string;
  kind: FolderKind;
  parentRemoteId?: string;
}

export interface RemoteAddress {
  name?: string;
  address: string;
}

export interface RemoteAttachment {
  /** Enough to download it later through the provider (Gmail attachmentId, Graph attachment id). */
  remoteId: string;
  filename: string;
  contentType: string;
  size: number;
  inline: boolean;
  contentId?: string;
}

/** A message as the provider gives it, before the engine normalises and stores it. */
export interface RemoteMessage {
  remoteId: string;
  /** Gmail threadId, Graph conversationId. */
  threadKey: string;
  /** Remote folder/label ids the message is in (Gmail: labels minus UNREAD/STARRED/IMPORTANT/CATEGORY_*). */
  folderIds: string[];
  read: boolean;
  starred: boolean;
  /** When the mailbox received it (Gmail internalDate, Graph receivedDateTime). */
  receivedAt: Date;
  /**
   * The provider's word that the content is unchanged whenever this is (Gmail: a message never
   * changes once stored, only its labels do, so its id says it). The engine's fingerprint then
   * rests on it instead of hashing the message's every byte.
   */
  contentTag?: string;
  /** Either the whole MIME message (Gmail format=raw, for what format=full cannot say) … */
  raw?: Buffer;
  /** … or the fields the provider parsed for us (Gmail format=full, Graph with $select). One of the two is set. */
  parsed?: {
    messageId?: string;
    inReplyTo?: string;
    references?: string[];
    subject: string;
    from?: RemoteAddress;
    to: RemoteAddress[];
    cc: RemoteAddress[];
    bcc: RemoteAddress[];
    replyTo: RemoteAddress[];
    /**
     * Address headers as the provider wrote them (unfolded, encoded words perhaps left), for a
     * provider that does not split them (Gmail): the MIME parser does, in a worker thread. A
     * header given here stands instead of the matching field above.
     */
    addressHeaders?: Partial<Record<'from' | 'to' | 'cc' | 'bcc' | 'replyTo', string>>;
    sentAt?: Date;
    text?: string;
    html?: string;
    snippet?: string;
    attachments: RemoteAttachment[];
    /**
     * Set by a provider that lists attachments apart from the message (Graph): whether it has
     * any besides inline images, while `attachments` stays empty until the message is opened.
     */
    hasAttachments?: boolean;
    /** The message's size in bytes when the provider tells it (Gmail sizeEstimate). */
    size?: number;
  };
}

/**
 * A change to a message's flags or folders, without its content. It may name a message the
 * engine never stored (older than the first sync's `since`): the engine ignores those. Fields
 * that are set carry the complete new value (all of `folderIds`, not a difference).
 */
export interface RemoteFlagChange {
  remoteId: string;
  read?: boolean;
  starred?: boolean;
  folderIds?: string[];
}

/** Opaque, JSON-serialisable position of the adapter in the mailbox; the engine stores it. */
export type SyncCursor = Record<string, unknown>;

export interface SyncPage {
  /** Messages to insert or update (full content). */
  messages: RemoteMessage[];
  /** Ids whose content the engine must fetch with fetchMessages (Gmail lists ids first). */
  idsToFetch: string[];
  flagChanges: RemoteFlagChange[];
  /** Remote ids that are gone (deleted, or moved out of every synced folder). */
  deletions: string[];
  /** Store with this page, in the same transaction: where the next call continues. */
  cursor: SyncCursor;
  /** No more pages in this stage (first sync complete / no more changes right now). */
  done: boolean;
  /** First sync: the adapter's best estimate of the messages in scope, for progress. */
  estimatedTotal?: number;
}

/**
 * The provider says the cursor is too old (Gmail history 404, Graph delta 410). `folderRemoteId`
 * is set when only one folder's cursor expired (Graph delta is per folder): the engine then
 * resyncs that folder alone. `cursor` is what to store to start that resync.
 */
export class CursorExpiredError extends Error {
  readonly kind = 'cursor_expired';
  constructor(
    readonly folderRemoteId?: string,
    message = 'the sync cursor has expired',
    /** A first-sync cursor that resyncs just that folder (set with folderRemoteId). */
    readonly cursor?: SyncCursor,
  ) {
    super(message);
  }
}

/** The provider asks to slow down; the engine waits `retryAfterMs` (with jitter) before retrying. */
export class RateLimitedError extends Error {
  readonly kind = 'rate_limited';
  constructor(readonly retryAfterMs: number, message = 'rate limited by the provider') {
    super(message);
  }
}

export interface FirstSyncOptions {
  /** Only mail received on or after this date; undefined = everything. */
  since?: Date;
  /** Messages per page (the adapter may cap it to the provider's limit). */
  pageSize?: number;
}

/**
 * Sync methods of a provider adapter. Every method is restartable from a stored cursor:
 * killing the process between two calls loses nothing and repeats nothing that matters
 * (the engine upserts by remote id).
 */
export interface MailSync {
  listFolders(session: SyncSession): Promise<RemoteFolder[]>;
  /**
   * First sync, newest first. `cursor` is undefined on the first call, then the cursor of the
   * previous page. The last page's cursor (done: true) is the starting point of incremental sync.
   * The engine passes the same `since` for every page of one first sync (or resync).
   */
  firstSyncPage(session: SyncSession, cursor: SyncCursor | undefined, options: FirstSyncOptions): Promise<SyncPage>;
  /** Changes since `cursor` (a done first-sync cursor or a previous incremental one). Throws CursorExpiredError. */
  changesPage(session: SyncSession, cursor: SyncCursor): Promise<SyncPage>;
  /**
   * Full content for ids listed by a page; may batch (Gmail batch of ≤100, Graph $batch of ≤20).
   * Missing ids are omitted. An adapter that fetches in batches may hand each batch's messages to
   * `onBatch` as it arrives (the same objects it then returns), so that the engine can start
   * parsing them while the rest are on their way; it need not.
   */
  fetchMessages(session: SyncSession, remoteIds: string[], onBatch?: (messages: RemoteMessage[]) => void): Promise<RemoteMessage[]>;
}

/**
 * Division of labour on limits: the adapter paces its own requests under the provider's
 * published limits (it knows the costs: Gmail quota units per method, Graph requests and
 * concurrency), per mailbox, and turns 429/403-rate answers into RateLimitedError with the
 * provider's Retry-After. The engine retries with backoff and jitter, refreshes the token once
 * on 401, and stops the account on a 'reauth' error.
 */
export interface SyncPacing {
  /** Waits until a call of `cost` may start for this mailbox. */
  acquire(mailbox: string, cost: number): Promise<void>;
}
