// The sync interval: an admin setting, validated, read by the scheduler at each tick (so every
// node of a cluster follows a change without a restart), and closed to everybody else.
import type { MockServer } from '@nocobase/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from './helpers/api';
import { bootApp, createUser, plugin, rootUser } from './helpers/app';

let app: MockServer;
let admin: Api;

beforeAll(async () => {
  app = await bootApp();
  admin = await Api.as(app, await rootUser(app));
});

afterAll(async () => {
  await app?.destroy();
});

describe('the sync interval', () => {
  it('is five minutes until an admin changes it, and takes whole minutes from 1 to 1440', async () => {
    expect(admin.data(await admin.call('mailSettings', 'get'))).toEqual({ syncIntervalMinutes: 5, allMailRoles: [] });
    for (const bad of [0, -3, 1441, 2.5, '10', null]) {
      const answer = await admin.call('mailSettings', 'save', { values: { syncIntervalMinutes: bad } });
      expect(answer.status, String(bad)).toBe(400);
      expect(answer.body.errors?.[0]).toMatchObject({ code: 'E_INVALID_SETTINGS', field: 'syncIntervalMinutes' });
    }
    expect(admin.data(await admin.call('mailSettings', 'get'))).toEqual({ syncIntervalMinutes: 5, allMailRoles: [] });
    expect(admin.data(await admin.call('mailSettings', 'save', { values: { syncIntervalMinutes: 1 } }))).toEqual({ syncIntervalMinutes: 1, allMailRoles: [] });
    expect(admin.data(await admin.call('mailSettings', 'save', { values: { syncIntervalMinutes: 30 } }))).toEqual({ syncIntervalMinutes: 30, allMailRoles: [] });
    expect(admin.data(await admin.call('mailSettings', 'get'))).toEqual({ syncIntervalMinutes: 30, allMailRoles: [] });
  });

  it('decides which accounts the scheduler finds due', async () => {
    const user = await createUser(app);
    const synced = (minutesAgo: number) =>
      app.db.getRepository('mailAccounts').create({
        values: { userId: user.get('id'), provider: 'google', address: `m${minutesAgo}@example.com`, status: 'active', lastSyncAt: new Date(Date.now() - minutesAgo * 60_000) },
      });
    const recent = String((await synced(8)).get('id'));
    const old = String((await synced(45)).get('id'));
    const { scheduler } = plugin(app).services;
    await admin.call('mailSettings', 'save', { values: { syncIntervalMinutes: 30 } });
    expect((await scheduler.due()).filter((id) => [recent, old].includes(id))).toEqual([old]);
    await admin.call('mailSettings', 'save', { values: { syncIntervalMinutes: 5 } });
    expect((await scheduler.due()).filter((id) => [recent, old].includes(id)).sort()).toEqual([recent, old].sort());
  });

  it('is closed to members, even to a role that may view all data', async () => {
    await app.db.getRepository('roles').create({ values: { name: 'seeall', title: 'See all', strategy: { actions: ['view', 'update'] } } });
    for (const roles of [['member'], ['seeall']]) {
      const member = await Api.as(app, await createUser(app, roles));
      expect((await member.call('mailSettings', 'get')).status).toBe(403);
      expect((await member.call('mailSettings', 'save', { values: { syncIntervalMinutes: 1 } })).status).toBe(403);
    }
    expect(admin.data(await admin.call('mailSettings', 'get'))).toEqual({ syncIntervalMinutes: 5, allMailRoles: [] });
  });
});
