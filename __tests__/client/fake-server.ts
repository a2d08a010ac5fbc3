// Stands in for the plugin's HTTP API as shared/types.ts describes it, behind the real
// @nocobase/sdk APIClient (what the host's APIClient extends). Only the transport is fake:
// requests go through axios and its interceptors, answers come back as NocoBase shapes them
// (`{ data }`, or a 4xx with `{ errors: [{ code, message, field? }] }`).
import { APIClient } from '@nocobase/sdk';
import { AxiosError, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import type { MailAddress, MailAttachmentDTO, MailFolderDTO, MailMessageDTO, MailThreadDTO, SetReadRequest } from '../../src/shared/mail';
import type {
  LinkErrorCode,
  MailAccountDTO,
  MailProviderDTO,
  MailProviderUpdate,
  MailSettingsDTO,
  ProviderName,
} from '../../src/shared/types';

export interface Call {
  action: string;
  method: string;
  params: Record<string, unknown>;
  data: Record<string, unknown> | undefined;
}

interface Reply {
  status?: number;
  body: unknown;
}

type Handler = (call: Call) => Reply | Promise<Reply>;

export const ok = (data: unknown): Reply => ({ body: { data } });
export const fail = (status: number, code: string, message: string, field?: string): Reply => ({
  status,
  body: { errors: [{ code, message, ...(field ? { field } : {}) }] },
});

export function provider(name: ProviderName, values: Partial<MailProviderDTO> = {}): MailProviderDTO {
  return { name, enabled: false, clientId: '', clientSecretSet: false, options: {}, ...values };
}

let nextId = 1;
export function account(values: Partial<MailAccountDTO> = {}): MailAccountDTO {
  const id = nextId++;
  return {
    id,
    provider: 'google',
    address: `user${id}@example.com`,
    displayName: `User ${id}`,
    status: 'active',
    lastSyncAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    lastError: null,
    createdAt: new Date().toISOString(),
    ...values,
  };
}

let nextMailId = 1;

/** A folder of an account; system kinds use their kind in upper case as the remote id, like Gmail. */
export function folder(accountId: MailAccountDTO['id'], values: Partial<MailFolderDTO> & Pick<MailFolderDTO, 'kind'>): MailFolderDTO {
  return { accountId, remoteId: values.kind.toUpperCase(), name: values.kind, parentRemoteId: null, unreadCount: 0, ...values };
}

/** A message; `thread()` builds a conversation of several. */
export function mailMessage(values: Partial<MailMessageDTO> & Pick<MailMessageDTO, 'accountId' | 'threadKey'>): MailMessageDTO {
  const id = nextMailId++;
  return {
    id,
    remoteId: `m${id}`,
    messageId: `<m${id}@example.com>`,
    inReplyTo: null,
    references: [],
    subject: `Subject ${id}`,
    from: { name: 'Ann Example', address: 'ann@example.com' },
    to: [{ name: 'Me', address: 'me@example.com' }],
    cc: [],
    bcc: [],
    replyTo: [],
    sentAt: new Date(Date.UTC(2026, 0, 10, 9, 0) + id * 60_000).toISOString(),
    receivedAt: new Date(Date.UTC(2026, 0, 10, 9, 0) + id * 60_000).toISOString(),
    snippet: `Snippet of message ${id}`,
    text: `Text of message ${id}`,
    html: null,
    hasRemoteImages: false,
    read: true,
    starred: false,
    folderIds: ['INBOX'],
    attachments: [],
    malformed: false,
    parseError: null,
    ...values,
  };
}

export function attachment(values: Partial<MailAttachmentDTO> = {}): MailAttachmentDTO {
  return { remoteId: `att-${nextMailId++}`, filename: 'report.pdf', contentType: 'application/pdf', size: 245_760, inline: false, ...values };
}

export class FakeMailServer {
  /** The mailbox behind mailFolders:list, mailThreads:*, mailMessages:* and mailAccounts:unread. */
  folders: MailFolderDTO[] = [];
  messages: MailMessageDTO[] = [];
  /** Attachment bytes by remote id, for mailMessages:attachment. */
  files = new Map<string, string>();

  providers: MailProviderDTO[] = [provider('google'), provider('microsoft')];
  linkable: ProviderName[] = [];
  settings: MailSettingsDTO = { syncIntervalMinutes: 5, allMailRoles: [] };
  accounts: MailAccountDTO[] = [];
  /** The provider's answer on the callback page, for the default `mailAccounts:callback`. */
  linkedAddress = 'user@example.com';
  readonly calls: Call[] = [];
  readonly api: APIClient;
  private handlers = new Map<string, Handler>();

  constructor() {
    this.api = new APIClient({ baseURL: '/api/', storageType: 'memory', adapter: (config) => this.transport(config) });
  }

  /** Answers `action` differently from the contract's happy path. */
  on(action: string, handler: Handler) {
    this.handlers.set(action, handler);
    return this;
  }

  callsTo(action: string) {
    return this.calls.filter((call) => call.action === action);
  }

  private async transport(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
    // A URL may carry its own query (the server's attachment URLs do), as axios sends it.
    const [path, query = ''] = String(config.url).split('?');
    const call: Call = {
      action: path.replace(/^\/?(api\/)?/, ''),
      method: String(config.method),
      params: { ...Object.fromEntries(new URLSearchParams(query)), ...(config.params ?? {}) },
      data: typeof config.data === 'string' && config.data ? JSON.parse(config.data) : config.data,
    };
    this.calls.push(call);
    const reply = await (this.handlers.get(call.action) ?? ((c: Call) => this.contract(c)))(call);
    const response: AxiosResponse = {
      data: reply.body,
      status: reply.status ?? 200,
      statusText: '',
      headers: {},
      config,
      request: {},
    };
    if (response.status >= 400) {
      throw new AxiosError(`Request failed with status code ${response.status}`, AxiosError.ERR_BAD_REQUEST, config, {}, response);
    }
    return response;
  }

  /** Adds a conversation of `count` messages (the last `unread` of them unread); returns its thread id. */
  addThread(accountId: MailAccountDTO['id'], values: Partial<MailMessageDTO> & { count?: number; unread?: number } = {}) {
    const { count = 1, unread = 0, ...rest } = values;
    const threadKey = `t${nextMailId++}`;
    const added: MailMessageDTO[] = [];
    for (let i = 0; i < count; i++) {
      added.push(mailMessage({ accountId, threadKey, subject: rest.subject ?? `Thread ${threadKey}`, ...rest, read: i < count - unread }));
    }
    this.messages.push(...added);
    return threadKey;
  }

  /** The threads table, as the server keeps it current on ingest. */
  threads(): MailThreadDTO[] {
    const byKey = new Map<string, MailMessageDTO[]>();
    for (const message of this.messages) {
      const key = `${message.accountId}:${message.threadKey}`;
      byKey.set(key, [...(byKey.get(key) ?? []), message]);
    }
    return [...byKey.values()].map((messages) => {
      const sorted = [...messages].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
      const last = sorted[sorted.length - 1];
      const participants: MailAddress[] = [];
      for (const m of sorted) for (const a of [m.from, ...m.to, ...m.cc]) if (a && !participants.some((p) => p.address === a.address)) participants.push(a);
      return {
        id: `${last.accountId}:${last.threadKey}`,
        accountId: last.accountId,
        threadKey: last.threadKey,
        subject: sorted[0].subject,
        snippet: last.snippet,
        lastMessageAt: last.receivedAt,
        messageCount: sorted.length,
        unreadCount: sorted.filter((m) => !m.read).length,
        hasAttachments: sorted.some((m) => m.attachments.some((a) => !a.inline)),
        starred: sorted.some((m) => m.starred),
        participants: participants.slice(0, 10),
        folderIds: [...new Set(sorted.flatMap((m) => m.folderIds))],
      };
    });
  }

  private folderIdsOf(kind: string, accountId?: unknown) {
    return this.folders.filter((f) => f.kind === kind && (accountId === undefined || String(f.accountId) === String(accountId))).map((f) => `${f.accountId}:${f.remoteId}`);
  }

  private inFolder(thread: MailThreadDTO, folderParam: unknown, accountId: unknown) {
    const ids = thread.folderIds.map((id) => `${thread.accountId}:${id}`);
    if (folderParam === undefined) return !ids.some((id) => [...this.folderIdsOf('spam'), ...this.folderIdsOf('trash')].includes(id));
    const kind = String(folderParam);
    if (['inbox', 'sent', 'drafts', 'starred', 'archive', 'spam', 'trash'].includes(kind)) return ids.some((id) => this.folderIdsOf(kind, accountId).includes(id));
    return accountId !== undefined && ids.includes(`${accountId}:${kind}`);
  }

  private listThreads(params: Record<string, unknown>): Reply {
    const page = Number(params.page ?? 1);
    const pageSize = Math.min(200, Number(params.pageSize ?? 50));
    const q = typeof params.q === 'string' ? params.q.toLowerCase() : '';
    const all = this.threads()
      .filter((th) => params.accountId === undefined || String(th.accountId) === String(params.accountId))
      .filter((th) => this.inFolder(th, params.folder, params.accountId))
      .filter((th) => !q || [th.subject, th.snippet, ...th.participants.flatMap((p) => [p.name ?? '', p.address])].some((v) => v.toLowerCase().includes(q)))
      .sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt));
    return { body: { data: all.slice((page - 1) * pageSize, page * pageSize), meta: { count: all.length, page, pageSize, totalPage: Math.ceil(all.length / pageSize) } } };
  }

  private listFolders(params: Record<string, unknown>): Reply {
    const threads = this.threads();
    return ok(
      this.folders
        .filter((f) => params.accountId === undefined || String(f.accountId) === String(params.accountId))
        .map((f) => ({
          ...f,
          unreadCount: threads.filter((th) => String(th.accountId) === String(f.accountId) && th.unreadCount > 0 && (th.folderIds.includes(f.remoteId) || (f.kind === 'starred' && th.starred))).length,
        })),
    );
  }

  private setRead({ messageIds = [], threadIds = [], read }: SetReadRequest): Reply {
    let updated = 0;
    for (const message of this.messages) {
      const hit = messageIds.map(String).includes(String(message.id)) || threadIds.map(String).includes(`${message.accountId}:${message.threadKey}`);
      if (hit && message.read !== read) {
        message.read = read;
        updated += 1;
      }
    }
    return ok({ updated });
  }

  private unread(): Reply {
    const inboxes = new Set(this.folderIdsOf('inbox'));
    const unread = this.threads().filter((th) => th.unreadCount > 0 && th.folderIds.some((id) => inboxes.has(`${th.accountId}:${id}`)));
    const lastSyncAt = this.accounts.map((a) => a.lastSyncAt ?? '').sort().pop() || null;
    return ok({ total: unread.length, accounts: this.accounts.map((a) => ({ id: a.id, unread: unread.filter((th) => String(th.accountId) === String(a.id)).length })), lastSyncAt });
  }

  private contract(call: Call): Reply {
    const filterByTk = call.params.filterByTk;
    switch (call.action) {
      case 'mailFolders:list':
        return this.listFolders(call.params);
      case 'mailThreads:list':
        return this.listThreads(call.params);
      case 'mailThreads:get': {
        const thread = this.threads().find((th) => String(th.id) === String(filterByTk));
        const owner = thread && this.accounts.find((a) => String(a.id) === String(thread.accountId));
        if (!thread || !owner) return fail(404, 'E_NOT_FOUND', 'No such conversation');
        const messages = this.messages.filter((m) => String(m.accountId) === String(thread.accountId) && m.threadKey === thread.threadKey).sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
        return ok({ thread, account: { id: owner.id, provider: owner.provider, address: owner.address, displayName: owner.displayName }, messages: messages.map((m) => ({ ...m })) });
      }
      case 'mailMessages:setRead':
        return this.setRead((call.data ?? {}) as unknown as SetReadRequest);
      case 'mailMessages:attachment': {
        const bytes = this.files.get(String(call.params.attachmentId));
        if (bytes === undefined) return fail(404, 'E_NOT_FOUND', 'No such attachment');
        return { body: new Blob([bytes], { type: 'application/octet-stream' }) };
      }
      case 'mailAccounts:unread':
        return this.unread();
      case 'mailProviders:list':
        return ok(this.providers);
      case 'mailProviders:update':
        return this.updateProvider(filterByTk as ProviderName, (call.data ?? {}) as MailProviderUpdate);
      case 'mailSettings:get':
        return ok(this.settings);
      case 'mailSettings:save': {
        const minutes = call.data?.syncIntervalMinutes;
        if (minutes !== undefined && (typeof minutes !== 'number' || minutes < 1 || minutes > 1440)) return fail(400, 'E_INVALID_SETTINGS', 'syncIntervalMinutes: a whole number of minutes from 1 to 1440', 'syncIntervalMinutes');
        const roles = call.data?.allMailRoles as string[] | undefined;
        this.settings = { ...this.settings, ...(minutes !== undefined ? { syncIntervalMinutes: minutes as number } : {}), ...(roles ? { allMailRoles: roles } : {}) };
        return ok(this.settings);
      }
      case 'mailAccounts:providers':
        return ok(this.linkable.map((name) => ({ name })));
      case 'mailAccounts:list':
        return ok(this.accounts);
      case 'mailAccounts:authorize': {
        const name = call.data?.provider as ProviderName;
        if (!this.linkable.includes(name)) return fail(400, 'E_PROVIDER_DISABLED' satisfies LinkErrorCode, `${name} is not enabled`);
        return ok({ url: `https://consent.example/${name}?state=opaque` });
      }
      case 'mailAccounts:destroy': {
        const before = this.accounts.length;
        this.accounts = this.accounts.filter((a) => String(a.id) !== String(filterByTk));
        return before === this.accounts.length ? fail(404, 'E_ACCOUNT_NOT_FOUND', 'No such account') : ok(1);
      }
      case 'mailAccounts:sync':
        return this.accounts.some((a) => String(a.id) === String(filterByTk)) ? ok({ started: true }) : fail(404, 'E_ACCOUNT_NOT_FOUND', 'No such account');
      case 'mailAccounts:callback':
        if (call.data?.error) return fail(400, 'E_CONSENT_DENIED', `The provider answered ${call.data.error}`);
        return ok({ account: account({ address: this.linkedAddress }), created: true });
      default:
        return fail(404, 'E_NOT_FOUND', `No action ${call.action}`);
    }
  }

  private updateProvider(name: ProviderName, values: MailProviderUpdate): Reply {
    const stored = this.providers.find((p) => p.name === name);
    if (!stored) return fail(404, 'E_PROVIDER_NOT_FOUND', `Unknown provider ${name}`);
    const next: MailProviderDTO = {
      ...stored,
      ...(values.enabled !== undefined ? { enabled: values.enabled } : {}),
      ...(values.clientId !== undefined ? { clientId: values.clientId } : {}),
      clientSecretSet: stored.clientSecretSet || !!values.clientSecret,
      options: values.options ?? stored.options,
      updatedAt: new Date().toISOString(),
    };
    if (next.enabled && !next.clientId) return fail(400, 'E_INVALID_SETTINGS', 'clientId: is required to enable the provider', 'clientId');
    this.providers = this.providers.map((p) => (p.name === name ? next : p));
    return ok(next);
  }
}
