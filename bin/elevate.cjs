#!/usr/bin/env node
'use strict';
// Entry point of the `elevate` command from a clone (`npm install -g .` / `npm link` link this file onto
// PATH): runs the bundled CLI out/cli/elevate.cjs, built by `npm ci` / `npm install` (prepare). When the
// bundle is missing (the package manager skipped install scripts), it is built once here.
const path = require('node:path');
const fs = require('node:fs');
const root = path.join(__dirname, '..');
const bundle = path.join(root, 'out', 'cli', 'elevate.cjs');
if (!fs.existsSync(bundle)) {
  const build = path.join(root, 'scripts', 'build-cli.mjs');
  let built = false;
  if (fs.existsSync(build) && fs.existsSync(path.join(root, 'node_modules', 'esbuild'))) {
    process.stderr.write('elevate: building the CLI bundle (first run) …\n');
    const { spawnSync } = require('node:child_process');
    built = spawnSync(process.execPath, [build], { cwd: root, stdio: ['ignore', 2, 2] }).status === 0;
  }
  if (!built || !fs.existsSync(bundle)) {
    process.stderr.write(
      'elevate: the CLI is not built yet; run `npm ci` (or `npm run build:cli`) in ' + root + '\n',
    );
    process.exit(2);
  }
}
require('node:module').enableCompileCache?.(); // Node 22+: start-up of the bundle from the compile cache
// The ES-module split of the same CLI (out/cli/elevate.mjs + chunks) loads only the chunks a command needs;
// the single CommonJS bundle is the fallback (and what the packaged app runs).
const split = path.join(root, 'out', 'cli', 'elevate.mjs');
const load = fs.existsSync(split)
  ? import(require('node:url').pathToFileURL(split).href)
  : Promise.resolve(require(bundle));
load
  .then(({ main }) => main(process.argv.slice(2)))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write('elevate: ' + (e && e.message ? e.message : String(e)) + '\n');
      process.exitCode = 1;
    },
  );
