// npm run bench:read — reading mail at scale, on SQLite and on PostgreSQL (figures, no
// assertions): the thread list's page 1, a deep page, a search for a word in a few messages and
// one in many, the folder list with unread counts and the badge, each on a 100,000-message
// account next to the same on a 100-message account, through the HTTP API of a real NocoBase.
// The mailboxes are inserted directly (bulkCreate of messages and of their thread rows, as
// ingest would leave them), since syncing 100,000 messages through the sandbox takes minutes.
import type { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Api } from '../__tests__/server/helpers/api';
import { bootApp, createUser } from '../__tests__/server/helpers/app';
import { prng } from '../__tests__/e2e/big-mailbox';

const BIG = Number(process.env.BENCH_READ_SIZE || 100_000);
const SMALL = 100;
const PER_THREAD = 3;
const RUNS = 7;
const dialect = process.env.DB_DIALECT || 'sqlite';

const WORDS = 'invoice meeting budget report shipping order project review contract update quarter planning design launch feedback schedule travel hotel agenda minutes offer delivery support ticket release'.split(' ');
const PEOPLE = ['Anna Jansen', 'Bram de Vries', 'Chen Wei', 'Dora Müller', 'Emil Berg', 'Fatima Ali', 'Greta Holm', 'Hugo Lind'];
const DOMAINS = ['example.com', 'acme.example', 'contoso.example', 'example.cn'];

let app: MockServer;
let api: Api;
const accounts: Record<'big' | 'small', string> = { big: '', small: '' };


async function mailbox(userId: unknown, address: string, size: number, seed: number): Promise<string> {
  const account = await app.db.getRepository('mailAccounts').create({ values: { userId, provider: 'google', address, status: 'active', syncStage: 'incremental', lastSyncAt: new Date() } });
  const accountId = String(account.get('id'));
  const folders = [['INBOX', 'inbox'], ['SENT', 'sent'], ['DRAFT', 'drafts'], ['ARCHIVE', 'archive'], ['SPAM', 'spam'], ['TRASH', 'trash'], ['Label_1', 'custom']];
  await app.db.getModel('mailFolders').bulkCreate(folders.map(([remoteId, kind]) => ({ accountId, remoteId, name: remoteId, kind })));
  const random = prng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const start = Date.UTC(2020, 0, 1);
  const threads = new Map<string, Record<string, unknown>[]>();
  const messages: Record<string, unknown>[] = [];
  for (let i = 0; i < size; i++) {
    const threadKey = `t${Math.floor(i / PER_THREAD)}`;
    const who = pick(PEOPLE);
    const domain = pick(DOMAINS);
    const from = `${who.split(' ')[0].toLowerCase()}@${domain}`;
    const folder = i % 50 === 0 ? 'TRASH' : i % 7 === 0 ? 'SENT' : i % 11 === 0 ? 'ARCHIVE' : 'INBOX';
    const subject = `${pick(WORDS)} ${pick(WORDS)} ${Math.floor(random() * 10000)}`;
    // "zebracorn" is in 1 message of 5,000: a rare word; "budget" is everywhere.
    const text = Array.from({ length: 80 }, () => pick(WORDS)).join(' ') + (i % 5000 === 17 ? ' zebracorn' : '');
    const row = {
      accountId, remoteId: `m${i}`, threadKey, folderIds: [folder], subject, fromAddress: from, fromName: who, to: [{ address }],
      cc: [], bcc: [], replyTo: [], references: [], attachments: [], participants: ` ${from} ${address} `, participantDomains: ` ${domain} ${address.split('@')[1]} `,
      receivedAt: new Date(start + i * 600_000), sentAt: new Date(start + i * 600_000), snippet: text.slice(0, 120), text, html: null,
      read: random() > 0.2, starred: random() > 0.95, hasAttachments: random() > 0.9, contentHash: `h${i}`,
    };
    messages.push(row);
    threads.set(threadKey, [...(threads.get(threadKey) ?? []), row]);
  }
  for (let i = 0; i < messages.length; i += 2000) await app.db.getModel('mailMessages').bulkCreate(messages.slice(i, i + 2000), { hooks: false });
  const rows = [...threads].map(([threadKey, list]) => ({
    accountId, threadKey, subject: list[0].subject, lastMessageAt: list[list.length - 1].receivedAt, messageCount: list.length,
    unreadCount: list.filter((m) => !m.read).length, hasAttachments: list.some((m) => m.hasAttachments), starred: list.some((m) => m.starred),
    participants: [{ name: list[0].fromName, address: list[0].fromAddress }, { address }], folderIds: [...new Set(list.flatMap((m) => m.folderIds as string[]))].sort(),
    snippet: list[list.length - 1].snippet,
  }));
  for (let i = 0; i < rows.length; i += 2000) await app.db.getModel('mailThreads').bulkCreate(rows.slice(i, i + 2000), { hooks: false });
  return accountId;
}

