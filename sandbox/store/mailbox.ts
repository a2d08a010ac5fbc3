// One user's mailbox: message state in memory, content rebuilt on demand (seeded) or kept
// (delivered live), and a change log whose sequence is the Gmail historyId and the position
// inside Graph delta tokens.
import type { Change, Folder, ListQuery, Mailbox, MessageContent, MessageState, SandboxUser } from '../core/types';
import { HistoryExpiredError } from '../core/types';
import { CONTACTS, LABEL_NAMES } from './corpus';
import { folderFor, initialFolders } from './folders';
import { generateContent, gmailId, graphId, planMailbox, type PlannedMessage } from './generate';
import { buildRaw, parseRaw } from './mime';
import { shortHash } from './prng';

const FIRST_SEQ = 100000;
const RAW_CACHE_SIZE = 256;

type SeededContent = ReturnType<typeof generateContent>;

interface Entry {
  state: MessageState;
  /** Seeded messages: index into the plan. */
  index: number;
  /** Live messages: their bytes and parsed content. */
  raw?: Buffer;
  content?: MessageContent;
  messageId: string;
}

/** Where the header block ends, its closing empty line (CRLF or bare LF) included; else the whole message. */
function headerEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return crlf + 4;
  return lf >= 0 ? lf + 2 : raw.length;
}

function snippetOf(content: MessageContent) {
  return (content.text || '').replace(/\s+/g, ' ').trim().slice(0, 120);
}

export class SandboxMailbox implements Mailbox {
  readonly folders: Folder[];
  seq: number;
  retainedFrom = 0;
  private readonly plans: PlannedMessage[];
  private readonly entries = new Map<string, Entry>();
  /** Ids newest first. */
  private order: string[] = [];
  private readonly byMessageId = new Map<string, string>();
  private changes: Change[] = [];
  private readonly rawCache = new Map<string, Buffer>();
  /** Seeded contents kept after prebuild(); otherwise each is generated again on every read. */
  private readonly contentCache = new Map<string, SeededContent>();
  /** Set by prebuild(): every seeded message stays built. */
  private keepAll = false;
  private liveCount = 0;

  constructor(readonly user: SandboxUser, private readonly seed: number, size: number, anchor: number) {
    this.folders = initialFolders(user);
    this.plans = planMailbox(seed, user, size, anchor);
    for (const plan of this.plans) {
      const folder = folderFor(this.folders, plan.folder, plan.label);
      const gmailLabel = user.provider === 'google' && plan.label >= 0 ? [`Label_${plan.label + 1}`] : [];
      const state: MessageState = {
        id: plan.id,
        threadId: plan.threadId,
        folderId: folder.id,
        labels: gmailLabel,
        read: plan.read,
        starred: plan.starred,
        date: plan.date,
        size: plan.size,
        hasAttachments: plan.attachments > 0,
        seq: FIRST_SEQ + plan.index,
        snippet: plan.snippet,
        subject: plan.subject,
        from: plan.outgoing ? { name: user.name, address: user.email } : CONTACTS[plan.contact],
      };
      this.entries.set(plan.id, { state, index: plan.index, messageId: plan.messageId });
      this.byMessageId.set(plan.messageId, plan.id);
    }
    this.order = this.plans.map((p) => p.id).reverse();
    this.seq = FIRST_SEQ + size;
  }

  count() {
    return this.entries.size;
  }

  folderById(id: string) {
    return this.folders.find((f) => f.id === id);
  }

  gmailLabels(message: MessageState): string[] {
    const labels: string[] = [];
    if (message.folderId !== 'archive' && this.user.provider === 'google') labels.push(message.folderId);
    labels.push(...message.labels);
    if (message.folderId === 'INBOX') labels.push('CATEGORY_PERSONAL');
    if (!message.read) labels.push('UNREAD');
    if (message.starred) labels.push('STARRED');
    return labels;
  }

  list(query: ListQuery = {}): MessageState[] {
    const folders = query.folderIds && new Set(query.folderIds);
    const hidden = new Set(this.folders.filter((f) => f.kind === 'spam' || f.kind === 'trash').map((f) => f.id));
    const explicitHidden = [...(query.folderIds || []), ...(query.labelIds || [])].some((id) => hidden.has(id));
    const out: MessageState[] = [];
    for (const id of this.order) {
      const m = (this.entries.get(id) as Entry).state;
      if (folders && !folders.has(m.folderId)) continue;
      if (!query.includeSpamTrash && !explicitHidden && hidden.has(m.folderId)) continue;
      if (query.after !== undefined && m.date < query.after) continue;
      if (query.before !== undefined && m.date >= query.before) continue;
      if (query.threadId && m.threadId !== query.threadId) continue;
      if (query.labelIds?.length) {
        const labels = this.gmailLabels(m);
        if (!query.labelIds.every((l) => labels.includes(l))) continue;
      }
      out.push(m);
    }
    return out;
  }

