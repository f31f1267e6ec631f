// Session specs ($ELEVATE_HOME/sessions/<id>.json, mode 0600): what a terminal launched by Elevate must
// run. The terminal only ever receives `<elevate> run --session <id>`; everything else is read from here.
// No secrets: env values set here are profile names, regions and model ids.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Tier } from '../../shared/types';
import { writeFileAtomic } from './atomicFile';
import { files, type Env } from './paths';

export const SESSION_ID_RE = /^[a-z0-9][a-z0-9-]{7,63}$/;

export interface SessionSpec {
  id: string;
  /** claude: Claude Code; ssm: an SSM session to the workstation; command: anything else. */
  kind: 'claude' | 'ssm' | 'command';
  tier: Tier | null;
  profile: string | null;
  cwd: string;
  /** Program and arguments, exactly (argv[0] resolved by `elevate run` on PATH if not absolute). */
  argv: string[];
  /** Variables to set and names to remove, as decided by the core's env builder at launch time. */
  env: {
    set: Record<string, string>;
    unset: string[];
    /** Directories put in front of PATH by `elevate run` (e.g. an aws-call shim). */
    pathPrepend?: string[];
  };
  title: string;
  createdAt: string;
  /** ISO time at which `elevate run` ends the child (elevated sessions). */
  deadline?: string;
  /** Claude session id being resumed, if any. */
  resumeId?: string;
  /**
   * Elevated handoff sessions: `plan` = the runner limits the AssumeRole to the actions of the session's
   * plan snapshot (shown at the MFA prompt); `full`/absent = the whole elevated role until the deadline.
   */
  planScope?: 'plan' | 'full';
  /** Account verified at launch, shown in the banner. */
  account?: string;
  terminal?: string;
  /** Filled in by `elevate run`. */
  pid?: number;
  runnerPid?: number;
  startedAt?: string;
  endedAt?: string;
  exitCode?: number | null;
  signal?: string | null;
  endReason?: 'exit' | 'deadline' | 'dropped' | 'error';
  /** SIGTERM → SIGKILL grace used by `elevate run` at the deadline or on drop (default 10 000 ms). */
  graceMs?: number;
  /** Set by dropSession() before it signals the runner. */
  dropRequestedAt?: string;
  [key: string]: unknown;
}

export function newSessionId(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:TZ.]/g, '')
    .slice(0, 14);
  return `${stamp}-${crypto.randomBytes(4).toString('hex')}`;
}

export function sessionPath(id: string, env: Env = process.env): string {
  if (!SESSION_ID_RE.test(id)) throw new Error(`invalid session id "${id}"`);
  return path.join(files.sessions(env), `${id}.json`);
}

export function writeSession(spec: SessionSpec, env: Env = process.env): string {
  const file = sessionPath(spec.id, env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, `${JSON.stringify(spec, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}

export function readSession(id: string, env: Env = process.env): SessionSpec {
  const file = sessionPath(id, env);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`no session "${id}" (looked for ${file})`);
  }
  return JSON.parse(text) as SessionSpec;
}

export function updateSession(id: string, patch: Partial<SessionSpec>, env: Env = process.env): SessionSpec {
  const spec = { ...readSession(id, env), ...patch, id };
  writeSession(spec, env);
  return spec;
}

export function listSessions(env: Env = process.env): SessionSpec[] {
  let names: string[];
  try {
    names = fs.readdirSync(files.sessions(env));
  } catch {
    return [];
  }
  const out: SessionSpec[] = [];
  for (const n of names) {
    if (!n.endsWith('.json')) continue;
    try {
      out.push(readSession(n.slice(0, -5), env));
    } catch {
      /* skip unreadable */
    }
  }
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** A spec whose terminal has not started `elevate run` within this time is treated as never started. */
export const PENDING_START_MS = 120_000;

/** A session whose runner or child process is still alive (or that was written moments ago). */
export function isLive(spec: SessionSpec, now: Date = new Date()): boolean {
  if (spec.endedAt) return false;
  const pid = spec.runnerPid ?? spec.pid;
  if (!pid) {
    if (spec.startedAt) return false;
    const age = now.getTime() - Date.parse(spec.createdAt);
    return !(age > PENDING_START_MS); // written but not yet started (a terminal that never ran it ages out)
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
