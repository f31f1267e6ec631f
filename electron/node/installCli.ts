// "Install command-line tool" (tray/settings of the packaged app): puts a tiny `elevate` launcher on PATH
// that runs the signed app binary with `--elevate-cli` (electron/main/cliEntry.ts). No Node, no
// ELECTRON_RUN_AS_NODE: the app binary runs only Elevate's own CLI commands, so the RunAsNode and inspect
// fuses stay off (docs/laptop.md explains the choice).
//   Linux:   ~/.local/bin/elevate (POSIX sh); AppImage: the launcher calls $APPIMAGE's stable path.
//   macOS:   /usr/local/bin/elevate, written through an administrator prompt (consent), else ~/.local/bin.
//   Windows: %LOCALAPPDATA%\Elevate\bin\elevate.cmd, that directory added to the per-user PATH.
// Never replaces a file it did not write (the marker line says who wrote it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ElevateError } from '../../shared/errors';
import { quoteAppleScript, quotePowerShell, quoteSh } from '../../shared/quote';
import { writeFileAtomic } from './atomicFile';
import type { Env } from './paths';

export const LAUNCHER_MARKER = 'Elevate command-line launcher';
export const CLI_FLAG = '--elevate-cli';

export class InstallCliError extends ElevateError {}

export interface InstallCliInput {
  platform: NodeJS.Platform;
  env: Env;
  home?: string;
  /** The app binary (app.getPath('exe')); on Linux AppImage, $APPIMAGE is used instead when set. */
  appExecutable: string;
  /** macOS: asks the human before the administrator prompt for /usr/local/bin. */
  consent?: (question: string) => Promise<boolean>;
  /** Runs a privileged / system command (macOS osascript, Windows PowerShell); argv only. */
  exec?: (argv: string[]) => Promise<{ code: number; stderr: string }>;
}

export interface InstallCliResult {
  path: string;
  status: 'installed' | 'updated' | 'unchanged';
  /** Whether the launcher's directory is on PATH now; if not, `pathHint` says what to add. */
  onPath: boolean;
  pathHint?: string;
}

/** A program path on a .cmd line: double quotes (Windows paths cannot contain them), % doubled. */
function batchQuote(p: string): string {
  if (/["\r\n]/.test(p))
    throw new InstallCliError('bad-app-path', `cannot write a launcher for the path ${p}`);
  return `"${p.replace(/%/g, '%%')}"`;
}

export function launcherScript(platform: NodeJS.Platform, appExecutable: string): string {
  if (platform === 'win32')
    return `@echo off\r\nrem ${LAUNCHER_MARKER} (installed by the Elevate app; reinstall from the app to update)\r\n${batchQuote(appExecutable)} ${CLI_FLAG} %*\r\n`;
  return `#!/bin/sh\n# ${LAUNCHER_MARKER} (installed by the Elevate app; reinstall from the app to update)\nexec ${quoteSh(appExecutable)} ${CLI_FLAG} "$@"\n`;
}

function onPath(dir: string, env: Env, platform: NodeJS.Platform): boolean {
  const sep = platform === 'win32' ? ';' : ':';
  const norm = (p: string) => path.resolve(p).replace(/[\\/]+$/, '');
  const want = platform === 'win32' ? norm(dir).toLowerCase() : norm(dir);
  return (env.PATH ?? env.Path ?? '')
    .split(sep)
    .filter(Boolean)
    .some((p) => (platform === 'win32' ? norm(p).toLowerCase() : norm(p)) === want);
}

/** Writes the launcher unless a foreign file is in the way; returns what happened. */
function writeLauncher(file: string, text: string): InstallCliResult['status'] {
  let current: string | null = null;
  try {
    current = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (current !== null && !current.includes(LAUNCHER_MARKER))
    throw new InstallCliError(
      'cli-path-taken',
      `${file} exists and was not written by Elevate (an npm-installed elevate, or another tool); remove or rename it, then install again`,
    );
  if (current === text) return 'unchanged';
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, text, { mode: 0o755 });
  fs.chmodSync(file, 0o755);
  return current === null ? 'installed' : 'updated';
}

export async function installCli(input: InstallCliInput): Promise<InstallCliResult> {
  const home = input.home ?? os.homedir();
  const exe = input.platform === 'linux' && input.env.APPIMAGE ? input.env.APPIMAGE : input.appExecutable;
  if (input.platform === 'win32') return installWindows(input, home, exe);
  const script = launcherScript(input.platform, exe);
  const userBin = path.join(home, '.local', 'bin');
  if (input.platform === 'darwin') {
    const target = '/usr/local/bin/elevate';
    const consent = input.consent
      ? await input.consent(
          `Install the elevate command in /usr/local/bin? macOS asks for an administrator password.`,
        )
      : false;
    if (consent && input.exec) {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elevate-cli-'));
      const staged = path.join(tmp, 'elevate');
      fs.writeFileSync(staged, script, { mode: 0o755 });
      try {
        // Refuse a foreign file there too: only replace an absent file or one with the marker.
        const sh = `if [ -e ${quoteSh(target)} ] && ! grep -q ${quoteSh(LAUNCHER_MARKER)} ${quoteSh(target)}; then echo "${target} exists and was not written by Elevate" >&2; exit 3; fi; mkdir -p /usr/local/bin && install -m 0755 ${quoteSh(staged)} ${quoteSh(target)}`;
        const r = await input.exec([
          '/usr/bin/osascript',
          '-e',
          `do shell script ${quoteAppleScript(sh)} with administrator privileges`,
        ]);
        if (r.code !== 0)
          throw new InstallCliError(
            'cli-install-failed',
            `installing ${target} failed: ${r.stderr.trim() || `exit ${r.code}`}`,
          );
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
      return { path: target, status: 'installed', onPath: true };
    }
    // No consent: the user bin directory instead.
  }
  const file = path.join(userBin, 'elevate');
  const status = writeLauncher(file, script);
  const visible = onPath(userBin, input.env, input.platform);
  return {
    path: file,
    status,
    onPath: visible,
    ...(visible
      ? {}
      : {
          pathHint: `add ${userBin} to PATH: echo 'export PATH="$HOME/.local/bin:$PATH"' >> ~/.profile (then open a new terminal)`,
        }),
  };
}

async function installWindows(input: InstallCliInput, home: string, exe: string): Promise<InstallCliResult> {
  const base = input.env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local');
  const dir = path.join(base, 'Elevate', 'bin');
  const file = path.join(dir, 'elevate.cmd');
  const status = writeLauncher(file, launcherScript('win32', exe));
  let visible = onPath(dir, input.env, 'win32');
  if (!visible && input.exec) {
    // Per-user PATH through .NET (setx truncates at 1024 characters); appended, never rewritten.
    const ps = `$d = ${quotePowerShell(dir)}; $p = [Environment]::GetEnvironmentVariable('Path', 'User'); if (-not $p) { $p = '' }; if (($p -split ';') -notcontains $d) { [Environment]::SetEnvironmentVariable('Path', ($p.TrimEnd(';') + ';' + $d).TrimStart(';'), 'User') }`;
    const r = await input.exec(['powershell.exe', '-NoProfile', '-NonInteractive', '-Command', ps]);
    visible = r.code === 0;
  }
  return {
    path: file,
    status,
    onPath: visible,
    ...(visible
      ? {}
      : {
          pathHint: `add ${dir} to your user PATH (Settings → Environment variables), then open a new terminal`,
        }),
  };
}
