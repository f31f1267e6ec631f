// A stand-in `claude` for launch tests: a small Node script written into a temp bin dir (put first on PATH)
// that appends {argv, cwd, env, pid, ppid, startedAtMs} to <bin>/../claude-runs.jsonl — a path derived
// from its own location, not from env, so it works through terminals that reuse a running process.
// Behaviour is baked in: exit code, how long to stay, whether to ignore SIGTERM, whether to leave a
// grandchild that ignores SIGTERM too (its pid is recorded as grandchildPid).
import fs from 'node:fs';
import path from 'node:path';

export interface StandInOptions {
  exitCode?: number;
  /** Stay alive this long (ms) before exiting; default 0. */
  stayMs?: number;
  ignoreSigterm?: boolean;
  grandchild?: boolean;
  name?: string;
}

export interface StandInRun {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  pid: number;
  ppid: number;
  startedAtMs: number;
  grandchildPid?: number;
}

export interface StandIn {
  binDir: string;
  program: string;
  runsFile: string;
  runs(): StandInRun[];
  /** Resolve with the first `n` runs, or reject after timeoutMs. */
  waitForRuns(n?: number, timeoutMs?: number): Promise<StandInRun[]>;
}

export function makeStandIn(root: string, opts: StandInOptions = {}): StandIn {
  const binDir = path.join(root, 'bin');
  fs.mkdirSync(binDir, { recursive: true });
  const runsFile = path.join(root, 'claude-runs.jsonl');
  const program = path.join(binDir, opts.name ?? 'claude');
  const script = `#!${process.execPath}
'use strict';
const startedAtMs = Date.now();
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const cfg = ${JSON.stringify({ exitCode: 0, stayMs: 0, ignoreSigterm: false, grandchild: false, ...opts })};
if (cfg.ignoreSigterm) process.on('SIGTERM', () => {});
const rec = { argv: process.argv.slice(2), cwd: process.cwd(), env: process.env, pid: process.pid, ppid: process.ppid, startedAtMs };
if (cfg.grandchild) {
  const g = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
  rec.grandchildPid = g.pid;
}
fs.appendFileSync(path.join(__dirname, '..', 'claude-runs.jsonl'), JSON.stringify(rec) + '\\n');
setTimeout(() => process.exit(cfg.exitCode), cfg.stayMs);
`;
  fs.writeFileSync(program, script, { mode: 0o755 });
  const runs = (): StandInRun[] => {
    let text = '';
    try {
      text = fs.readFileSync(runsFile, 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as StandInRun);
  };
  return {
    binDir,
    program,
    runsFile,
    runs,
    async waitForRuns(n = 1, timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const r = runs();
        if (r.length >= n) return r;
        if (Date.now() > end)
          throw new Error(`stand-in claude did not run ${n} time(s) within ${timeoutMs} ms`);
        await new Promise((res) => setTimeout(res, 20));
      }
    },
  };
}

/** ~/.aws/config with a read-only profile and an elevated one chained from it. */
export const TIER_CONFIG = `[profile claudecode-readonly]
region = eu-west-2
role_arn = arn:aws:iam::111122223333:role/ClaudeReadOnly
source_profile = base
role_session_name = claude-ro

[profile claudecode-elevated]
region = eu-west-2
role_arn = arn:aws:iam::111122223333:role/ClaudeElevated
source_profile = claudecode-readonly
role_session_name = claude-el

[profile base]
region = eu-west-2
`;

/** A process that exists and is not a zombie (an unreaped zombie has already been killed). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}
