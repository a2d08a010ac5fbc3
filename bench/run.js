'use strict';
// Runs a TypeScript benchmark with the sandbox certificate trusted and the GC exposed:
// node bench/run.js bench/sandbox.ts
const path = require('path');
const { spawnSync } = require('child_process');

async function main() {
  require('tsx/cjs');
  const { loadCertificate } = require('../sandbox/core/tls');
  const cert = await loadCertificate();
  const script = process.argv[2];
  const res = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.resolve(script)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: cert.file },
  });
  process.exit(res.status ?? 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
