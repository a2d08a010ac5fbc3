'use strict';
// npm run build: src/ → dist/ in the shape the NocoBase host loads.
//   dist/server/**   CommonJS, one file per source file (collections/ must stay separate files)
//   dist/client/index.js   one AMD module, define('<package>', [host modules…], factory)
//   dist/locale/*.json     served to the browser by the host's locale resources
//   dist/externalVersion.js  versions of the host modules we were built against; the plugin
//                            manager reads it to tell whether a packed plugin is compatible
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');
const PKG = require(path.join(ROOT, 'package.json'));

// Modules the host hands to plugin bundles through requirejs (see shared/ENVIRONMENT.md).
const HOST_MODULES = [
  'react', 'react-dom', 'react/jsx-runtime', 'react-router', 'react-router-dom', 'antd', 'antd-style',
  '@ant-design/icons', '@ant-design/cssinjs', 'i18next', 'react-i18next', 'dayjs', 'lodash', 'ahooks',
  'axios', '@emotion/css', 'file-saver', '@dnd-kit/core', '@dnd-kit/sortable',
  '@formily/antd-v5', '@formily/core', '@formily/react', '@formily/shared', '@formily/json-schema',
  '@formily/reactive', '@formily/path', '@formily/validator', '@formily/reactive-react',
  '@nocobase/utils', '@nocobase/utils/client', '@nocobase/client', '@nocobase/evaluators',
  '@nocobase/sdk', '@nocobase/flow-engine',
];

function sourceFiles(dir, accept) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__tests__' ? [] : sourceFiles(file, accept);
    return accept(file) ? [file] : [];
  });
}

function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function installedVersion(name) {
  try {
    return require(require.resolve(`${name}/package.json`, { paths: [ROOT] })).version;
  } catch {
    return undefined;
  }
}

async function buildServer() {
  const entryPoints = sourceFiles(SRC, (f) => /\.ts$/.test(f) && !f.endsWith('.d.ts') && !f.startsWith(path.join(SRC, 'client')));
  await esbuild.build({
    entryPoints,
    outdir: DIST,
    outbase: SRC,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  // What the server imports from outside the package, for externalVersion.js.
  const { metafile } = await esbuild.build({
    entryPoints: [path.join(SRC, 'server/index.ts')],
    bundle: true, write: false, metafile: true, platform: 'node', packages: 'external', logLevel: 'silent',
  });
  return Object.values(metafile.inputs).flatMap((input) => input.imports.filter((i) => i.external).map((i) => i.path));
}

async function buildClient({ minify }) {
  const result = await esbuild.build({
    entryPoints: [path.join(SRC, 'client/index.tsx')],
    bundle: true,
    write: false,
    metafile: true,
    format: 'cjs',
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    external: HOST_MODULES,
    minify,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const used = [...new Set(Object.values(result.metafile.inputs)
    .flatMap((input) => input.imports.filter((i) => i.external).map((i) => i.path)))].sort();
  const unknown = used.filter((m) => !HOST_MODULES.includes(m));
  if (unknown.length) throw new Error(`client imports modules the host does not provide: ${unknown.join(', ')}`);
  // requirejs hands the listed dependencies to a local `require`, so the CommonJS body runs unchanged.
  const body = result.outputFiles[0].text;
  const amd = `define(${JSON.stringify(PKG.name)}, ${JSON.stringify(['require', 'exports', 'module', ...used])}, function (require, exports, module) {\n${body}\n});\n`;
  fs.mkdirSync(path.join(DIST, 'client'), { recursive: true });
  fs.writeFileSync(path.join(DIST, 'client/index.js'), amd);
  return used;
}

function copyLocales() {
  const out = path.join(DIST, 'locale');
  fs.mkdirSync(out, { recursive: true });
  for (const file of fs.readdirSync(path.join(SRC, 'locale'))) {
    fs.copyFileSync(path.join(SRC, 'locale', file), path.join(out, file));
  }
}

/** Builds dist/; `minify` shrinks the client bundle (the packed plugin uses it). */
async function build({ minify = false } = {}) {
  const started = Date.now();
  fs.rmSync(DIST, { recursive: true, force: true });
  const [serverImports, clientImports] = await Promise.all([buildServer(), buildClient({ minify })]);
  copyLocales();
  const externalVersion = {};
  for (const name of [...new Set([...serverImports, ...clientImports].map(packageOf))].sort()) {
    const version = installedVersion(name);
    if (version) externalVersion[name] = version;
  }
  fs.writeFileSync(path.join(DIST, 'externalVersion.js'), `module.exports = ${JSON.stringify(externalVersion, null, 2)};\n`);
  console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)}s (client uses host modules: ${clientImports.join(', ')})`);
}

if (require.main === module) {
  build().catch((err) => {
    console.error(err.message || err);
    process.exit(1);
  });
}

module.exports = { build };
