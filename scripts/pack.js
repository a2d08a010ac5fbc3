'use strict';
// npm run pack: a .tgz that a stock NocoBase accepts in Plugin manager → "Add & Update"
// (or `nocobase pm add <file>`). It holds dist/ and the server/client shims, no sources.
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const esbuild = require('esbuild');
const { build } = require('./build');

const ROOT = path.resolve(__dirname, '..');

/**
 * A host does not run npm install for an uploaded plugin, so each runtime dependency is
 * bundled into dist/node_modules/<name>, where Node's resolution from dist/server finds it
 * (NocoBase's own plugin build does the same). Dependencies that require each other stay
 * external so that they share one copy (one google-auth-library for the Gmail client and us).
 */
async function bundleDependencies(pkg) {
  const names = Object.keys(pkg.dependencies || {});
  for (const name of names) {
    const outDir = path.join(ROOT, 'dist/node_modules', name);
    const depPkg = require(require.resolve(`${name}/package.json`, { paths: [ROOT] }));
    // A package that needs no other (nodemailer) is copied as it is: we and mailparser import
    // its inner modules (nodemailer/lib/mail-composer), which a single bundled file would not have.
    if (!Object.keys(depPkg.dependencies || {}).length) {
      const from = path.dirname(require.resolve(`${name}/package.json`, { paths: [ROOT] }));
      fs.rmSync(outDir, { recursive: true, force: true });
      fs.cpSync(from, outDir, { recursive: true, filter: (source) => !/(^|[\\/])(node_modules|test|examples?)([\\/]|$)/.test(path.relative(from, source)) });
      continue;
    }
    await esbuild.build({
      entryPoints: [require.resolve(name, { paths: [ROOT] })],
      outfile: path.join(outDir, 'index.js'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: names.filter((other) => other !== name),
      minify: true,
      legalComments: 'external',
      logLevel: 'error',
    });
    fs.writeFileSync(path.join(outDir, 'package.json'), JSON.stringify({ name, version: depPkg.version, license: depPkg.license, main: 'index.js' }, null, 2));
  }
  return names;
}

async function pack() {
  await build({ minify: true });
  const pkg = require(path.join(ROOT, 'package.json'));
  const bundled = await bundleDependencies(pkg);
  const out = path.join(ROOT, 'pack');
  fs.mkdirSync(out, { recursive: true });
  const [info] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8' }));
  const file = path.join(out, info.filename);
  console.log(`${path.relative(ROOT, file)}  ${(info.size / 1024).toFixed(1)} kB, ${info.entryCount} files (bundled: ${bundled.join(', ') || 'none'})`);
  return file;
}

if (require.main === module) {
  pack().catch((err) => {
    console.error(err.message || err);
    process.exit(1);
  });
}

module.exports = { pack };
