// Start-up of the `elevate` CLI against bare `node -e 0`, measured in the same run: `elevate status` (reads
// the AWS files, settings and state), `elevate --version` (the floor: launcher + bundle), and
// `elevate profiles`. Goal for status: ≤ 1.3× node -e 0. Printed, never asserted.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO, fmt, medianCommand } from './lib.mjs';

export default async function () {
  const dir = mkdtempSync(path.join(tmpdir(), 'elevate-bench-startup-'));
  mkdirSync(path.join(dir, '.aws'), { recursive: true });
  writeFileSync(
    path.join(dir, '.aws', 'config'),
    '[profile claudecode-readonly]\nregion = eu-west-1\nrole_arn = arn:aws:iam::123456789012:role/ro\nsource_profile = base\n' +
      '[profile claudecode-elevated]\nregion = eu-west-1\nrole_arn = arn:aws:iam::123456789012:role/el\nsource_profile = claudecode-readonly\n' +
      '[profile base]\nregion = eu-west-1\n',
  );
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    ELEVATE_HOME: path.join(dir, 'elevate'),
    AWS_CONFIG_FILE: path.join(dir, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, '.aws', 'credentials'),
    NODE_COMPILE_CACHE: path.join(dir, 'node-compile-cache'),
  };
  const bin = path.join(REPO, 'bin', 'elevate.cjs');
  const runs = 15;
  const base = medianCommand([process.execPath, '-e', '0'], runs, { env });
  console.log(
    `node ${process.version}${typeof (await import('node:module')).default.enableCompileCache === 'function' ? ' (compile cache available)' : ' (no module.enableCompileCache: Node < 22)'}`,
  );
  console.log(`node -e 0                  ${fmt(base)}`);
  for (const args of [['--version'], ['status'], ['profiles']]) {
    const ms = medianCommand([process.execPath, bin, ...args], runs, { env });
    console.log(`elevate ${args.join(' ').padEnd(18)} ${fmt(ms)}  ${(ms / base).toFixed(2)}× node -e 0`);
  }
  // The same with a settings.json present (validated with the zod schema).
  mkdirSync(env.ELEVATE_HOME, { recursive: true });
  writeFileSync(path.join(env.ELEVATE_HOME, 'settings.json'), '{ "elevation": { "defaultMinutes": 15 } }\n');
  const withSettings = medianCommand([process.execPath, bin, 'status'], runs, { env });
  console.log(
    `elevate status (settings)  ${fmt(withSettings)}  ${(withSettings / base).toFixed(2)}× node -e 0`,
  );
}
