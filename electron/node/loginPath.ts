// GUI apps on macOS (and Linux desktop launchers) start with a minimal PATH (/usr/bin:/bin:…), not the one
// the user's shell sets up — so `claude`, `aws` and `session-manager-plugin` in ~/.local/bin, Homebrew or
// nvm would not be found. Ask the user's login shell once, at start-up, for its PATH (bounded by a
// timeout; rc-file noise is ignored thanks to markers) and put its entries in front.
import { spawn, type ChildProcess } from 'node:child_process';
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
    // Own process group, no stdin: an interactive shell ignores SIGTERM and waits for its rc files (a
    // `read`, a slow command), so at the deadline the whole group gets SIGKILL and the answer is null at once
    // instead of whenever the shell finishes (never, for a `read` on an open pipe).
    let child: ChildProcess;
    try {
      child = spawn(shell, ['-ilc', script], {
        env: { ...env, TERM: 'dumb' } as NodeJS.ProcessEnv,
        stdio: ['ignore', 'pipe', 'ignore'],
        detached: process.platform !== 'win32',
      });
    } catch {
      resolve(null);
      return;
    }
    let stdout = '';
    let done = false;
    const finish = (value: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      try {
        if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
      child.stdout?.destroy();
      finish(null);
    }, timeoutMs);
    child.stdout?.setEncoding('utf8');
    const answer = () => {
      const m = new RegExp(`${MARK}(.*?)${MARK}`, 's').exec(stdout);
      return m && m[1] ? m[1].trim() : null;
    };
    child.stdout?.on('data', (chunk: string) => {
      if (stdout.length < 1024 * 1024) stdout += chunk;
      // Answer as soon as the marked PATH is complete (a daemon the rc file started may keep stdout open).
      const a = answer();
      if (a) finish(a);
    });
    child.on('error', () => finish(null));
    child.on('close', () => finish(answer()));
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
