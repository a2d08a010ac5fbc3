// Who may read what: the sync log is readable by an account's owner and by mail administrators;
// the stored mail is reachable only through the plugin's own actions, even for a role whose data
// strategy says "view everything" (NocoBase would otherwise serve mailMessages:list to it).
import type { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import type { CallbackResponse, MailAccountDTO } from '../../src/shared/types';
import { Api } from './helpers/api';
import { bootApp, configureProviders, createUser, plugin, rootUser } from './helpers/app';

let sandbox: Sandbox;
let app: MockServer;
let owner: Api;
let other: Api;
let mine: MailAccountDTO;
let theirs: MailAccountDTO;

interface RunRow {
  accountId: string | number;
  address?: string;
  status: string;
}
type Page = { data: RunRow[]; meta: { count: number } };

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 3, size: 30 });
  app = await bootApp();
  await configureProviders(app, sandbox);
  owner = await Api.as(app, await createUser(app));
  other = await Api.as(app, await createUser(app));
  mine = owner.data<CallbackResponse>(await owner.link('google', 'alice@example.com', { syncFrom: 'all' })).account;
  theirs = other.data<CallbackResponse>(await other.link('microsoft', 'carol@contoso.example', { syncFrom: 'all' })).account;
  for (const account of [mine, theirs]) expect(await plugin(app).services.runner.run(account.id)).toMatchObject({ status: 'succeeded' });
});

afterAll(async () => {
  await app?.destroy();
  await sandbox?.stop();
});

async function runs(api: Api, params: Record<string, unknown> = {}) {
  const answer = await api.call('mailSyncRuns', 'list', params);
  expect(answer.status, answer.text).toBe(200);
  return answer.body as unknown as Page;
}

describe('the sync log', () => {
  it("gives an owner the runs of their own accounts only", async () => {
    const page = await runs(owner);
    expect(page.data.map((r) => String(r.accountId))).toEqual([String(mine.id)]);
    expect(page.data[0]).toMatchObject({ status: 'succeeded', address: 'alice@example.com' });
    expect((await runs(owner, { accountId: theirs.id })).data).toEqual([]);
    expect((await runs(owner, { accountId: 'not-an-id' })).data).toEqual([]);
  });

  it("gives a mail administrator every account's runs, paged and narrowed by account", async () => {
    for (const admin of [await Api.as(app, await rootUser(app)), await Api.as(app, await createUser(app, ['admin']))]) {
      const all = await runs(admin);
      expect(new Set(all.data.map((r) => String(r.accountId)))).toEqual(new Set([String(mine.id), String(theirs.id)]));
      const narrowed = await runs(admin, { accountId: theirs.id, pageSize: 1 });
      expect(narrowed.meta.count).toBe(1);
      expect(narrowed.data).toEqual([expect.objectContaining({ address: 'carol@contoso.example', status: 'succeeded' })]);
    }
  });
});

describe('a role that may view all data', () => {
  let nosy: Api;
  beforeAll(async () => {
    await app.db.getRepository('roles').create({ values: { name: 'viewall', title: 'View all', strategy: { actions: ['view'] } } });
    nosy = await Api.as(app, await createUser(app, ['viewall']));
  });

  it('still cannot read mail, threads, folders or anything of another account', async () => {
    expect((await nosy.call('mailOAuthStates', 'list')).status).toBe(404);
    // The reading actions answer, about the user's own (here: no) accounts only.
    for (const resource of ['mailMessages', 'mailThreads', 'mailFolders']) {
      const answer = await nosy.call(resource, 'list');
      expect(answer.status, `${resource}:list ${answer.text.slice(0, 200)}`).toBe(200);
      expect(answer.body.data).toEqual([]);
      expect(answer.text).not.toContain('alice@example.com');
    }
    for (const [resource, action] of [['mailMessages', 'get'], ['mailThreads', 'update'], ['mailMessages', 'destroy'], ['mailFolders', 'get']]) {
      expect((await nosy.call(resource, action, { filterByTk: 1 })).status, `${resource}:${action}`).toBe(404);
    }
    const agent = nosy.agent as unknown as { resource(name: string, of?: unknown): Record<string, (p?: unknown) => Promise<{ status: number; text: string }>> };
    for (const [resource, of] of [['mailSyncRuns.account', 1], ['mailAccounts.user', mine.id], ['mailMessages.account', 1]] as const) {
      const answer = await agent.resource(resource, of).get();
      expect(answer.status, `${resource}:get ${answer.text.slice(0, 200)}`).toBe(404);
    }
    expect((await runs(nosy)).data).toEqual([]);
    expect((await nosy.call('mailAccounts', 'get', { filterByTk: mine.id })).status).toBe(404);
  });

  it('cannot read the provider settings', async () => {
    const answer = await nosy.call('mailProviders', 'list');
    expect(answer.status).toBe(403);
    expect(answer.text).not.toContain('sandbox-google-client');
  });

  it('the closing is real: the same role reads an ordinary collection', async () => {
    expect((await nosy.call('users', 'list')).status).toBe(200);
  });
});
