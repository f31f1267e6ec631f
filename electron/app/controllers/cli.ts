// "Install command-line tool" (issue 13 item 2): the tray item and the Settings button put the `elevate`
// launcher on PATH through electron/node/installCli.ts. The dispatcher has already asked the human in
// main's native dialog (confirm.ts); on macOS installCli asks once more before the administrator prompt.
import { execFile } from 'node:child_process';
import path from 'node:path';
import type { Response } from '../../../shared/ipc';
import { installCli } from '../../node/installCli';
import { CoreError, type Runtime } from '../runtime';

/** Where the launcher goes on this platform (for the confirmation dialog; installCli decides). */
export function cliTarget(platform: NodeJS.Platform, env: Runtime['env']): string {
  if (platform === 'win32')
    return `${path.win32.join(env.LOCALAPPDATA ?? '%LOCALAPPDATA%', 'Elevate', 'bin', 'elevate.cmd')} (and that folder on your user PATH)`;
  if (platform === 'darwin')
    return '/usr/local/bin/elevate (macOS asks for an administrator password), or ~/.local/bin/elevate';
  return '~/.local/bin/elevate';
}

/** A system command by argv (macOS osascript, Windows PowerShell): never a shell line. */
function run(argv: string[]): Promise<{ code: number; stderr: string }> {
  const [file, ...args] = argv;
  if (!file) return Promise.resolve({ code: 1, stderr: 'nothing to run' });
  return new Promise((resolve) => {
    execFile(file, args, { windowsHide: true, timeout: 120_000 }, (err, _stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stderr: String(stderr || (err && code !== 0 ? err.message : '')) });
    });
  });
}

export async function installCommandLineTool(
  rt: Runtime,
  platform: NodeJS.Platform = process.platform,
): Promise<Response<'cli:install'>> {
  const exe = rt.platform.appExecutable?.() ?? null;
  if (!exe)
    throw new CoreError(
      'not-packaged',
      'Install command-line tool works from the packaged app; from a clone run `npm link` (or `npm install -g .`) in the repository',
    );
  const home = platform === 'win32' ? rt.env.USERPROFILE : rt.env.HOME;
  const result = await installCli({
    platform,
    env: rt.env,
    ...(home ? { home } : {}),
    appExecutable: exe,
    consent: async (question) =>
      (await rt.platform.confirm?.({
        title: 'Install in /usr/local/bin',
        message: question,
        detail: 'Cancel installs it in ~/.local/bin instead (no password).',
        confirmLabel: 'Use /usr/local/bin',
      })) ?? false,
    exec: run,
  });
  rt.audit({ type: 'cli-install', path: result.path, status: result.status, onPath: result.onPath });
  return result;
}
