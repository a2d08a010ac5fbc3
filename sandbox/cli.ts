// npm run sandbox -- [--seed N] [--size N] [--small-size N] [--google-port N] [--microsoft-port N] [--quota] [--latency MS] [--prebuild] [--json]
// Starts the provider emulator and prints its URLs, the OAuth clients and the seeded users.
import { startSandbox } from './index';

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return undefined;
  const value = process.argv[at + 1];
  return value && !value.startsWith('--') ? value : 'true';
}

async function main() {
  const started = Date.now();
  const sandbox = await startSandbox({
    seed: Number(flag('seed') ?? 1),
    size: Number(flag('size') ?? 500),
    ...(flag('small-size') ? { smallSize: Number(flag('small-size')) } : {}),
    googlePort: Number(flag('google-port') ?? 18080),
    microsoftPort: Number(flag('microsoft-port') ?? 18443),
    quota: { google: flag('quota') === 'true', microsoft: flag('quota') === 'true' },
    prebuild: flag('prebuild') === 'true',
  });
  if (flag('latency')) sandbox.state.latencyMs = Number(flag('latency'));
  if (flag('json')) {
    // For a parent process (bench/sync.bench.ts) that runs the sandbox apart from itself.
    const { googleUrl, microsoftUrl, controlUrl, certFile } = sandbox;
    console.log(JSON.stringify({ googleUrl, microsoftUrl, controlUrl, certFile }));
  }
  const rss = process.memoryUsage().rss / 1024 / 1024;
  console.log(`Provider sandbox ready in ${((Date.now() - started) / 1000).toFixed(1)}s (RSS ${rss.toFixed(0)} MB)
  Google  (OAuth + Gmail, http):        ${sandbox.googleUrl}
  Microsoft (Entra + Graph, https):     ${sandbox.microsoftUrl}   certificate: ${sandbox.certFile}
  Control API:                          ${sandbox.controlUrl}
  OAuth clients:
${sandbox.state.clients.map((c) => `    ${c.provider.padEnd(9)} client id ${c.clientId}   secret ${c.clientSecret}`).join('\n')}
  Users:
${sandbox.state.users.map((u) => `    ${u.provider.padEnd(9)} ${u.email.padEnd(24)} ${String(sandbox.state.mailbox(u.email)?.count()).padStart(6)} messages`).join('\n')}
Press Ctrl-C to stop.`);
  const stop = async () => {
    await sandbox.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
