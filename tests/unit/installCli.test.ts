// "Install command-line tool": the launcher on PATH that runs the app binary with --elevate-cli (Linux in
// a temp HOME, run for real with a stand-in app binary), never overwriting a foreign file; the launcher
// text for macOS/Windows; and the app side (cliEntry) running the real bundled CLI.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CLI_FLAG, installCli, launcherScript, LAUNCHER_MARKER } from '../../electron/node/installCli';
import { cliArgs, cliBundlePath, runCliInApp } from '../../electron/main/cliEntry';

const ROOT = join(__dirname, '..', '..');

// The electron module of the app side: only what cliEntry touches (no Electron binary on this machine).
const fakeApp = vi.hoisted(() => ({
  exits: [] as number[],
  hwOff: 0,
  getAppPath: (): string => '',
  exit(code: number) {
    this.exits.push(code);
  },
  disableHardwareAcceleration() {
    this.hwOff++;
  },
  requestSingleInstanceLock: (): boolean => true,
  quit: (): void => {
    throw new Error('quit must not run in CLI mode');
  },
}));
vi.mock('electron', () => ({ app: fakeApp }));

function tempHome(): { home: string; app: string; log: string } {
  const root = mkdtempSync(join(tmpdir(), 'elevate-installcli-'));
  const home = join(root, 'home with space');
  mkdirSync(home);
  // A stand-in for the app binary: records its argv (one per line) so the launcher's exec is observable.
  const log = join(root, 'argv.log');
  const app = join(root, "Elevate's app", 'elevate');
  mkdirSync(join(root, "Elevate's app"));
  writeFileSync(
    app,
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > ${JSON.stringify(log)}\nexit 7\n`,
  );
  chmodSync(app, 0o755);
  return { home, app, log };
}

describe('installCli (Linux)', () => {
  it('writes ~/.local/bin/elevate (0755) that execs the app binary with --elevate-cli and every argument intact', async () => {
    const t = tempHome();
    const r = await installCli({
      platform: 'linux',
      env: { PATH: '/usr/bin:/bin' },
      home: t.home,
      appExecutable: t.app,
    });
    const file = join(t.home, '.local', 'bin', 'elevate');
    expect(r).toMatchObject({ path: file, status: 'installed', onPath: false });
    expect(r.pathHint).toContain('export PATH="$HOME/.local/bin:$PATH"');
    expect(statSync(file).mode & 0o777).toBe(0o755);
    expect(readFileSync(file, 'utf8')).toContain(LAUNCHER_MARKER);
    const run = spawnSync(file, ['whoami', 'elevated', '--mfa-code', '12 34', "it's"], { encoding: 'utf8' });
    expect(run.status).toBe(7); // the app's exit code comes through
    expect(readFileSync(t.log, 'utf8')).toBe(`${CLI_FLAG}\nwhoami\nelevated\n--mfa-code\n12 34\nit's\n`);
    // idempotent; on PATH when it is
    const again = await installCli({
      platform: 'linux',
      env: { PATH: `/usr/bin:${join(t.home, '.local', 'bin')}/` },
      home: t.home,
      appExecutable: t.app,
    });
    expect(again).toMatchObject({ status: 'unchanged', onPath: true });
    expect(again.pathHint).toBeUndefined();
  });

  it('AppImage: the launcher points at $APPIMAGE (stable), not the temporary mount; a new app path updates it', async () => {
    const t = tempHome();
    await installCli({
      platform: 'linux',
      env: { APPIMAGE: '/opt/apps/Elevate.AppImage' },
      home: t.home,
      appExecutable: '/tmp/.mount_Elev/elevate',
    });
    const text = readFileSync(join(t.home, '.local', 'bin', 'elevate'), 'utf8');
    expect(text).toContain(`exec /opt/apps/Elevate.AppImage ${CLI_FLAG} "$@"`);
    const r = await installCli({ platform: 'linux', env: {}, home: t.home, appExecutable: t.app });
    expect(r.status).toBe('updated');
  });

  it('never replaces an elevate it did not write (e.g. the npm-installed one)', async () => {
    const t = tempHome();
    const file = join(t.home, '.local', 'bin', 'elevate');
    mkdirSync(join(t.home, '.local', 'bin'), { recursive: true });
    writeFileSync(file, '#!/usr/bin/env node\nrequire("../lib/node_modules/elevate/bin/elevate.cjs")\n');
    await expect(
      installCli({ platform: 'linux', env: {}, home: t.home, appExecutable: t.app }),
    ).rejects.toMatchObject({
      code: 'cli-path-taken',
      message: expect.stringContaining('was not written by Elevate'),
    });
    expect(readFileSync(file, 'utf8')).toContain('node_modules/elevate');
  });

  it('macOS without consent falls back to ~/.local/bin; with consent asks osascript for /usr/local/bin (argv, quoted)', async () => {
    const t = tempHome();
    const fallback = await installCli({
      platform: 'darwin',
      env: {},
      home: t.home,
      appExecutable: '/Applications/Elevate.app/Contents/MacOS/Elevate',
      consent: () => Promise.resolve(false),
    });
    expect(fallback.path).toBe(join(t.home, '.local', 'bin', 'elevate'));
    const calls: string[][] = [];
    const r = await installCli({
      platform: 'darwin',
      env: {},
      home: t.home,
      appExecutable: '/Applications/Elevate.app/Contents/MacOS/Elevate',
      consent: () => Promise.resolve(true),
      exec: (argv) => {
        calls.push(argv);
        return Promise.resolve({ code: 0, stderr: '' });
      },
    });
    expect(r).toMatchObject({ path: '/usr/local/bin/elevate', status: 'installed' });
    expect(calls[0]![0]).toBe('/usr/bin/osascript');
    expect(calls[0]![2]).toMatch(
      /^do shell script ".*install -m 0755 \S+ \/usr\/local\/bin\/elevate" with administrator privileges$/,
    );
  });

  it('launcher texts: POSIX sh quoting survives quotes in the path; Windows .cmd passes %*', () => {
    const sh = launcherScript('linux', "/opt/it's here/elevate");
    expect(execFileSync('sh', ['-n'], { input: sh })).toBeDefined();
    expect(sh).toContain(`exec '/opt/it'\\''s here/elevate' ${CLI_FLAG} "$@"`);
    const cmd = launcherScript('win32', 'C:\\Program Files\\100% Elevate\\Elevate.exe');
    expect(cmd).toContain(`"C:\\Program Files\\100%% Elevate\\Elevate.exe" ${CLI_FLAG} %*\r\n`);
  });
});

