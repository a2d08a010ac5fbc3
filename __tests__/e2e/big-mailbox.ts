// Big mailboxes for the browser tests and bench:center, written straight into a host's SQLite
// file (syncing 100,000 messages through the sandbox takes minutes). The rows are what ingest
// would leave: mailMessages with participants, subjects and snippets, and one mailThreads row per
// threadKey summarising its messages (counts, unread, participants, folder union, newest snippet)
// as src/server/sync/ingest-threads.ts computes it. The account holds a lease until 2099, so no
// scheduled sync touches it (it has no tokens to sync with).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sqlite3 = require('sqlite3') as typeof import('sqlite3');

type Value = string | number | boolean | null | Date | object;

const WORDS = 'invoice meeting budget report shipping order project review contract update quarter planning design launch feedback schedule travel hotel agenda minutes offer delivery support ticket release'.split(' ');
const PEOPLE = ['Anna Jansen', 'Bram de Vries', 'Chen Wei', 'Dora Müller', 'Emil Berg', 'Fatima Ali', 'Greta Holm', 'Hugo Lind', 'Iris Bakker', 'Jonas Weber'];
const DOMAINS = ['example.com', 'acme.example', 'contoso.example', 'example.cn'];
const FOLDERS: [string, string, string][] = [
  ['INBOX', 'Inbox', 'inbox'],
  ['SENT', 'Sent', 'sent'],
  ['DRAFT', 'Drafts', 'drafts'],
  ['STARRED', 'Starred', 'starred'],
  ['ARCHIVE', 'Archive', 'archive'],
  ['SPAM', 'Spam', 'spam'],
  ['TRASH', 'Trash', 'trash'],
  ['Label_1', 'Customers', 'custom'],
];
const ROWS_PER_STATEMENT = 1000;

