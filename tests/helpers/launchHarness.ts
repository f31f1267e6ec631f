// Real launches for the e2e test and bench/launch.bench.mjs: a sandbox (HOME, ELEVATE_HOME, AWS files),
// a stand-in `claude` first on PATH, a hostile project dir, and `elevate launch … --terminal T` run as a
// real CLI process on a given X display. Times are taken from just before the CLI is spawned to the
// stand-in's first line of code (its own Date.now()).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeStandIn, TIER_CONFIG, type StandIn, type StandInOptions, type StandInRun } from './standin';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(REPO_ROOT, 'bin', 'elevate.cjs');

export const OVERRIDES: Record<string, string> = {
  AWS_ACCESS_KEY_ID: 'AKIAPARENTKEY0000000',
  AWS_SECRET_ACCESS_KEY: 'parent-secret',
  AWS_SESSION_TOKEN: 'parent-token',
  AWS_DEFAULT_PROFILE: 'parent-default',
};

/** A project dir name with spaces, quotes, $(…), backticks, unicode and (where allowed) a newline. */
export function hostileName(withNewline = true): string {
  return `proj it's "q" $(touch pwned) \`touch pwned\` ü 🚀${withNewline ? '\nline2' : ''}`;
}

export interface LaunchFixture {
  root: string;
  project: string;
  standIn: StandIn;
  env: Record<string, string>;
  cleanup(): void;
}

export function launchFixture(display: string, standInOpts: StandInOptions = {}): LaunchFixture {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'elevate-e2e-'));
  const home = path.join(root, 'home');
  fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
  fs.writeFileSync(path.join(home, '.aws', 'config'), TIER_CONFIG);
  fs.writeFileSync(path.join(home, '.aws', 'credentials'), '');
  const parent = path.join(root, 'work');
  fs.mkdirSync(parent);
  let project = path.join(parent, hostileName(true));
  try {
    fs.mkdirSync(project);
  } catch {
    project = path.join(parent, hostileName(false));
    fs.mkdirSync(project);
  }
  const standIn = makeStandIn(path.join(root, 'standin'), standInOpts);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('AWS_') && !k.startsWith('CLAUDE') && !k.startsWith('ELEVATE_'))
      env[k] = v;
  }
  Object.assign(env, {
    HOME: home,
    ELEVATE_HOME: path.join(root, 'elevate'),
    CLAUDE_CONFIG_DIR: path.join(home, '.claude'),
    AWS_CONFIG_FILE: path.join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_RUNTIME_DIR: fs.mkdtempSync(path.join(root, 'run-')),
    DISPLAY: display,
    PATH: `${standIn.binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    ...OVERRIDES,
  });
  delete env.TERMINAL;
  delete env.WAYLAND_DISPLAY;
  return { root, project, standIn, env, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export interface LaunchOnce {
  status: number | null;
  stdout: string;
  stderr: string;
  json: { sessionId: string; terminal: string; removed: Array<{ name: string }>; argv: string[] } | null;
  run: StandInRun;
  /** ms from spawning `elevate launch` to the stand-in starting. */
  ms: number;
}

/** `elevate launch readonly --terminal T …` and wait for the stand-in's run number n (1-based). */
export async function launchOnce(
  f: LaunchFixture,
  terminal: string,
  extra: string[],
  n: number,
  timeoutMs = 20_000,
): Promise<LaunchOnce> {
  const t0 = Date.now();
  const child = spawn(
    process.execPath,
    [CLI, 'launch', 'readonly', '--terminal', terminal, '--cwd', f.project, '--json', ...extra],
    { env: f.env, stdio: ['ignore', 'pipe', 'pipe'], cwd: f.root },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const status = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  let json: LaunchOnce['json'] = null;
  try {
    json = JSON.parse(stdout) as LaunchOnce['json'];
  } catch {
    /* reported by the caller */
  }
  if (status !== 0) throw new Error(`elevate launch exited ${status}: ${stderr}${stdout}`);
  const runs = await f.standIn.waitForRuns(n, timeoutMs);
  const run = runs[n - 1]!;
  return { status, stdout, stderr, json, run, ms: run.startedAtMs - t0 };
}

/** Spawning the stand-in directly (the peer the launch time is compared with). */
export async function directOnce(f: LaunchFixture, n: number): Promise<number> {
  const t0 = Date.now();
  const r = spawnSync(f.standIn.program, ['direct'], { env: f.env, cwd: f.project });
  if (r.status !== 0) throw new Error(`stand-in failed: ${r.stderr}`);
  const runs = await f.standIn.waitForRuns(n, 5000);
  return runs[n - 1]!.startedAtMs - t0;
}

/** Paths of files named exactly `pwned` under dir (recursive). */
export function findPwned(dir: string, depth = 6): string[] {
  const out: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.name === 'pwned') out.push(p);
    if (e.isDirectory() && depth > 0) out.push(...findPwned(p, depth - 1));
  }
  return out;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
