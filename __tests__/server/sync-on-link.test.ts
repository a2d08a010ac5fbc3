// A node that runs the schedule starts a new account's first sync as soon as it is linked, so
// the user who lands in the Email center sees it under way rather than waiting for the next tick.
import type { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import type { CallbackResponse } from '../../src/shared/types';
import { Api } from './helpers/api';
import { bootApp, configureProviders, createUser } from './helpers/app';

let sandbox: Sandbox;
let app: MockServer;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 9, size: 40 });
  app = await bootApp({ syncSchedule: true });
  await configureProviders(app, sandbox);
});

afterAll(async () => {
  await app?.destroy();
  await sandbox?.stop();
});

describe('linking on a node that runs the schedule', () => {
  it('starts the first sync at once', async () => {
    const user = await Api.as(app, await createUser(app));
    const { account } = user.data<CallbackResponse>(await user.link('google', 'alice@example.com', { syncFrom: 'all' }));
    let runs: Array<{ kind: string; status: string }> = [];
    for (let i = 0; i < 100 && !runs.some((r) => r.status === 'succeeded'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      runs = user.data(await user.call('mailAccounts', 'syncRuns', { filterByTk: account.id }));
    }
    expect(runs).toEqual([expect.objectContaining({ kind: 'first', status: 'succeeded' })]);
    const stored = await app.db.getRepository('mailMessages').count({ filter: { accountId: account.id } });
    expect(stored).toBe(sandbox.state.mailbox('alice@example.com')!.list({ includeSpamTrash: true }).length);
  });
});
