// Start a private Xvfb on a free display number for launch tests and the launch bench; stop() always
// kills it (by its own pid) and removes nothing else.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export interface Xvfb {
  display: string;
  pid: number;
  stop(): Promise<void>;
}

export function findOnPath(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (!dir) continue;
    const p = `${dir}/${cmd}`;
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  for (const p of [`/usr/bin/${cmd}`, `/bin/${cmd}`]) if (fs.existsSync(p)) return p;
  return null;
}

function displayFree(n: number): boolean {
  return !fs.existsSync(`/tmp/.X${n}-lock`) && !fs.existsSync(`/tmp/.X11-unix/X${n}`);
}

/** Starts Xvfb on the first free display from a random start; rejects if Xvfb is missing or never comes up. */
export async function startXvfb(): Promise<Xvfb> {
  const bin = findOnPath('Xvfb');
  if (!bin) throw new Error('Xvfb not installed');
  const start = 100 + Math.floor(Math.random() * 300);
  for (let attempt = 0; attempt < 10; attempt++) {
    const n = start + attempt * 7;
    if (!displayFree(n)) continue;
    const child: ChildProcess = spawn(
      bin,
      [`:${n}`, '-screen', '0', '1280x800x24', '-nolisten', 'tcp', '-noreset'],
      {
        stdio: 'ignore',
      },
    );
    let exited = false;
    child.once('exit', () => (exited = true));
    const socket = `/tmp/.X11-unix/X${n}`;
    const end = Date.now() + 8000;
    while (!exited && !fs.existsSync(socket) && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    if (exited || !fs.existsSync(socket)) {
      if (!exited) child.kill('SIGKILL');
      continue; // raced with another user of that display: try the next one
    }
    return {
      display: `:${n}`,
      pid: child.pid!,
      stop: () =>
        new Promise<void>((resolve) => {
          if (exited) return resolve();
          const t = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, 3000);
          child.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    };
  }
  throw new Error('could not start Xvfb on a free display');
}
