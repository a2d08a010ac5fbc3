// The first sync's start date, chosen when linking: one month back unless the user picks a
// date or "everything"; a bad value is refused before the consent page; linking a mailbox
// again keeps its sync. The stored set is compared exactly with the sandbox's mail since then.
import type { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import { LINK_ERRORS, type CallbackResponse, type MailAccountDTO } from '../../src/shared/types';
import { Api } from './helpers/api';
import { bootApp, configureProviders, createUser, plugin } from './helpers/app';

const DAY = 24 * 3600e3;
const MAILBOX = { google: 'alice@example.com', microsoft: 'carol@contoso.example' } as const;
let sandbox: Sandbox;
let app: MockServer;

beforeAll(async () => {
  // 600 messages over the sandbox's 30-day minimum span: a 10-day window holds about a third.
  sandbox = await startSandbox({ seed: 7, size: 600 });
  app = await bootApp();
  await configureProviders(app, sandbox);
});

afterAll(async () => {
  await app?.destroy();
  await sandbox?.stop();
});

async function linkAs(provider: keyof typeof MAILBOX, extra: Record<string, unknown> = {}) {
  const user = await Api.as(app, await createUser(app));
  return { user, account: user.data<CallbackResponse>(await user.link(provider, MAILBOX[provider], extra)).account };
}

async function storedIds(accountId: MailAccountDTO['id']) {
  const rows = await app.db.getRepository('mailMessages').find({ filter: { accountId }, fields: ['remoteId'] });
  return rows.map((r: { get(k: string): unknown }) => r.get('remoteId') as string).sort();
}

function sandboxIdsSince(email: string, since: number) {
  return sandbox.state.mailbox(email)!.list({ includeSpamTrash: true }).filter((m) => m.date >= since).map((m) => m.id).sort();
}

describe.each(['google', 'microsoft'] as const)('%s', (provider) => {
  it('syncs from one month back by default', async () => {
    const before = new Date();
    const { account } = await linkAs(provider);
    const expected = new Date(before);
    expected.setUTCMonth(expected.getUTCMonth() - 1);
    const since = new Date(account.syncFrom as string).getTime();
    expect(Math.abs(since - expected.getTime())).toBeLessThan(60_000);
    expect(await plugin(app).services.runner.run(account.id)).toMatchObject({ status: 'succeeded' });
    expect(await storedIds(account.id)).toEqual(sandboxIdsSince(MAILBOX[provider], since));
  });

  it('syncs from the chosen date only, newest first, and counts progress against that range', async () => {
    const day = new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10);
    const { account } = await linkAs(provider, { syncFrom: day });
    const since = Date.parse(`${day}T00:00:00Z`);
    expect(account.syncFrom).toBe(new Date(since).toISOString());
    expect(await plugin(app).services.runner.run(account.id)).toMatchObject({ status: 'succeeded' });
    const expected = sandboxIdsSince(MAILBOX[provider], since);
    const all = sandbox.state.mailbox(MAILBOX[provider])!.list({ includeSpamTrash: true }).length;
    expect(expected.length).toBeGreaterThan(50);
    expect(expected.length).toBeLessThan(all / 2);
    expect(await storedIds(account.id)).toEqual(expected);
    const row = await app.db.getRepository('mailAccounts').findOne({ filterByTk: account.id });
    expect((row?.get('syncProgress') as { done: number }).done).toBe(expected.length);
  });

  it('syncs everything when asked, and keeps the start date when the mailbox is linked again', async () => {
    const { user, account } = await linkAs(provider, { syncFrom: 'all' });
    expect(account.syncFrom).toBeNull();
    expect(await plugin(app).services.runner.run(account.id)).toMatchObject({ status: 'succeeded' });
    expect(await storedIds(account.id)).toEqual(sandboxIdsSince(MAILBOX[provider], 0));
    const again = user.data<CallbackResponse>(await user.link(provider, MAILBOX[provider], { syncFrom: '2026-01-01' }));
    expect(again).toMatchObject({ created: false, account: { id: account.id, syncFrom: null } });
  });
});

describe('a bad start date', () => {
  it.each([['not a date'], ['2026-13-45'], ['31/01/2026'], [new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10)], [12345]])('refuses %s before any consent page, and stores nothing', async (syncFrom) => {
    const user = await Api.as(app, await createUser(app));
    const states = await app.db.getRepository('mailOAuthStates').count();
    const answer = await user.authorize({ provider: 'google', syncFrom });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]).toMatchObject({ code: LINK_ERRORS.INVALID_SYNC_FROM });
    expect(await app.db.getRepository('mailOAuthStates').count()).toBe(states);
  });
});