describe('cliEntry: the app binary as the elevate command', () => {
  beforeAll(() => {
    if (!existsSync(cliBundlePath(ROOT)))
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')]);
  });

  it('cliArgs: only with --elevate-cli, everything after it', () => {
    expect(cliArgs(['/opt/Elevate/elevate'])).toBeNull();
    expect(cliArgs(['/opt/Elevate/elevate', '--hidden'])).toBeNull();
    expect(cliArgs(['/opt/Elevate/elevate', CLI_FLAG, 'doctor', '--json'])).toEqual(['doctor', '--json']);
  });

  it('runs the bundled CLI (real out/cli/elevate.cjs) and exits with its code; a load failure exits 1 with a message', async () => {
    const codes: number[] = [];
    const bad = await runCliInApp(['whoami', 'nonsense'], { appPath: ROOT, exit: (c) => codes.push(c) });
    expect(bad).toBe(2);
    const ok = await runCliInApp(['--version'], { appPath: ROOT, exit: (c) => codes.push(c) });
    expect(ok).toBe(0);
    const missing = await runCliInApp(['--version'], {
      appPath: join(ROOT, 'nowhere'),
      exit: (c) => codes.push(c),
    });
    expect(missing).toBe(1);
    expect(codes).toEqual([2, 0, 1]);
  });

  it('at import with --elevate-cli: the app takes its "other instance" path, quit is held, the command runs and exits with its code', async () => {
    vi.resetModules();
    const argv = process.argv;
    fakeApp.getAppPath = () => ROOT;
    process.argv = ['/opt/Elevate/elevate', CLI_FLAG, 'whoami', 'nonsense'];
    try {
      await import('../../electron/main/cliEntry');
    } finally {
      process.argv = argv;
    }
    expect(fakeApp.requestSingleInstanceLock()).toBe(false);
    expect(() => fakeApp.quit()).not.toThrow();
    expect(fakeApp.hwOff).toBe(1);
    await vi.waitFor(() => expect(fakeApp.exits).toEqual([2]));
  });
});
