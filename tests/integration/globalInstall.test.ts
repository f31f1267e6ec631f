// `elevate` on PATH from a fresh clone (issue 13 item 2): `npm install -g .` into a temp prefix links the
// clone's bin/elevate.cjs, whose bundle is built by `prepare` (or, when install scripts were skipped, on
// first run), and `cd /tmp && elevate --version` prints the clone's package.json version.
// The clone gets the workspace's node_modules as a symlink in place of `npm ci` (no registry here).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const execFileP = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'elevate-global-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const hasGit = existsSync(join(ROOT, '.git'));
describe.skipIf(!hasGit)('npm install -g . from a fresh clone (skipped: not a git checkout)', () => {
  it('puts a working `elevate` on PATH that prints the clone’s version outside the repo', async () => {
    const clone = join(tmp, 'clone');
    await execFileP('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone], { timeout: 60_000 });
    expect(existsSync(join(clone, 'out'))).toBe(false); // a fresh clone has no build output
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
    // A version this test owns, so the answer cannot come from anywhere but this clone's package.json.
    const pkgFile = join(clone, 'package.json');
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string };
    pkg.version = '9.8.7-globaltest';
    writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);

    const prefix = join(tmp, 'prefix');
    await execFileP(
      'npm',
      ['install', '-g', '.', '--prefix', prefix, '--offline', '--no-audit', '--no-fund'],
      {
        cwd: clone,
        timeout: 120_000,
        env: { ...process.env, npm_config_update_notifier: 'false' },
      },
    );
    const bin = join(prefix, 'bin');
    expect(existsSync(join(bin, 'elevate'))).toBe(true);
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` };
    const { stdout } = await execFileP('elevate', ['--version'], { cwd: tmpdir(), env, timeout: 60_000 });
    expect(stdout).toBe('9.8.7-globaltest\n');
    // A command works from anywhere, not only in the repo.
    const help = await execFileP('elevate', ['--help'], { cwd: tmpdir(), env, timeout: 60_000 });
    expect(help.stdout).toContain('usage: elevate <command>');
    expect(help.stdout).toContain('setup');

    // Install scripts skipped (npm's allow-scripts policy, --ignore-scripts): the first run builds the bundle.
    rmSync(join(clone, 'out'), { recursive: true, force: true });
    const first = await execFileP('elevate', ['--version'], { cwd: tmpdir(), env, timeout: 120_000 });
    expect(first.stdout).toBe('9.8.7-globaltest\n');
    expect(first.stderr).toContain('building the CLI bundle (first run)');
    expect(existsSync(join(clone, 'out', 'cli', 'elevate.cjs'))).toBe(true);
  }, 300_000);
});
