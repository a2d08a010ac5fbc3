// npm run bench:sandbox — the provider sandbox at 100,000 messages: start time, memory, and how
// fast it serves through the official client libraries, as ratios to the providers' own
// ceilings (so later sync benchmarks know the sandbox is not what limits them).
// Run with NODE_EXTRA_CA_CERTS set to the sandbox certificate (the npm script does that).
import { gmail } from '@googleapis/gmail';
import { Client } from '@microsoft/microsoft-graph-client';
import { OAuth2Client } from 'google-auth-library';
import { startSandbox } from '../sandbox';

const SIZE = Number(process.env.BENCH_SIZE || 100000);
const FETCH = Number(process.env.BENCH_FETCH || 2000);
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function main() {
  gc();
  const rss0 = process.memoryUsage().rss;
  let t = performance.now();
  const sandbox = await startSandbox({ seed: 1, size: SIZE });
  const startMs = performance.now() - t;
  gc();
  const rssStarted = process.memoryUsage().rss;
  const heapStarted = process.memoryUsage().heapUsed;
  console.log(`sandbox start (${SIZE.toLocaleString('en')} + ${SIZE.toLocaleString('en')} + 2×40 messages): ${(startMs / 1000).toFixed(2)} s, RSS ${mb(rssStarted)} (${mb(rssStarted - rss0)} for the mailboxes, ${((rssStarted - rss0) / (2 * SIZE)).toFixed(0)} B per message)`);

  const state = sandbox.state;
  const alice = state.findUser('alice@example.com')!;
  const carol = state.findUser('carol@contoso.example')!;
  const googleToken = state.tokens.issue('google', 'sandbox-google-client', alice, ['https://mail.google.com/']).accessToken;
  const graphToken = state.tokens.issue('microsoft', 'sandbox-microsoft-client', carol, ['Mail.ReadWrite']).accessToken;

  // Gmail: list every id, then fetch FETCH messages (format=raw, 10 at a time).
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: googleToken });
  const api = gmail({ version: 'v1', auth, rootUrl: `${sandbox.googleUrl}/` });
  t = performance.now();
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const res = await api.users.messages.list({ userId: 'me', maxResults: 500, pageToken, includeSpamTrash: true });
    for (const m of res.data.messages || []) ids.push(m.id as string);
    pageToken = res.data.nextPageToken || undefined;
  } while (pageToken);
  const listMs = performance.now() - t;
  console.log(`gmail messages.list: ${ids.length.toLocaleString('en')} ids in ${(listMs / 1000).toFixed(2)} s`);
  t = performance.now();
  const queue = ids.slice(0, FETCH);
  await Promise.all(Array.from({ length: 10 }, async () => {
    for (let id = queue.shift(); id; id = queue.shift()) await api.users.messages.get({ userId: 'me', id, format: 'raw' });
  }));
  const gmailRate = FETCH / ((performance.now() - t) / 1000);
  console.log(`gmail messages.get raw: ${gmailRate.toFixed(0)} msg/s = ${(gmailRate / 50).toFixed(1)}× Gmail's quota ceiling of 50 msg/s per user`);

  // Graph: delta over the inbox with bodies selected, 100 per page.
  const graph = Client.init({
    baseUrl: sandbox.microsoftUrl,
    customHosts: new Set(['localhost']),
    authProvider: (done) => done(null, graphToken),
  });
  t = performance.now();
  let count = 0;
  let pages = 0;
  let next: string | undefined = '/me/mailFolders/inbox/messages/delta';
  while (next && count < FETCH * 5) {
    const page: { value: unknown[]; '@odata.nextLink'?: string } = await graph.api(next).header('Prefer', 'odata.maxpagesize=100').select('subject,from,body,receivedDateTime,isRead,conversationId,internetMessageId').get();
    count += page.value.length;
    pages += 1;
    next = page['@odata.nextLink'];
  }
  const graphSeconds = (performance.now() - t) / 1000;
  // Graph's ceiling: 10,000 requests per 10 minutes per mailbox = 16.7 pages/s.
  console.log(`graph delta with bodies: ${(count / graphSeconds).toFixed(0)} msg/s, ${(pages / graphSeconds).toFixed(1)} pages/s = ${(pages / graphSeconds / (10000 / 600)).toFixed(1)}× Graph's ceiling of 16.7 requests/s per mailbox`);

  gc();
  const { rss: rssEnd, heapUsed: heapEnd } = process.memoryUsage();
  // RSS keeps pages V8 has not handed back; the live heap says what is actually retained.
  console.log(`after serving ${(FETCH + count).toLocaleString('en')} bodies: live heap ${mb(heapEnd)} (${heapEnd >= heapStarted ? '+' : ''}${mb(heapEnd - heapStarted)} over the started sandbox), RSS ${mb(rssEnd)}`);
  await sandbox.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
