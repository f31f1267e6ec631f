// Where the hook bundle is (out/cli/elevate-hook.cjs, built by scripts/build-cli.mjs next to the CLI),
// for hookSettings({ hookArgv }) when the launcher builds a session's `claude --settings`.
import fs from 'node:fs';
import path from 'node:path';

/** argv that runs `elevate hook` through the small bundle; falls back to the CLI bundle + 'hook'. */
export function hookArgv(node: string = process.execPath, here: string = __dirname): string[] {
  const dirs = [
    here,
    path.join(here, '..', 'cli'),
    path.join(here, '..', '..', '..', 'out', 'cli'),
    path.join(here, '..', '..', 'out', 'cli'),
  ];
  for (const d of dirs) {
    const f = path.join(d, 'elevate-hook.cjs');
    if (fs.existsSync(f)) return [node, path.resolve(f)];
  }
  for (const d of dirs) {
    const f = path.join(d, 'elevate.cjs');
    if (fs.existsSync(f)) return [node, path.resolve(f), 'hook'];
  }
  throw new Error('elevate-hook.cjs not found: run npm run build:cli');
}
