// npm run bench:send — sending, measured side by side in one run (figures, no assertions):
// 1. A per-recipient send at each provider's own pace (the plugin's defaults: Gmail 60 and
//    Outlook 30 messages a minute), with the sandbox enforcing Google's quota: our rate against
//    that ceiling, and the rate-limit answers the provider gave.
// 2. One message with a 20 MB attachment through the plugin's send action (files read, MIME
//    built, row kept, provider) against the provider adapter alone sending a ready message.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { buildMime, newMessageId } from '../src/server/mime/compose';
import type { OutgoingMail } from '../src/server/providers/send-types';
import { accountOf, plugin, send, sendingWorld, sent, upload, uploaded, type SendingWorld } from '../__tests__/server/send/setup';

const BULK = Number(process.env.BENCH_SEND_BULK || 30);
const MB = 1024 * 1024;
const PROVIDERS = ['google', 'microsoft'] as const;
let w: SendingWorld;

beforeAll(async () => {
  // The providers' own pace (no sendPerMinute override); the outbox's clock stays in our hands.
  w = await sendingWorld(31, 20, { sendPerMinute: undefined }, { quota: { google: true, microsoft: true } });
}, 300_000);

afterAll(async () => {
  await w?.app?.destroy();
  await w?.sandbox?.stop();
});

const noise = (size: number) => {
  const out = Buffer.alloc(size);
  for (let i = 0, x = 7; i < size; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return out;
};

describe('bench:send', () => {
  it.each(PROVIDERS)('per-recipient send at the provider pace (%s)', async (provider) => {
    const account = accountOf(w, provider);
    const services = plugin(w.app).services.send;
    const perMinute = await (await plugin(w.app).services.settings.ready(provider, { forLinking: false })).adapter.send.perMinute;
    w.sandbox.state.counters.reset();
    const to = Array.from({ length: BULK }, (_, i) => `bench${i}.${provider}@example.net`);
    const started = performance.now();
    const answer = sent(await send(w.owner, { accountId: account.id, to, subject: `Bench ${provider}`, text: 'Hello', perRecipient: true }));
    await services.queue.kick();
    const seconds = (performance.now() - started) / 1000;
    const rows = await w.app.db.getRepository('mailOutbox').count({ filter: { bulkId: answer.bulkId as string, status: 'sent' } });
    const limited = Object.values(w.sandbox.state.counters.rateLimited as Record<string, number>).reduce((a, b) => a + b, 0);
    // The first message goes at once, then one per gap: n messages span n-1 gaps.
    const rate = ((rows - 1) / seconds) * 60;
    console.log(`[send] ${provider} per-recipient: ${rows} of ${BULK} sent in ${seconds.toFixed(1)} s = ${rate.toFixed(1)} msg/min = ${Math.round((rate / perMinute) * 100)}% of the ${perMinute}/min pace; ${limited} rate-limit answers`);
  }, 600_000);

  it.each(PROVIDERS)('a 20 MB attachment: the whole plugin against the adapter alone (%s)', async (provider) => {
    const account = accountOf(w, provider);
    const content = noise(20 * MB);
    let started = performance.now();
    const file = uploaded(await upload(w.owner, 'big.bin', content));
    const uploadMs = performance.now() - started;
    started = performance.now();
    const answer = sent(await send(w.owner, { accountId: account.id, to: ['someone@example.net'], subject: `Big ${provider}`, text: 'A big file', uploads: [file.id] }));
    const whole = performance.now() - started;
    if (answer.items[0].status !== 'sent') console.log(`[send] ${provider}: ${answer.items[0].status} ${JSON.stringify(answer.items[0].error)}`);

    const services = plugin(w.app).services;
    const adapter = (await services.settings.ready(provider, { forLinking: false })).adapter;
    const accessToken = await services.tokens.getAccessToken(account.id);
    const parts = {
      messageId: newMessageId(account.address), from: { address: account.address }, to: [{ address: 'someone@example.net' }], cc: [], bcc: [],
      subject: `Big ${provider} (adapter)`, html: '<div>A big file</div>', text: 'A big file',
      attachments: [{ filename: 'big.bin', contentType: 'application/octet-stream', content }],
    };
    const mail: OutgoingMail = { ...parts, raw: await buildMime(parts), mode: 'new' };
    started = performance.now();
    await adapter.send.send({ accessToken, mailbox: account.address } as never, mail);
    const alone = performance.now() - started;
    console.log(`[send] ${provider} 20 MB attachment: Send ${(whole / 1000).toFixed(2)} s through the plugin (MIME built, stored, sent) against ${(alone / 1000).toFixed(2)} s for the adapter alone with the message ready = ${(whole / alone).toFixed(2)}×; the upload before it (while the user writes) ${(uploadMs / 1000).toFixed(2)} s`);
  }, 600_000);
});