/** xorshift32: the same mailbox every run. */
export function prng(seed: number) {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

/** Sequelize's SQLite date text ("2024-01-02 03:04:05.678 +00:00"), which sorts as it should. */
const sqliteDate = (date: Date) => `${date.toISOString().replace('T', ' ').replace('Z', '')} +00:00`;

function literal(value: Value | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return String(value);
  if (value instanceof Date) return `'${sqliteDate(value)}'`;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.replace(/'/g, "''")}'`;
}

class Db {
  private constructor(private readonly db: import('sqlite3').Database) {}

  static open(file: string): Promise<Db> {
    return new Promise((resolve, reject) => {
      const db = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(new Db(db))));
    });
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.db.exec(sql, (err) => (err ? reject(err) : resolve())));
  }

  all<T>(sql: string): Promise<T[]> {
    return new Promise((resolve, reject) => this.db.all(sql, (err, rows) => (err ? reject(err) : resolve(rows as T[]))));
  }

  async columns(table: string): Promise<Set<string>> {
    return new Set((await this.all<{ name: string }>(`PRAGMA table_info("${table}")`)).map((c) => c.name));
  }

  /** Inserts rows (only the table's own columns), ROWS_PER_STATEMENT per INSERT, in one transaction. */
  async insert(table: string, rows: Record<string, Value>[]): Promise<void> {
    if (!rows.length) return;
    const existing = await this.columns(table);
    const now = new Date();
    const names = [...Object.keys(rows[0]), 'createdAt', 'updatedAt'].filter((name) => existing.has(name));
    await this.exec('BEGIN');
    try {
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const values = rows.slice(i, i + ROWS_PER_STATEMENT).map((row) => `(${names.map((n) => literal(n === 'createdAt' || n === 'updatedAt' ? (row[n] ?? now) : row[n])).join(',')})`);
        await this.exec(`INSERT INTO "${table}" (${names.map((n) => `"${n}"`).join(',')}) VALUES ${values.join(',')}`);
      }
      await this.exec('COMMIT');
    } catch (err) {
      await this.exec('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())));
  }
}

export interface BigMailbox {
  accountId: number;
  messages: number;
  threads: number;
  /** Inbox conversations (what the Email center opens on). */
  inboxThreads: number;
}

/**
 * Adds a Gmail account with `size` messages to user `userId` in the SQLite database `file`
 * (the host may be running: SQLite locks the file for the write). Threads hold 1 to
 * `maxThreadLength` messages (few long ones),
 * one every 7 minutes backwards from now, so the newest conversation is a few minutes old.
 */
export async function insertMailbox(file: string, { userId, address, size, seed = 1, maxThreadLength = 5 }: { userId: number | string; address: string; size: number; seed?: number; maxThreadLength?: number }): Promise<BigMailbox> {
  const db = await Db.open(file);
  try {
    await db.exec('PRAGMA busy_timeout = 30000');
    const far = new Date(Date.UTC(2099, 0, 1));
    await db.insert('mailAccounts', [{ userId: Number(userId), provider: 'google', address: address.toLowerCase(), displayName: address.split('@')[0], status: 'active', syncStage: 'incremental', syncFrom: null, lastSyncAt: new Date(), leaseOwner: 'big-mailbox', leaseToken: 1, leaseExpiresAt: far }]);
    const [{ id }] = await db.all<{ id: number }>(`SELECT id FROM "mailAccounts" WHERE "userId" = ${Number(userId)} AND "address" = ${literal(address.toLowerCase())}`);
    await db.insert('mailFolders', FOLDERS.map(([remoteId, name, kind]) => ({ accountId: id, remoteId, name, kind, parentRemoteId: null })));

    const random = prng(seed);
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
    const own = { name: address.split('@')[0], address: address.toLowerCase() };
    const end = Date.now() - 60_000;
    const messages: Record<string, Value>[] = [];
    const threads: Record<string, Value>[] = [];
    let inboxThreads = 0;
    // Built oldest first, so that message i is older than message i + 1.
    let t = 0;
    for (let i = 0; i < size; t++) {
      const length = Math.min(size - i, 1 + Math.floor(random() * random() * maxThreadLength));
      const threadKey = `big-${seed}-t${t}`;
      const who = pick(PEOPLE);
      const domain = pick(DOMAINS);
      const them = { name: who, address: `${who.split(' ')[0].toLowerCase()}@${domain}` };
      const folder = t % 40 === 0 ? 'TRASH' : t % 9 === 0 ? 'SENT' : t % 13 === 0 ? 'ARCHIVE' : 'INBOX';
      const topic = pick(WORDS);
      const subject = `${topic[0].toUpperCase()}${topic.slice(1)} ${pick(WORDS)} #${1000 + t}`;
      const list: Record<string, Value>[] = [];
      for (let k = 0; k < length; k++, i++) {
        const mine = folder === 'SENT' ? k % 2 === 0 : k % 2 === 1;
        const from = mine ? own : them;
        const to = mine ? them : own;
        const when = new Date(end - (size - 1 - i) * 7 * 60_000);
        const text = `Hi ${to.name.split(' ')[0]}, about the ${Array.from({ length: 40 }, () => pick(WORDS)).join(' ')}. Regards, ${from.name}`;
        const read = i < size - 40 ? random() > 0.08 : random() > 0.5;
        const hasAttachments = random() > 0.9;
        list.push({
          accountId: id, remoteId: `big-${seed}-m${i}`, threadKey, folderIds: [folder], messageId: `<m${i}.${seed}@${domain}>`, inReplyTo: k ? `<m${i - 1}.${seed}@${domain}>` : null, references: k ? [`<m${i - k}.${seed}@${domain}>`] : [],
          subject: k ? `Re: ${subject}` : subject, fromAddress: from.address, fromName: from.name, to: [to], cc: [], bcc: [], replyTo: [],
          participants: ` ${from.address} ${to.address} `, participantDomains: ` ${from.address.split('@')[1]} ${to.address.split('@')[1]} `,
          sentAt: when, receivedAt: when, snippet: text.slice(0, 140), text, html: null, hasRemoteImages: false, read, starred: random() > 0.97, hasAttachments,
          attachments: hasAttachments ? [{ remoteId: `a${i}`, filename: `${pick(WORDS)}.pdf`, contentType: 'application/pdf', size: 20480, inline: false }] : [],
          size: 4000 + text.length, malformed: false, parseError: null, contentHash: `h${seed}-${i}`,
        });
      }
      messages.push(...list);
      // The thread row as ingest-threads.ts summarises it (its messages are oldest first here).
      const people = new Map<string, { name?: string; address: string }>();
      for (const m of list) if (!people.has(m.fromAddress as string)) people.set(m.fromAddress as string, { name: m.fromName as string, address: m.fromAddress as string });
      for (const m of list) for (const r of m.to as { address: string }[]) if (!people.has(r.address)) people.set(r.address, r);
      const newest = list[list.length - 1];
      threads.push({
        accountId: id, threadKey, subject: list[0].subject as string, lastMessageAt: newest.receivedAt, messageCount: list.length,
        unreadCount: list.filter((m) => !m.read).length, hasAttachments: list.some((m) => m.hasAttachments), starred: list.some((m) => m.starred),
        participants: [...people.values()].slice(0, 10), folderIds: [folder], snippet: newest.snippet,
      });
      if (folder === 'INBOX') inboxThreads++;
    }
    await db.insert('mailMessages', messages);
    await db.insert('mailThreads', threads);
    return { accountId: id, messages: messages.length, threads: threads.length, inboxThreads };
  } finally {
    await db.close();
  }
}
