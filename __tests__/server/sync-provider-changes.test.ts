// What users do in Gmail or Outlook itself reaches NocoBase at the next increment: a message
// moved to another folder, starred, marked unread, or deleted; the thread table follows.
import type { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox';
import type { CallbackResponse } from '../../src/shared/types';
import { Api } from './helpers/api';
import { bootApp, configureProviders, createUser, plugin } from './helpers/app';

const MAILBOX = { google: 'alice@example.com', microsoft: 'carol@contoso.example' } as const;
let sandbox: Sandbox;
let app: MockServer;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 5, size: 80 });
  app = await bootApp();
  await configureProviders(app, sandbox);
});

afterAll(async () => {
  await app?.destroy();
  await sandbox?.stop();
});

async function stored(accountId: string | number, remoteId: string) {
  const row = await app.db.getRepository('mailMessages').findOne({ filter: { accountId, remoteId } });
  return row && { folderIds: row.get('folderIds') as string[], read: row.get('read'), starred: row.get('starred'), threadKey: row.get('threadKey') as string };
}

describe.each(['google', 'microsoft'] as const)('%s', (provider) => {
  it('brings a move, a star, an unread mark and a deletion made at the provider', async () => {
    const email = MAILBOX[provider];
    const user = await Api.as(app, await createUser(app));
    const account = user.data<CallbackResponse>(await user.link(provider, email, { syncFrom: 'all' })).account;
    const { runner } = plugin(app).services;
    expect(await runner.run(account.id)).toMatchObject({ status: 'succeeded' });

    const box = sandbox.state.mailbox(email)!;
    const inbox = box.folders.find((f) => f.kind === 'inbox')!;
    const trash = box.folders.find((f) => f.kind === 'trash')!;
    const [moved, starred, unread, deleted] = box.list({ folderIds: [inbox.id] }).filter((m) => m.read && !m.starred);
    box.modify(moved.id, { folderId: trash.id });
    box.modify(starred.id, { starred: true });
    box.modify(unread.id, { read: false });
    box.remove(deleted.id);
    const threadOfDeleted = (await stored(account.id, deleted.id))!.threadKey;
    const threadSize = box.thread(deleted.threadId).length;

    expect(await runner.run(account.id)).toMatchObject({ status: 'succeeded', kind: 'incremental' });
    const after = await stored(account.id, moved.id);
    expect(after?.folderIds).toContain(trash.id);
    expect(after?.folderIds).not.toContain(inbox.id);
    expect(await stored(account.id, starred.id)).toMatchObject({ starred: true, read: true });
    expect(await stored(account.id, unread.id)).toMatchObject({ read: false, starred: false });
    expect(await stored(account.id, deleted.id)).toBeNull();
    // The thread summary counts what is left of the conversation.
    const thread = await app.db.getRepository('mailThreads').findOne({ filter: { accountId: account.id, threadKey: threadOfDeleted } });
    if (threadSize === 0) expect(thread).toBeNull();
    else expect(thread?.get('messageCount')).toBe(threadSize);
  });
});
