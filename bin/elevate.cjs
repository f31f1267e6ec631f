#!/usr/bin/env node
'use strict';
// Entry point of the `elevate` command: runs the bundled CLI (built by `npm ci` / `npm run build:cli`).
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'out', 'cli', 'elevate.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write(
    'elevate: the CLI is not built yet; run `npm run build:cli` in ' + path.dirname(__dirname) + '\n',
  );
  process.exit(2);
}
require('node:module').enableCompileCache?.(); // Node 22+: start-up of the bundle from the compile cache
const { main } = require(bundle);
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write('elevate: ' + (e && e.message ? e.message : String(e)) + '\n');
    process.exitCode = 1;
  },
);
