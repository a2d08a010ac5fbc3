'use strict';
// npm start: build the plugin, then run a real NocoBase 2.2.15 with it installed and enabled.
// Data lives in ./storage (SQLite by default; PostgreSQL with DB_DIALECT=postgres and DB_*),
// so it survives a restart. Ctrl-C stops the host cleanly.
const path = require('path');
const { build } = require('./build');
const { configureDemoProviders, startDemoSandbox } = require('./demo');
const host = require('./host');

// EMAIL_MANAGER_SANDBOX=off starts the host without the provider sandbox.
const withSandbox = process.env.EMAIL_MANAGER_SANDBOX !== 'off';

async function main() {
  await build();
  const hostDir = path.join(host.ROOT, '.nocobase');
  host.prepareModules(hostDir, { withPlugin: true });
  const port = Number(process.env.APP_PORT || 13000);
  const storage = path.resolve(host.ROOT, process.env.STORAGE_PATH || 'storage');
  const sandbox = withSandbox ? await startDemoSandbox() : undefined;
  // The host trusts the sandbox's self-signed certificate, as it would a corporate proxy's.
  const env = host.hostEnv({ hostDir, storage, port, extra: sandbox ? { NODE_EXTRA_CA_CERTS: sandbox.certFile } : {} });

  // `install` skips an app that is already installed, so this is safe on every start.
  await host.runOrThrow(['install'], env);
  await host.runOrThrow(['pm', 'enable', host.PKG], env);

  const { child, done } = host.run(['start'], env, { quietBoot: true });
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.log('\nStopping NocoBase…');
      child.kill('SIGTERM');
      void sandbox?.stop();
    });
  }
  let shown = '';
  await host.waitFor(`http://127.0.0.1:${port}/api/__health_check`, 180000, () => child.exitCode === null, (step) => {
    if (step !== shown && process.stdout.isTTY) process.stdout.write(`\r  Starting NocoBase: ${step}\x1b[K`);
    shown = step;
  });
  if (shown && process.stdout.isTTY) process.stdout.write('\r\x1b[K');
  let demo = '';
  if (sandbox) {
    const configured = await configureDemoProviders(`http://127.0.0.1:${port}`, env, sandbox).catch((err) => {
      console.warn(`Could not configure the demo providers: ${err.message}`);
      return [];
    });
    const users = sandbox.state.users.map((u) => `${u.email} (${u.provider === 'google' ? 'Gmail' : 'Outlook'})`).join(', ');
    demo = configured.length
      ? `    Demo:      ${configured.join(' and ')} point at the local provider sandbox (${sandbox.googleUrl}, ${sandbox.microsoftUrl}).
               Link an account at http://localhost:${port}/admin/email and pick a demo mailbox: ${users}.
               Real credentials saved in Email settings replace the demo; see the README.
`
      : `    Sandbox:   ${sandbox.googleUrl} and ${sandbox.microsoftUrl} (real credentials are saved, so it is not used)
`;
  }
  console.log(`
  NocoBase with the Email manager plugin is running:
    URL:       http://localhost:${port}
    Sign in:   ${env.INIT_ROOT_EMAIL} / ${env.INIT_ROOT_PASSWORD}
    Settings:  http://localhost:${port}/admin/settings/mail
    Database:  ${env.DB_DIALECT === 'sqlite' ? env.DB_STORAGE : `${env.DB_DIALECT} ${env.DB_HOST || '127.0.0.1'}:${env.DB_PORT || ''}/${env.DB_DATABASE || ''}`}
${demo}  Press Ctrl-C to stop.
`);
  const { code, signal } = await done;
  await sandbox?.stop();
  process.exit(stopping ? 0 : code ?? (signal ? 1 : 0));
}

main().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});
