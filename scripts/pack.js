'use strict';
// npm run pack: a .tgz that a stock NocoBase accepts in Plugin manager → "Add & Update"
// (or `nocobase pm add <file>`). It holds dist/ and the server/client shims, no sources.
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { build } = require('./build');

const ROOT = path.resolve(__dirname, '..');

async function pack() {
  await build({ minify: true });
  const pkg = require(path.join(ROOT, 'package.json'));
  if (Object.keys(pkg.dependencies || {}).length) {
    // The host does not run npm install for an uploaded plugin: runtime dependencies must be
    // bundled into dist/ before they can be declared here.
    throw new Error('package.json declares runtime dependencies; bundle them into dist/ first');
  }
  const out = path.join(ROOT, 'pack');
  fs.mkdirSync(out, { recursive: true });
  const [info] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8' }));
  const file = path.join(out, info.filename);
  console.log(`${path.relative(ROOT, file)}  ${(info.size / 1024).toFixed(1)} kB, ${info.entryCount} files`);
  return file;
}

if (require.main === module) {
  pack().catch((err) => {
    console.error(err.message || err);
    process.exit(1);
  });
}

module.exports = { pack };
