// Shared setup of the reading tests: a real NocoBase, the sandbox, one user with a Gmail and an
// Outlook account synced in full, and a few helpers to look at the results.
import type { MockServer } from '@nocobase/test';
import { expect } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox';
import type { CallbackResponse, MailAccountDTO } from '../../../src/shared/types';
import { Api, type Answer } from '../helpers/api';
import { bootApp, configureProviders, createUser, plugin } from '../helpers/app';

export interface ReadingWorld {
  sandbox: Sandbox;
  app: MockServer;
  owner: Api;
  gmail: MailAccountDTO;
  outlook: MailAccountDTO;
}

export async function readingWorld(seed = 11, size = 60, pluginOptions: Record<string, unknown> = {}, sandboxOptions: Partial<SandboxOptions> = {}): Promise<ReadingWorld> {
  const sandbox = await startSandbox({ seed, size, ...sandboxOptions });
  const app = await bootApp(pluginOptions);
  await configureProviders(app, sandbox);
  const owner = await Api.as(app, await createUser(app));
  const gmail = owner.data<CallbackResponse>(await owner.link('google', 'alice@example.com', { syncFrom: 'all' })).account;
  const outlook = owner.data<CallbackResponse>(await owner.link('microsoft', 'carol@contoso.example', { syncFrom: 'all' })).account;
  for (const account of [gmail, outlook]) expect(await plugin(app).services.runner.run(account.id)).toMatchObject({ status: 'succeeded' });
  return { sandbox, app, owner, gmail, outlook };
}

export async function ok<T>(answer: Promise<Answer> | Answer): Promise<T> {
  const a = await answer;
  expect(a.status, a.text.slice(0, 400)).toBe(200);
  return a.body as unknown as T;
}

export type Rows<T> = { data: T[]; meta: { count: number; page: number; pageSize: number; totalPage: number } };

type Got = { status: number; headers: Record<string, string>; body: Buffer };

/** A GET of an action URL relative to the API root (what attachmentPath gives), bytes kept. */
export async function download(api: Api, path: string): Promise<Got> {
  const prefix = (api.app as unknown as { resourcer: { options: { prefix?: string } } }).resourcer.options.prefix || '';
  return (api.agent as unknown as { get(url: string): { buffer(on: boolean): { parse(fn: unknown): Promise<Got> } } })
    .get(`${prefix}/${path}`)
    .buffer(true)
    .parse((response: NodeJS.ReadableStream & { setEncoding?: unknown }, done: (err: Error | null, body: Buffer) => void) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

export { createUser, plugin };
