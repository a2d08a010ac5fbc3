// Shared setup of the sending tests: a real NocoBase with the plugin, the sandbox, one user with
// a Gmail and an Outlook account synced in full, and helpers to send and to look at what the
// sandbox received. The outbox's clock is off: each test runs it (kick) when it means to.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { Sandbox, SandboxOptions } from '../../../sandbox';
import type { MessageState } from '../../../sandbox/core/types';
import type { MailUploadDTO, SendRequest, SendResponse } from '../../../src/shared/send';
import type { Api, Answer } from '../helpers/api';
import { createUser, plugin } from '../helpers/app';
import { readingWorld, type ReadingWorld } from '../mail/setup';

export type SendingWorld = ReadingWorld;

/** The reading tests' world (both accounts linked and synced), with the outbox's clock off. */
export function sendingWorld(seed = 21, size = 40, options: Record<string, unknown> = {}, sandboxOptions: Partial<SandboxOptions> = {}): Promise<SendingWorld> {
  return readingWorld(seed, size, {
    sendQueue: false,
    sendRetryBaseMs: 1,
    sendPerMinute: 60_000,
    uploadsDir: mkdtempSync(path.join(os.tmpdir(), 'em-uploads-')),
    ...options,
  }, sandboxOptions);
}

let keySeq = 0;
export const newKey = () => `test-${process.pid}-${Date.now()}-${++keySeq}`;

export async function send(api: Api, values: Partial<SendRequest> & Pick<SendRequest, 'accountId'>): Promise<Answer> {
  return api.call('mailOutbox', 'send', { values: { idempotencyKey: newKey(), mode: 'new', to: [], subject: '', ...values } });
}

export function sent(answer: Answer): SendResponse {
  expect(answer.status, answer.text.slice(0, 500)).toBe(200);
  return answer.body.data as SendResponse;
}

/** POSTs bytes as an upload (the raw body, as the composer does). */
export async function upload(api: Api, filename: string, content: Buffer, contentType = 'application/octet-stream'): Promise<Answer> {
  const prefix = (api.app as unknown as { resourcer: { options: { prefix?: string } } }).resourcer.options.prefix || '';
  const res = await (api.agent as unknown as { post(url: string): { set(k: string, v: string): { send(b: Buffer): Promise<{ status: number; body: Answer['body']; text: string }> } } })
    .post(`${prefix}/mailUploads:create?filename=${encodeURIComponent(filename)}`)
    .set('content-type', contentType)
    .send(content);
  return { status: res.status, body: res.body, text: res.text };
}

export const uploaded = (answer: Answer) => {
  expect(answer.status, answer.text.slice(0, 300)).toBe(200);
  return answer.body.data as MailUploadDTO;
};

/** Messages of a sandbox mailbox in a folder kind, newest first. */
export function inFolder(w: SendingWorld, address: string, kind: 'sent' | 'inbox' | 'drafts'): MessageState[] {
  const mailbox = w.sandbox.state.mailbox(address);
  const folder = mailbox?.folders.find((f) => f.kind === kind);
  if (!mailbox || !folder) throw new Error(`no ${kind} for ${address}`);
  return mailbox.list({ folderIds: [folder.id] }).sort((a, b) => b.date - a.date);
}

/** The sandbox's parsed copy of a message (headers, recipients, attachments). */
export function contentOf(w: SendingWorld, address: string, id: string) {
  return w.sandbox.state.mailbox(address)?.content(id) as ReturnType<NonNullable<ReturnType<Sandbox['state']['mailbox']>>['content']>;
}

export const accountOf = (w: SendingWorld, provider: 'google' | 'microsoft') => (provider === 'google' ? w.gmail : w.outlook);
/** A seeded recipient at the other provider, whose inbox shows what arrived. */
export const recipientFor = (provider: 'google' | 'microsoft') => (provider === 'google' ? 'dave@contoso.example' : 'bob@example.com');

export { createUser, plugin };
