// The contract between the sandbox core (store, http, tokens, faults, counters) and the
// provider emulators in google/ and microsoft/. Providers know these interfaces only.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type ProviderName = 'google' | 'microsoft';

/** A seeded user: one mailbox at one provider. */
export interface SandboxUser {
  email: string;
  name: string;
  provider: ProviderName;
  /** Stable opaque id (Google `sub`, Microsoft object id). */
  id: string;
  /** Microsoft only: the tenant id the user belongs to. */
  tenantId?: string;
}

export interface Address {
  name?: string;
  address: string;
}

export interface AttachmentContent {
  filename: string;
  contentType: string;
  content: Buffer;
  /** Set for inline images referenced from the HTML as cid:… */
  cid?: string;
  inline?: boolean;
}

/** A message's content, structured. The raw MIME is built from (or parsed into) this. */
export interface MessageContent {
  messageId: string; // RFC 5322 Message-ID with angle brackets
  inReplyTo?: string;
  references?: string[];
  subject: string;
  from: Address;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  replyTo?: Address[];
  date: Date;
  text?: string;
  html?: string;
  attachments: AttachmentContent[];
}

/** Folder kinds map onto Gmail system labels and Graph well-known folder names. */
export type FolderKind = 'inbox' | 'sent' | 'drafts' | 'spam' | 'trash' | 'archive' | 'custom';

export interface Folder {
  /** Gmail: the label id (INBOX, SENT, DRAFT, SPAM, TRASH, Label_3; 'archive' = no system label, not a Gmail label); Graph: the folder id. */
  id: string;
  name: string;
  kind: FolderKind;
  /** Graph well-known name (inbox, sentitems, drafts, junkemail, deleteditems, archive). */
  wellKnownName?: string;
  parentId?: string;
}

/** A message's mutable state. Content is produced on demand, never kept for seeded messages. */
export interface MessageState {
  id: string;
  threadId: string;
  /** The one folder the message lives in (Gmail: its system label, or 'archive' when none). */
  folderId: string;
  /** Gmail user labels (Label_…) besides the folder; Outlook categories in Microsoft mailboxes. */
  labels: string[];
  read: boolean;
  starred: boolean;
  /** Receive time, epoch ms (Gmail internalDate, Graph receivedDateTime). */
  date: number;
  /** Approximate size of the raw message in bytes. */
  size: number;
  hasAttachments: boolean;
  /** Sequence number of the last change to this message (see Change). */
  seq: number;
  /** Short plain-text preview (Gmail snippet, Graph bodyPreview); available without building content. */
  snippet: string;
  subject: string;
  from: Address;
}

export type ChangeType = 'added' | 'deleted' | 'updated';

/** One entry of a mailbox's change log; `seq` is the Gmail historyId. */
export interface Change {
  seq: number;
  type: ChangeType;
  messageId: string;
  threadId: string;
  /** Folder before and after the change (the same when only flags changed). */
  folderBefore?: string;
  folderAfter?: string;
  /** Gmail label ids added/removed by the change (UNREAD, STARRED, INBOX, Label_…). */
  labelsAdded?: string[];
  labelsRemoved?: string[];
}

export interface ListQuery {
  folderIds?: string[];
  /** Gmail label ids that must all be present (system or user labels, UNREAD, STARRED). */
  labelIds?: string[];
  includeSpamTrash?: boolean;
  /** Epoch ms bounds on `date`: after is exclusive of earlier, before exclusive. */
  after?: number;
  before?: number;
  /** Restrict to these thread ids. */
  threadId?: string;
}

export class HistoryExpiredError extends Error {
  constructor(readonly seq: number) {
    super(`changes before ${seq} are no longer retained`);
  }
}

export interface Mailbox {
  readonly user: SandboxUser;
  readonly folders: Folder[];
  /** Current change sequence (Gmail historyId); increases with every change. */
  readonly seq: number;
  /** Smallest `since` that changesSince still accepts; expireHistory() raises it to `seq`. */
  readonly retainedFrom: number;
  count(): number;
  /** Newest first. Cheap: reads state only. */
  list(query?: ListQuery): MessageState[];
  get(id: string): MessageState | undefined;
  thread(threadId: string): MessageState[];
  /** Gmail label ids of a message: folder label, user labels, UNREAD, STARRED, CATEGORY_… */
  gmailLabels(message: MessageState): string[];
  content(id: string): Promise<MessageContent>;
  raw(id: string): Promise<Buffer>;
  /** The raw message's header block (up to the first empty line): what internetMessageHeaders and format=metadata read. */
  rawHeaders(id: string): Promise<Buffer>;
  /** Changes with seq > since, oldest first. Throws HistoryExpiredError when since < retainedFrom. */
  changesSince(since: number): Change[];
  /** Adds a message (delivered, sent, imported). Returns its state. */
  insert(input: { raw: Buffer; folderId: string; read?: boolean; threadId?: string; labels?: string[]; date?: number }): Promise<MessageState>;
  /**
   * Replaces a message's bytes (a draft being edited: attachments added or removed), keeping its id,
   * thread, folder and flags; records one change. Returns undefined when the id is unknown.
   */
  replaceRaw(id: string, raw: Buffer): Promise<MessageState | undefined>;
  /** Changes folder/flags/labels; records one change. Returns undefined when the id is unknown. */
  modify(id: string, change: { folderId?: string; read?: boolean; starred?: boolean; addLabels?: string[]; removeLabels?: string[] }): MessageState | undefined;
  /** Removes a message for good. */
  remove(id: string): boolean;
  /** Forgets all changes so far: older history ids / delta links expire (404 / 410). */
  expireHistory(): void;
  /** Creates a user folder/label. */
  addFolder(input: { name: string; parentId?: string }): Folder;
}