/** Median wall time of RUNS calls, in ms, after one warm-up. */
async function time(resource: string, action: string, params: Record<string, unknown>): Promise<{ ms: number; count?: number }> {
  let answer = await api.call(resource, action, params);
  if (answer.status !== 200) throw new Error(`${resource}:${action} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    answer = await api.call(resource, action, params);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const meta = (answer.body as { meta?: { count?: number } }).meta;
  return { ms: times[Math.floor(RUNS / 2)], count: meta?.count };
}

beforeAll(async () => {
  app = await bootApp();
  const user = await createUser(app);
  api = await Api.as(app, user);
  const t0 = performance.now();
  accounts.big = await mailbox(user.get('id'), 'big@example.org', BIG, 7);
  accounts.small = await mailbox(user.get('id'), 'small@example.org', SMALL, 8);
  if (dialect === 'postgres') await app.db.sequelize.query('ANALYZE');
  console.log(`[${dialect}] inserted ${BIG.toLocaleString('en')} + ${SMALL} messages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
});

afterAll(async () => {
  await app?.destroy();
});

describe(`reading mail (${dialect})`, () => {
  it('prints the figures', async () => {
    const cases: Array<[string, string, string, (accountId: string) => Record<string, unknown>]> = [
      ['threads, inbox page 1', 'mailThreads', 'list', (accountId) => ({ accountId, folder: 'INBOX', pageSize: 50 })],
      ['threads, all mail page 1', 'mailThreads', 'list', (accountId) => ({ accountId, pageSize: 50 })],
      ['threads, inbox page 100', 'mailThreads', 'list', (accountId) => ({ accountId, folder: 'INBOX', pageSize: 50, page: 100 })],
      ['threads, unread page 1', 'mailThreads', 'list', (accountId) => ({ accountId, unread: true, pageSize: 50 })],
      ['search, common word', 'mailThreads', 'list', (accountId) => ({ accountId, q: 'Budget', pageSize: 50 })],
      ['search, rare word', 'mailThreads', 'list', (accountId) => ({ accountId, q: 'ZEBRACORN', pageSize: 50 })],
      ['search, sender address', 'mailThreads', 'list', (accountId) => ({ accountId, q: 'dora@acme', pageSize: 50 })],
      ['folders with unread counts', 'mailFolders', 'list', (accountId) => ({ accountId })],
      ['block rows, domain filter', 'mailMessages', 'list', (accountId) => ({ filter: { $and: [{ accountId }, { participantDomains: { $includes: 'ACME.example' } }] }, pageSize: 50 })],
    ];
    const lines = [`[${dialect}] ${'case'.padEnd(28)} ${`${SMALL} msgs`.padStart(10)} ${`${BIG.toLocaleString('en')} msgs`.padStart(14)}  ratio   (matches, big)`];
    for (const [name, resource, action, params] of cases) {
      const small = await time(resource, action, params(accounts.small));
      const big = await time(resource, action, params(accounts.big));
      lines.push(`[${dialect}] ${name.padEnd(28)} ${`${small.ms.toFixed(1)} ms`.padStart(10)} ${`${big.ms.toFixed(1)} ms`.padStart(14)}  ${(big.ms / small.ms).toFixed(1).padStart(5)}×  ${big.count ?? ''}`);
    }
    const badge = await time('mailAccounts', 'unread', {});
    lines.push(`[${dialect}] badge (both accounts)        ${`${badge.ms.toFixed(1)} ms`.padStart(25)}`);
    console.log(lines.join('\n'));
  });
});