  get(id: string) {
    return this.entries.get(id)?.state;
  }

  thread(threadId: string) {
    return this.list({ threadId, includeSpamTrash: true }).reverse();
  }

  async content(id: string): Promise<MessageContent> {
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`no message ${id}`);
    if (entry.content) return entry.content;
    return this.seeded(id, entry.index);
  }

  private seeded(id: string, index: number): SeededContent {
    return this.contentCache.get(id) ?? generateContent(this.seed, this.user, this.plans, index);
  }

  /**
   * Builds every seeded message once and keeps it (raw MIME and content), as a provider that
   * stores mail serves it, instead of composing each again on every request. The benchmarks use
   * it: on a small machine the emulator's composing would otherwise take CPU from the sync it
   * measures. Costs startup time (about half a millisecond a message) and memory.
   */
  async prebuild(): Promise<void> {
    this.keepAll = true;
    for (const [id, entry] of this.entries) {
      if (entry.index < 0) continue;
      const content = generateContent(this.seed, this.user, this.plans, entry.index);
      this.contentCache.set(id, content);
      if (!this.rawCache.has(id)) this.rawCache.set(id, await buildRaw(content, this.buildOptions(id, entry.index, content.textEncoding)));
    }
  }

  async raw(id: string): Promise<Buffer> {
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`no message ${id}`);
    if (entry.raw) return entry.raw;
    const cached = this.rawCache.get(id);
    if (cached) return cached;
    const content = this.seeded(id, entry.index);
    const raw = await buildRaw(content, this.buildOptions(id, entry.index, content.textEncoding));
    this.rawCache.set(id, raw);
    if (!this.keepAll && this.rawCache.size > RAW_CACHE_SIZE) this.rawCache.delete(this.rawCache.keys().next().value as string);
    return raw;
  }

  /**
   * The header block of raw(id) (with its closing empty line), without building the bodies: a seeded message is composed with
   * its attachments emptied, which leaves every top-level header (boundaries included) exactly
   * as in the full message. Serving Graph's internetMessageHeaders then costs no base64 of
   * megabyte attachments per message.
   */
  async rawHeaders(id: string): Promise<Buffer> {
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`no message ${id}`);
    const known = entry.raw ?? this.rawCache.get(id);
    let raw: Buffer;
    if (known) raw = known;
    else {
      const content = generateContent(this.seed, this.user, this.plans, entry.index);
      const hollow = { ...content, attachments: content.attachments.map((a) => ({ ...a, content: Buffer.alloc(0) })) };
      raw = await buildRaw(hollow, this.buildOptions(id, entry.index, content.textEncoding));
    }
    return raw.subarray(0, headerEnd(raw));
  }

  private buildOptions(id: string, index: number, textEncoding: 'quoted-printable' | 'base64') {
    return { textEncoding, keepBcc: this.plans[index].outgoing, baseBoundary: shortHash(8, this.seed, id).toString('hex') };
  }

  changesSince(since: number): Change[] {
    if (since < this.retainedFrom) throw new HistoryExpiredError(since);
    let lo = 0;
    let hi = this.changes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.changes[mid].seq <= since) lo = mid + 1;
      else hi = mid;
    }
    return this.changes.slice(lo);
  }

  private record(change: Omit<Change, 'seq'>) {
    this.seq += 1;
    const full = { ...change, seq: this.seq };
    this.changes.push(full);
    return full;
  }

  async insert(input: { raw: Buffer; folderId: string; read?: boolean; threadId?: string; labels?: string[]; date?: number }): Promise<MessageState> {
    if (!this.folderById(input.folderId)) throw new Error(`no folder ${input.folderId}`);
    const content = await parseRaw(input.raw);
    const date = input.date ?? Date.now();
    this.liveCount += 1;
    const n = this.plans.length + this.liveCount;
    const graph = this.user.provider === 'microsoft';
    const id = graph ? graphId('AAMkADI1', this.seed, this.user.email, 'live', n, date) + '=' : gmailId(date, n);
    // Thread by the headers a client sets on a reply, as both providers do.
    const related = [content.inReplyTo, ...(content.references || [])].map((mid) => mid && this.byMessageId.get(mid)).find(Boolean);
    const threadId = input.threadId && [...this.entries.values()].some((e) => e.state.threadId === input.threadId)
      ? input.threadId
      : related
        ? (this.entries.get(related) as Entry).state.threadId
        : graph ? graphId('AAQkADI1', this.seed, this.user.email, 'conv-live', n) + '=' : id;
    const messageId = content.messageId || `<sbx.live.${shortHash(9, this.user.email, n).toString('hex')}@sandbox.example>`;
    const state: MessageState = {
      id,
      threadId,
      folderId: input.folderId,
      labels: input.labels || [],
      read: input.read ?? false,
      starred: false,
      date,
      size: input.raw.length,
      hasAttachments: content.attachments.some((a) => !a.inline),
      seq: 0,
      snippet: snippetOf(content),
      subject: content.subject,
      from: content.from,
    };
    this.entries.set(id, { state, index: -1, raw: input.raw, content: { ...content, messageId }, messageId });
    this.byMessageId.set(messageId, id);
    const at = this.order.findIndex((other) => (this.entries.get(other) as Entry).state.date <= date);
    this.order.splice(at < 0 ? this.order.length : at, 0, id);
    state.seq = this.record({ type: 'added', messageId: id, threadId, folderAfter: input.folderId, labelsAdded: this.gmailLabels(state) }).seq;
    return state;
  }

  async replaceRaw(id: string, raw: Buffer): Promise<MessageState | undefined> {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    const content = await parseRaw(raw);
    if (this.entries.get(id) !== entry) return undefined;
    const messageId = content.messageId || entry.messageId;
    if (messageId !== entry.messageId) {
      this.byMessageId.delete(entry.messageId);
      this.byMessageId.set(messageId, id);
      entry.messageId = messageId;
    }
    entry.raw = raw;
    entry.content = { ...content, messageId };
    this.rawCache.delete(id);
    this.contentCache.delete(id);
    const m = entry.state;
    Object.assign(m, { size: raw.length, hasAttachments: content.attachments.some((a) => !a.inline), snippet: snippetOf(content), subject: content.subject, from: content.from });
    m.seq = this.record({ type: 'updated', messageId: id, threadId: m.threadId, folderBefore: m.folderId, folderAfter: m.folderId, labelsAdded: [], labelsRemoved: [] }).seq;
    return m;
  }

  modify(id: string, change: { folderId?: string; read?: boolean; starred?: boolean; addLabels?: string[]; removeLabels?: string[] }) {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (change.folderId && !this.folderById(change.folderId)) throw new Error(`no folder ${change.folderId}`);
    const m = entry.state;
    const before = this.gmailLabels(m);
    const folderBefore = m.folderId;
    if (change.folderId) m.folderId = change.folderId;
    if (change.read !== undefined) m.read = change.read;
    if (change.starred !== undefined) m.starred = change.starred;
    if (change.addLabels?.length) m.labels = [...new Set([...m.labels, ...change.addLabels])];
    if (change.removeLabels?.length) m.labels = m.labels.filter((l) => !change.removeLabels?.includes(l));
    const after = this.gmailLabels(m);
    const labelsAdded = after.filter((l) => !before.includes(l));
    const labelsRemoved = before.filter((l) => !after.includes(l));
    if (!labelsAdded.length && !labelsRemoved.length && folderBefore === m.folderId) return m;
    m.seq = this.record({ type: 'updated', messageId: id, threadId: m.threadId, folderBefore, folderAfter: m.folderId, labelsAdded, labelsRemoved }).seq;
    return m;
  }

  remove(id: string) {
    const entry = this.entries.get(id);
    if (!entry) return false;
    this.entries.delete(id);
    this.byMessageId.delete(entry.messageId);
    this.order.splice(this.order.indexOf(id), 1);
    this.rawCache.delete(id);
    this.contentCache.delete(id);
    this.record({ type: 'deleted', messageId: id, threadId: entry.state.threadId, folderBefore: entry.state.folderId, labelsRemoved: this.gmailLabels(entry.state) });
    return true;
  }

  expireHistory() {
    this.changes = [];
    this.retainedFrom = this.seq;
  }

  addFolder(input: { name: string; parentId?: string }): Folder {
    const google = this.user.provider === 'google';
    const customCount = this.folders.filter((f) => f.kind === 'custom').length;
    const folder: Folder = {
      id: google ? `Label_${Math.max(LABEL_NAMES.length, customCount) + 1}` : graphId('AAMkADI1AAA', this.user.email, 'folder', input.parentId || '', input.name) + 'AAA=',
      name: input.name,
      kind: 'custom',
      parentId: input.parentId,
    };
    this.folders.push(folder);
    return folder;
  }
}
