// Whose mail a user reads: their own; another user's thread, message or attachment answers 404
// like one that does not exist, whatever the role's data strategy; the all-mail grant
// (mailSettings.allMailRoles, root always) opens everyone's mail to read, not to change.
import type { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox';
import { attachmentPath, type MailMessageDTO, type MailThreadDetailDTO } from '../../../src/shared/mail';
import type { CallbackResponse, MailAccountDTO } from '../../../src/shared/types';
import { Api } from '../helpers/api';
import { bootApp, configureProviders, createUser, plugin, rootUser } from '../helpers/app';
import { download, ok, type Rows } from './setup';

let sandbox: Sandbox;
let app: MockServer;
let owner: Api;
let admin: Api;
let account: MailAccountDTO;
let threadId: string;
let message: { id: string; attachment: string; read: boolean; remoteId: string };

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 5, size: 30 });
  app = await bootApp();
  await configureProviders(app, sandbox);
  owner = await Api.as(app, await createUser(app));
  admin = await Api.as(app, await rootUser(app));
  account = owner.data<CallbackResponse>(await owner.link('google', 'alice@example.com', { syncFrom: 'all' })).account;
  expect(await plugin(app).services.runner.run(account.id)).toMatchObject({ status: 'succeeded' });
  const row = await app.db.getRepository('mailMessages').findOne({ filter: { accountId: account.id, hasAttachments: true } });
  const attachments = row?.get('attachments') as MailMessageDTO['attachments'];
  message = { id: String(row?.get('id')), attachment: attachments[0].remoteId, read: Boolean(row?.get('read')), remoteId: String(row?.get('remoteId')) };
  const thread = await app.db.getRepository('mailThreads').findOne({ filter: { accountId: account.id, threadKey: row?.get('threadKey') as string } });
  threadId = String(thread?.get('id'));
}, 120_000);

afterAll(async () => {
  await app?.destroy();
  await sandbox?.stop();
});

async function expectNoAccess(api: Api) {
  for (const [resource, action, params] of [
    ['mailThreads', 'get', { filterByTk: threadId }],
    ['mailMessages', 'setRead', { values: { messageIds: [message.id], read: !message.read } }],
    ['mailMessages', 'setRead', { values: { threadIds: [threadId], read: true } }],
    ['mailFolders', 'list', { accountId: account.id }],
    ['mailThreads', 'list', { accountId: account.id }],
  ] as const) {
    const answer = await api.call(resource, action, params);
    expect(answer.status, `${resource}:${action}`).toBe(404);
    expect(answer.body.errors?.[0].code).toBe('E_MAIL_NOT_FOUND');
    expect(answer.text).not.toContain('alice@example.com');
  }
  const file = await download(api, attachmentPath(message.id, message.attachment));
  expect(file.status).toBe(404);
  for (const resource of ['mailThreads', 'mailMessages', 'mailFolders']) {
    const answer = await api.call(resource, 'list');
    expect(answer.status).toBe(200);
    expect(answer.text).not.toContain('alice@example.com');
  }
  expect((await api.call('mailMessages', 'list', { scope: 'all' })).status).toBe(403);
  expect(await ok<{ data: { total: number } }>(api.call('mailAccounts', 'unread'))).toMatchObject({ data: { total: 0 } });
  // Nothing changed on the way.
  expect(Boolean((await app.db.getRepository('mailMessages').findOne({ filterByTk: message.id }))?.get('read'))).toBe(message.read);
}

describe('another user', () => {
  it('finds nothing: every id of mail that is not theirs answers 404', async () => {
    await expectNoAccess(await Api.as(app, await createUser(app)));
  });

  it("finds nothing with a role that may view and change all data, or manage the plugin's settings", async () => {
    await app.db.getRepository('roles').create({ values: { name: 'everything', title: 'Everything', strategy: { actions: ['view', 'update', 'create', 'destroy'] } } });
    await expectNoAccess(await Api.as(app, await createUser(app, ['everything'])));
    await expectNoAccess(await Api.as(app, await createUser(app, ['admin'])));
  });
});

describe('the all-mail grant', () => {
  it('is given to existing roles only, by a mail administrator', async () => {
    const bad = await admin.call('mailSettings', 'save', { values: { allMailRoles: ['no-such-role'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]).toMatchObject({ code: 'E_INVALID_SETTINGS', field: 'allMailRoles' });
    expect((await admin.call('mailSettings', 'save', { values: { allMailRoles: 'member' } })).status).toBe(400);
    const member = await Api.as(app, await createUser(app));
    expect((await member.call('mailSettings', 'save', { values: { allMailRoles: ['member'] } })).status).toBe(403);
    await app.db.getRepository('roles').create({ values: { name: 'auditor', title: 'Auditor' } });
    expect(admin.data(await admin.call('mailSettings', 'save', { values: { allMailRoles: ['auditor', 'root', 'auditor'] } }))).toMatchObject({ allMailRoles: ['auditor'] });
  });

  it('lets a granted role (and root) read anyone\'s mail, but not change its read state', async () => {
    const auditor = await Api.as(app, await createUser(app, ['auditor']));
    for (const reader of [auditor, admin]) {
      const detail = (await ok<{ data: MailThreadDetailDTO }>(reader.call('mailThreads', 'get', { filterByTk: threadId }))).data;
      expect(detail.readOnly).toBe(true);
      expect(detail.account.address).toBe('alice@example.com');
      const all = await ok<Rows<MailMessageDTO>>(reader.call('mailMessages', 'list', { scope: 'all', filter: { participantDomains: { $includes: 'example.com' } } }));
      expect(all.meta.count).toBeGreaterThan(0);
      // Their own (empty) mail by default.
      expect((await ok<Rows<MailMessageDTO>>(reader.call('mailMessages', 'list'))).meta.count).toBe(0);
      expect((await ok<Rows<unknown>>(reader.call('mailThreads', 'list', { accountId: account.id }))).meta.count).toBeGreaterThan(0);
      const set = await ok<{ data: { updated: number } }>(reader.call('mailMessages', 'setRead', { values: { messageIds: [message.id], read: !message.read } }));
      expect(set.data.updated).toBe(0);
      expect(sandbox.state.mailbox('alice@example.com')?.get(message.remoteId)?.read).toBe(message.read);
      const file = await download(reader, attachmentPath(message.id, message.attachment));
      expect(file.status).toBe(200);
    }
    // Taken back: gone at once (read per request, not cached).
    await admin.call('mailSettings', 'save', { values: { allMailRoles: [] } });
    expect((await auditor.call('mailThreads', 'get', { filterByTk: threadId })).status).toBe(404);
  });
});