/** Routing */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Path without query string. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Whole request body (read once, cached). */
  body(): Promise<Buffer>;
  /** Body parsed as JSON ({} when empty), or as a form when urlencoded. */
  // Request bodies are whatever the client sent; handlers validate what they read.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json<T = any>(): Promise<T>;
  form(): Promise<URLSearchParams>;
  /** Bearer token from the Authorization header, if any. */
  bearer(): string | undefined;
  send(status: number, body?: string | Buffer, headers?: Record<string, string>): void;
  sendJson(status: number, body: unknown, headers?: Record<string, string>): void;
  redirect(location: string): void;
  /** Set by provider auth middleware. */
  user?: SandboxUser;
  /** Name used for counters and quota, e.g. 'gmail.users.messages.get'. */
  operation?: string;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;

export interface Router {
  /** `pattern` uses :name for one segment and * for the rest, e.g. '/gmail/v1/users/:userId/messages/:id'. */
  on(method: string, pattern: string, handler: Handler): void;
  /** Runs before every route of this router (auth, quota, faults); call next() to go on. */
  use(middleware: (ctx: RequestContext, next: () => Promise<void>) => Promise<void>): void;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Dispatches an in-memory request (used by batch endpoints); resolves with the response. */
  dispatch(request: { method: string; url: string; headers: Record<string, string>; body?: Buffer }): Promise<{ status: number; headers: Record<string, string>; body: Buffer }>;
}

/** OAuth grants shared by both identity emulators. */
export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  user: SandboxUser;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  nonce?: string;
  expiresAt: number;
}

export interface AccessGrant {
  accessToken: string;
  refreshToken: string;
  expiresIn: number; // seconds
  scopes: string[];
  user: SandboxUser;
}

export interface TokenStore {
  /** Access-token lifetime in seconds (default 3600). */
  accessTokenTtl: number;
  createCode(input: Omit<AuthorizationCode, 'code' | 'expiresAt'>): AuthorizationCode;
  /** Single use: the code is gone after the first call. */
  takeCode(code: string): AuthorizationCode | undefined;
  issue(provider: ProviderName, clientId: string, user: SandboxUser, scopes: string[]): AccessGrant;
  /** A new access token for a live refresh token; undefined when unknown or revoked. */
  refresh(provider: ProviderName, clientId: string, refreshToken: string): AccessGrant | undefined;
  /** The user and scopes of a live access token; undefined when unknown, expired or revoked. */
  verify(accessToken: string): { user: SandboxUser; scopes: string[]; clientId: string } | undefined;
  /** Revokes a token (access or refresh) and everything of its grant. */
  revoke(token: string): boolean;
  /** Revokes every grant of a user (consent withdrawn, password changed). */
  revokeUser(email: string): number;
  /** Makes every live access token expired now (refresh tokens stay valid). */
  expireAccessTokens(): number;
}

export interface OAuthClient {
  provider: ProviderName;
  clientId: string;
  clientSecret: string;
  /** Empty: any redirect URI is accepted. */
  redirectUris: string[];
}

/** Fault injection */
export interface FaultRule {
  id?: string;
  provider?: ProviderName;
  /** Operation name (exact) or a path regular expression (source string). */
  operation?: string;
  path?: string;
  method?: string;
  user?: string;
  /** 0..1, default 1. */
  probability?: number;
  /** How many times it fires before it is used up (default: unlimited). */
  times?: number;
  /** Matching requests it lets through before it starts firing (default 0). */
  after?: number;
  latencyMs?: number;
  status?: number;
  /** JSON body to answer with; a provider-shaped default is used when omitted. */
  body?: unknown;
  retryAfter?: number;
  /** Destroy the socket without answering. */
  drop?: boolean;
}

export interface Counters {
  requests: Record<string, number>; // by operation
  quotaUnits: Record<string, number>; // by user email (Google units, Graph requests)
  rateLimited: Record<string, number>; // 429/403 answers by operation
  faults: number;
}

/** Everything shared by the emulators. */
export interface SandboxState {
  seed: number;
  users: SandboxUser[];
  mailbox(email: string): Mailbox | undefined;
  findUser(email: string): SandboxUser | undefined;
  tokens: TokenStore;
  clients: OAuthClient[];
  faults: { add(rule: FaultRule): FaultRule; clear(): void; list(): FaultRule[] };
  counters: Counters & { reset(): void; count(operation: string): void; limited(operation: string): void; units(user: string, n: number): void };
  quota: { google: boolean; microsoft: boolean };
  /** Extra latency for every request, ms. */
  latencyMs: number;
}
