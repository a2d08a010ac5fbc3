// npm run bench:sync — the sync engine against the sandbox on a real NocoBase, on SQLite and on
// PostgreSQL, figures printed side by side (no assertions on time: this is not a test):
//   1. first sync of a 10,000-message Gmail and Outlook mailbox vs a raw bulk insert of the
//      same rows into the same table (the ceiling);
//   2. the Gmail mailbox with Google's quota enforced vs the 50 messages/s quota ceiling, and
//      the rate-limit answers received;
//   3. an incremental sync of 100 new messages into the 10,000-message account;
//   4. peak RSS growth during the first sync.
import type { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox';
import type { CallbackResponse, MailAccountDTO } from '../src/shared/types';
import { Api } from '../__tests__/server/helpers/api';
import { bootApp, configureProviders, createUser, plugin } from '../__tests__/server/helpers/app';

const SIZE = Number(process.env.BENCH_SIZE || 10000);
const QUOTA_SIZE = Number(process.env.BENCH_QUOTA_SIZE || 2000);
const dialect = process.env.DB_DIALECT || 'sqlite';
const figures: string[] = [];
const say = (line: string) => {
  figures.push(`[${dialect}] ${line}`);
  console.log(`[${dialect}] ${line}`);
};

let sandbox: Sandbox;
let app: MockServer;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 42, size: SIZE, smallSize: QUOTA_SIZE });
  // Run #1 is "no quota": the sandbox enforces none, so the Gmail adapter is told there is none
  // either (plugin option gmailQuotaUnitsPerMinute: 0) instead of pacing to Google's 15,000.
  app = await bootApp({ gmailQuotaUnitsPerMinute: 0 });
  await configureProviders(app, sandbox);
}, 120_000);

afterAll(async () => {
  await app?.destroy();
  await sandbox?.stop();
  console.log(`\n${figures.join('\n')}\n`);
});

async function link(provider: 'google' | 'microsoft', email: string): Promise<MailAccountDTO> {
  const user = await Api.as(app, await createUser(app));
  return user.data<CallbackResponse>(await user.link(provider, email, { syncFrom: 'all' })).account;
}

/** Runs a sync and samples RSS meanwhile; returns seconds and peak RSS growth. */
async function timedRun(accountId: unknown) {
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const outcome = await plugin(app).services.runner.run(accountId as string);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  if (outcome.status !== 'succeeded') throw new Error(`sync failed: ${outcome.error}`);
  return { seconds, peakGrowthMb: (peak - base) / 1048576, outcome };
}

/** The ceiling: the rows the sync stored, inserted again in one bulk insert per 1,000 rows. */
async function rawInsertRate(accountId: unknown) {
  const model = app.db.getModel('mailMessages');
  const rows = (await model.findAll({ where: { accountId }, raw: true })) as Record<string, unknown>[];
  await model.destroy({ where: { accountId } });
  const started = performance.now();
  for (let i = 0; i < rows.length; i += 1000) await model.bulkCreate(rows.slice(i, i + 1000), { hooks: false, validate: false });
  return rows.length / ((performance.now() - started) / 1000);
}

describe(`sync benchmark (${dialect})`, () => {
  for (const [provider, email] of [['google', 'alice@example.com'], ['microsoft', 'carol@contoso.example']] as const) {
    it(`${provider}: first sync of ${SIZE} messages vs raw bulk insert, then 100 new messages`, async () => {
      const account = await link(provider, email);
      const first = await timedRun(account.id);
      const rate = SIZE / first.seconds;
      say(`${provider} first sync: ${SIZE} messages in ${first.seconds.toFixed(1)} s = ${rate.toFixed(0)} msg/s; peak RSS growth ${first.peakGrowthMb.toFixed(0)} MB`);

      const mailbox = sandbox.state.mailbox(email)!;
      const folder = mailbox.folders.find((f) => f.kind === 'inbox')!.id;
      for (let i = 0; i < 100; i++) {
        await fetch(`${sandbox.controlUrl}/users/${email}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subject: `New ${i}`, text: `Body ${i}`, folder }) });
      }
      const increment = await timedRun(account.id);
      say(`${provider} incremental sync of 100 new messages into ${SIZE}: ${increment.seconds.toFixed(2)} s (target < 2 s)`);

      const raw = await rawInsertRate(account.id);
      say(`${provider} raw bulk insert of the same rows: ${raw.toFixed(0)} rows/s; first sync = ${((rate / raw) * 100).toFixed(0)}% of that ceiling (target ≥ 50%)`);
    }, 900_000);
  }

  it(`google with Google's quota enforced: ${QUOTA_SIZE} messages vs 50 msg/s`, async () => {
    // Run #2: a fresh app with the plugin's defaults, so the adapter paces to Google's quota.
    await app.destroy();
    app = await bootApp();
    await configureProviders(app, sandbox);
    sandbox.state.quota.google = true;
    sandbox.state.counters.reset();
    const account = await link('google', 'bob@example.com');
    const run = await timedRun(account.id);
    const rate = QUOTA_SIZE / run.seconds;
    const limited = Object.values(sandbox.state.counters.rateLimited).reduce((a, b) => a + b, 0);
    say(`google under quota: ${QUOTA_SIZE} messages in ${run.seconds.toFixed(1)} s = ${rate.toFixed(1)} msg/s = ${((rate / 50) * 100).toFixed(0)}% of the 50 msg/s quota ceiling; ${limited} rate-limit answers (target ≥ 90%, 0)`);
    sandbox.state.quota.google = false;
  }, 900_000);
});
