// Finding executables on PATH (the one a launch will really run) and asking them their version.
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import type { Env } from './paths';

export function which(
  cmd: string,
  env: Env = process.env,
  platform: NodeJS.Platform = process.platform,
): string | null {
  if (cmd.includes('/') || (platform === 'win32' && cmd.includes('\\'))) {
    return isExecutable(cmd) ? path.resolve(cmd) : null;
  }
  const exts = platform === 'win32' ? (env.PATHEXT || '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, cmd + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

/** Every match on PATH, in order (doctor shows when an earlier one shadows a later one). */
export function whichAll(cmd: string, env: Env = process.env): string[] {
  const out: string[] = [];
  for (const dir of (env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, cmd);
    if (isExecutable(candidate) && !out.includes(candidate)) out.push(candidate);
  }
  return out;
}

function isExecutable(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Run `<exe> <args>` and return its first output line (stdout or stderr), or null. */
export function toolVersion(
  exe: string,
  args: string[] = ['--version'],
  env: Env = process.env,
  timeoutMs = 10_000,
): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      exe,
      args,
      { env: env as NodeJS.ProcessEnv, timeout: timeoutMs, windowsHide: true },
      (err, stdout, stderr) => {
        const text = `${stdout ?? ''}\n${stderr ?? ''}`.trim();
        if (err && !text) return resolve(null);
        resolve(text.split(/\r?\n/)[0]?.trim() || null);
      },
    );
  });
}

/** Parse the AWS CLI's `aws --version` line: `aws-cli/2.9.19 Python/...`. */
export function parseAwsCliVersion(line: string | null): { major: number; version: string } | null {
  const m = line ? /aws-cli\/(\d+)\.(\d+)\.(\d+)/.exec(line) : null;
  if (!m) return null;
  return { major: Number(m[1]), version: `${m[1]}.${m[2]}.${m[3]}` };
}
