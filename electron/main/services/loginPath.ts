// GUI apps on macOS (and Linux desktop launchers) start with a minimal PATH (/usr/bin:/bin:…), not the one
// the user's shell sets up — so `claude`, `aws` and `session-manager-plugin` in ~/.local/bin, Homebrew or
// nvm would not be found. Ask the user's login shell once, at start-up, for its PATH (bounded by a
// timeout; rc-file noise is ignored thanks to markers) and put its entries in front.
import { execFile } from 'node:child_process';
import path from 'node:path';
import type { Env } from './paths';

const MARK = '__ELEVATE_PATH__';

export function loginShellPath(env: Env = process.env, timeoutMs = 3000): Promise<string | null> {
  const shell = env.SHELL && path.isAbsolute(env.SHELL) ? env.SHELL : '/bin/sh';
  // fish has no -i -l -c combination problem, but prints with `string join`; $PATH is a list there.
  const isFish = path.basename(shell) === 'fish';
  const script = isFish
    ? `printf '${MARK}%s${MARK}' (string join : $PATH)`
    : `printf '${MARK}%s${MARK}' "$PATH"`;
  return new Promise((resolve) => {
    execFile(
      shell,
      ['-ilc', script],
      {
        env: { ...env, TERM: 'dumb' } as NodeJS.ProcessEnv,
        timeout: timeoutMs,
        encoding: 'utf8',
        maxBuffer: 1024 * 1024,
      },
      (_err, stdout) => {
        const m = new RegExp(`${MARK}(.*?)${MARK}`, 's').exec(stdout ?? '');
        resolve(m && m[1] ? m[1].trim() : null);
      },
    );
  });
}

/** `shellPath` entries first, then the current ones, without duplicates or empty entries. */
export function mergePath(shellPath: string | null, current: string | undefined): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of [...(shellPath ?? '').split(':'), ...(current ?? '').split(':')]) {
    if (p && !seen.has(p)) {
      seen.add(p);
      out.push(p);
    }
  }
  return out.join(':');
}
