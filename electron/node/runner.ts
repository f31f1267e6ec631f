// `elevate run --session ID`: the supervised wrapper every Elevate terminal runs. It reads the session spec
// written by launcher.ts and owns the child's whole life:
//
//   env      process.env of the terminal, minus spec.env.unset, minus OVERRIDE_VARS again (a login shell in
//            Terminal.app/iTerm2 may re-export keys from rc files), minus MANAGED_VARS (tier sessions) and
//            ELECTRON_RUN_AS_NODE, plus spec.env.set; spec.env.pathPrepend goes in front of PATH (e.g. an
//            aws-call shim dir); ELEVATE_SESSION_ID and ELEVATE_TIER are set for the child and its tools.
//   creds    tier sessions get their credentials ONLY from a broker this runner starts (sessionBroker.ts,
//            broker.ts): a per-session one-profile AWS config, an empty credentials file, and a loopback
//            container-credentials endpoint whose token lives only in the child's env. The spec is treated as
//            hostile: only its tier and deadline are used (elevated: capped at 60 min from this clock; MFA code
//            asked on this terminal when the profile has mfa_serial). Linux: the broker serves only sockets
//            held by the child's own process tree.
//   banner   one line on stderr: tier, profile, account (if verified), removed names, deadline.
//   title    OSC 0 (`\x1b]0;claude-ro · PROFILE\x07`), with "N min left" for deadline sessions, refreshed
//            every minute (only when stdout is a TTY).
//   program  spec.argv[0] used as is if it is a path, else resolved on the *new* PATH; missing → 127.
//   spawn    argv array, no shell, inherited stdio, cwd = spec.cwd. pid/runnerPid/startedAt recorded.
//   signals  SIGTERM = drop: the child (and its descendants) get SIGTERM, then SIGKILL after the grace;
//            SIGHUP is forwarded; SIGINT is forwarded unless stdin is a TTY (then the terminal already
//            delivered it to the child, which shares our foreground process group — Claude treats a second
//            Ctrl-C as "exit").
//   deadline at spec.deadline (wall clock, checked at least every minute, so a suspended laptop ends the
//            session within a minute of waking): message, audit `expiry`, SIGTERM → SIGKILL after
//            spec.graceMs (default 10 s) to the child's tree AND every process carrying this session's id that
//            left it (double fork/setsid; /proc on Linux), named as `escaped` in the audit line. A spec whose
//            deadline has passed never starts; the broker refuses after the deadline on its own.
//   end      spec gets endedAt/exitCode/signal/endReason ('exit' | 'deadline' | 'dropped' | 'error'), audit
//            `session-end`; the runner returns the child's code (128+n for signal n).
//
// A spec runs once: a started, ended or dropped spec is refused. dropSession() (the CLI's
// `elevate sessions drop` and the app's "drop elevation") signals the runner and falls back to killing
// the recorded pids if the runner is gone.
// Size (over ~600 lines, on purpose): one process lifecycle — spec trust, env, the aws shim, the broker's
// start, the child, signals, the deadline kill of the group and of escaped descendants, session end — kept
// in one file so its ordering can be read top to bottom; the broker side lives in sessionBroker.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { MANAGED_VARS, OVERRIDE_VARS } from '../../shared/env';
import { setupBroker, snapshotHash, type SessionBroker } from './sessionBroker';
import { readPlanAsync } from './planWatcher';
import { procDescendants, treeBelow } from './broker';
import { safeErrorMessage } from './safeError';
import { quoteCmd } from '../../shared/quote';
import { shimEnvForRun } from './activity';
import { appendAudit } from './audit';
import { isLive, readSession, sessionPath, updateSession, type SessionSpec } from './sessions';
import { which } from './which';
import type { Env } from './paths';

export const DEFAULT_GRACE_MS = 10_000;

type Timer = unknown;

export interface RunnerDeps {
  env: Env;
  now(): Date;
  setTimeout(fn: () => void, ms: number): Timer;
  clearTimeout(t: Timer): void;
  spawn: typeof nodeSpawn;
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  stdinIsTTY: boolean;
  /**
   * After an abnormal end (error, deadline, drop): keep the window open so the message can be read. The
   * default restores the tty (`stty sane`: a killed child may leave it raw) and waits for a key when stdin is
   * a TTY (at most 10 min); otherwise it returns at once.
   */
  holdOpen(): Promise<void>;
  /** Subscribe to a signal of this process; returns the unsubscribe function. */
  onSignal(sig: NodeJS.Signals, handler: () => void): () => void;
  /** Send a signal to a pid (tests may observe it). */
  kill(pid: number, sig: NodeJS.Signals): void;
  /** Descendant pids of a process (the child's tools), for ending the whole tree. */
  descendants(pid: number): number[];
  /**
   * Every process that carries this session's id in its environment (ELEVATE_SESSION_ID), including ones
   * that left the child's tree (double fork, setsid): found by walking /proc on Linux; [] elsewhere.
   */
  sessionMembers(sessionId: string): number[];
  platform: NodeJS.Platform;
  pid: number;
  /**
   * Ask the human for the MFA code of an elevated start, on the runner's own terminal: one line from stdin
   * (null at end of input or after `timeoutMs`). The code goes to STS once and is never stored.
   */
  askLine(prompt: string, timeoutMs: number): Promise<string | null>;
}

export function defaultRunnerDeps(): RunnerDeps {
  return {
    env: process.env,
    now: () => new Date(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout),
    spawn: nodeSpawn,
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    holdOpen,
    onSignal: (sig, handler) => {
      process.on(sig, handler);
      return () => process.off(sig, handler);
    },
    kill: (pid, sig) => {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    },
    descendants,
    sessionMembers,
    platform: process.platform,
    pid: process.pid,
    askLine,
  };
}

/** Lines typed ahead (a pipe may deliver several at once) and whether stdin ended. */
const stdinState = { buf: '', ended: false };

/** One line from this process's stdin (the runner's terminal), or null at EOF / timeout. */
function askLine(prompt: string, timeoutMs: number): Promise<string | null> {
  process.stderr.write(prompt);
  // On a terminal the code is not echoed (it is still a secret until STS has used it).
  const tty = Boolean(process.stdin.isTTY) && process.platform !== 'win32';
  const stty = (arg: string) => {
    try {
      execFileSync('stty', [arg], { stdio: 'inherit', timeout: 2000 });
    } catch {
      /* best effort */
    }
  };
  if (tty) stty('-echo');
  const restore = <T>(v: T): T => {
    if (tty) {
      stty('echo');
      process.stderr.write('\n');
    }
    return v;
  };
  const take = (): string | null | undefined => {
    const i = stdinState.buf.indexOf('\n');
    if (i >= 0) {
      const line = stdinState.buf.slice(0, i).trim();
      stdinState.buf = stdinState.buf.slice(i + 1);
      return line;
    }
    if (stdinState.ended) {
      const rest = stdinState.buf.trim();
      stdinState.buf = '';
      return rest || null;
    }
    return undefined;
  };
  const now = take();
  if (now !== undefined) return Promise.resolve(restore(now));
  return new Promise((resolve) => {
    const finish = (v: string | null) => {
      clearTimeout(t);
      process.stdin.off('data', onData);
      process.stdin.off('end', onEnd);
      process.stdin.pause();
      resolve(restore(v));
    };
    const onData = (b: Buffer) => {
      stdinState.buf += b.toString('utf8');
      const v = take();
      if (v !== undefined) finish(v);
    };
    const onEnd = () => {
      stdinState.ended = true;
      finish(take() ?? null);
    };
    const t = setTimeout(() => finish(null), timeoutMs);
    process.stdin.on('data', onData);
    process.stdin.once('end', onEnd);
    process.stdin.resume();
  });
}

/** Processes whose environment names this session (Linux: /proc/<pid>/environ of our own processes). */
export function sessionMembers(sessionId: string): number[] {
  if (process.platform !== 'linux') return [];
  const needle = Buffer.from(`\0ELEVATE_SESSION_ID=${sessionId}\0`);
  const first = Buffer.from(`ELEVATE_SESSION_ID=${sessionId}\0`);
  const out: number[] = [];
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  for (const n of names) {
    if (!/^\d+$/.test(n)) continue;
    const pid = Number(n);
    if (pid === process.pid) continue;
    try {
      const env = fs.readFileSync(`/proc/${n}/environ`);
      if (env.includes(needle) || env.subarray(0, first.length).equals(first)) out.push(pid);
    } catch {
      /* gone, or not ours */
    }
  }
  return out;
}

/** Every descendant of pid (children first), from `ps`; [] where ps is unavailable. */
export function descendants(pid: number): number[] {
  if (process.platform === 'win32') return [];
  let text: string;
  try {
    text = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8', timeout: 3000 });
  } catch {
    return [];
  }
  const kids = new Map<number, number[]>();
  for (const line of text.split('\n')) {
    const [p, pp] = line.trim().split(/\s+/).map(Number);
    if (!p || pp === undefined || Number.isNaN(pp)) continue;
    const list = kids.get(pp) ?? [];
    list.push(p);
    kids.set(pp, list);
  }
  return treeBelow(kids, pid);
}

function holdOpen(): Promise<void> {
  if (!process.stdin.isTTY) return Promise.resolve();
  if (process.platform !== 'win32') {
    try {
      execFileSync('stty', ['sane'], { stdio: 'inherit', timeout: 2000 });
    } catch {
      /* best effort */
    }
  }
  process.stderr.write('elevate: press Enter to close this window\n');
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      process.stdin.pause();
      resolve();
    };
    const t = setTimeout(done, 600_000);
    process.stdin.once('data', done);
    process.stdin.resume();
  });
}

/**
 * How to start the program: directly (argv, no shell), except Windows batch files (`claude.cmd` from npm),
 * which Node only starts through cmd.exe: then one verbatim line, every piece quoted with quoteCmd (which
 * refuses newlines, so a multi-line prompt fails clearly instead of being cut).
 */
export function spawnPlan(
  resolved: string,
  args: readonly string[],
  platform: NodeJS.Platform = process.platform,
  comspec = 'cmd.exe',
): { file: string; args: string[]; windowsVerbatimArguments: boolean } {
  if (platform === 'win32' && /\.(cmd|bat)$/i.test(resolved)) {
    const line = [resolved, ...args].map(quoteCmd).join(' ');
    return { file: comspec, args: ['/d', '/s', '/c', `"${line}"`], windowsVerbatimArguments: true };
  }
  return { file: resolved, args: [...args], windowsVerbatimArguments: false };
}

/** Why a file or directory cannot be trusted (group/world-writable, or someone else's), or null. */
function unsafeStat(what: string, st: fs.Stats): string | null {
  if (st.mode & 0o022) return `${what} is writable by other users (mode ${(st.mode & 0o777).toString(8)})`;
  if (typeof process.getuid === 'function' && st.uid !== process.getuid())
    return `${what} belongs to another user (uid ${st.uid})`;
  return null;
}

/** Why a spec file cannot be trusted (group/world-writable, or someone else's), or null. POSIX only. */
export function unsafeSpecFile(file: string, platform: NodeJS.Platform = process.platform): string | null {
  if (platform === 'win32') return null;
  return unsafeStat(file, fs.statSync(file));
}

/**
 * Read a session spec for running it. The spec decides what runs with the tier's credentials, so on POSIX
 * it is trusted only if the sessions directory and the file are the user's own and writable by no one else,
 * and the file is not a symlink; the checks and the read use ONE descriptor (no swap between check and read).
 */
export function readTrustedSpec(
  id: string,
  env: Env,
  platform: NodeJS.Platform = process.platform,
): { spec: SessionSpec } | { refused: string } {
  const file = sessionPath(id, env);
  if (platform !== 'win32') {
    const dir = path.dirname(file);
    let why: string | null;
    try {
      why = unsafeStat(dir, fs.statSync(dir));
    } catch {
      why = null; // missing: the open below says so
    }
    if (why) return { refused: why };
  }
  let fd: number;
  try {
    fd = fs.openSync(
      file,
      fs.constants.O_RDONLY | (platform === 'win32' ? 0 : (fs.constants.O_NOFOLLOW ?? 0)),
    );
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { refused: `${file} is a symbolic link` };
    throw new Error(`no session "${id}" (looked for ${file})`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { refused: `${file} is not a regular file` };
    if (platform !== 'win32') {
      const why = unsafeStat(file, st);
      if (why) return { refused: why };
    }
    return { spec: JSON.parse(fs.readFileSync(fd, 'utf8')) as SessionSpec };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Claim a spec for this runner, once: an exclusive-create marker next to it. A second `elevate run` of the
 * same id (even one racing this one before startedAt is recorded) finds the marker and refuses.
 */
export function claimSpec(id: string, env: Env): boolean {
  const marker = sessionPath(id, env).replace(/\.json$/, '.claim');
  try {
    fs.closeSync(fs.openSync(marker, 'wx', 0o600));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

export interface RunEnv {
  env: Record<string, string>;
  /** Names removed from this process's env (launch-time unset list + override vars found again). */
  removed: string[];
}

/** The child's env from the runner's own env and the spec (pure). */
export function buildRunEnv(
  spec: SessionSpec,
  baseEnv: Env,
  platform: NodeJS.Platform = process.platform,
): RunEnv {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(baseEnv)) if (v !== undefined) env[k] = v;
  const removed: string[] = [];
  const drop = (name: string, report: boolean) => {
    if (Object.hasOwn(env, name)) {
      delete env[name];
      if (report && !removed.includes(name)) removed.push(name);
    }
  };
  for (const name of spec.env.unset) drop(name, true);
  for (const name of Object.keys(OVERRIDE_VARS)) drop(name, true);
  // Tier sessions: the tier decides profile/region/Bedrock, as buildLaunchEnv does at launch. Tier-less
  // sessions (an operator's SSM session) keep the user's own values unless the spec sets them.
  if (spec.tier) for (const name of MANAGED_VARS) drop(name, false);
  drop('ELECTRON_RUN_AS_NODE', false);
  // Plan scope is the runner's to say (its broker env sets it for a plan-scoped elevation), never inherited.
  drop('ELEVATE_PLAN_ACTIONS', false);
  for (const [k, v] of Object.entries(spec.env.set)) {
    if (Object.hasOwn(OVERRIDE_VARS, k)) continue; // never re-added, whatever the spec says
    if (k === 'ELEVATE_PLAN_ACTIONS') continue; // the runner's own (plan-scoped broker), never the spec's
    env[k] = v;
  }
  const prepend = spec.env.pathPrepend ?? [];
  if (prepend.length) {
    const sep = platform === 'win32' ? ';' : ':';
    env.PATH = [...prepend, ...(env.PATH ? [env.PATH] : [])].join(sep);
  }
  env.ELEVATE_SESSION_ID = spec.id;
  if (spec.tier) env.ELEVATE_TIER = spec.tier;
  removed.sort();
  return { env, removed };
}

/** argv[0] as a path if it has a separator, else looked up on the child's PATH. */
export function resolveProgram(
  program: string,
  env: Env,
  platform: NodeJS.Platform = process.platform,
): string | null {
  return which(program, env, platform);
}

function hhmm(d: Date): string {
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export function minutesLeft(deadline: Date, now: Date): number {
  return Math.max(0, Math.ceil((deadline.getTime() - now.getTime()) / 60_000));
}

export function titleFor(spec: SessionSpec, now: Date): string {
  const clean = spec.title.replace(/[\x00-\x1f\x7f]/g, ' ');
  if (!spec.deadline) return clean;
  return `${clean} · ${minutesLeft(new Date(spec.deadline), now)} min left`;
}

export function bannerFor(spec: SessionSpec, removed: string[], now: Date): string {
  const parts = [`elevate · ${spec.tier ?? spec.kind}`];
  if (spec.profile) parts.push(`profile ${spec.profile}`);
  if (spec.account) parts.push(`account ${spec.account}`);
  parts.push(removed.length ? `removed ${removed.join(', ')}` : 'nothing removed from the env');
  if (spec.deadline) {
    const d = new Date(spec.deadline);
    parts.push(`ends at ${hhmm(d)} (${minutesLeft(d, now)} min), ${d.toISOString()}`);
  }
  return parts.join(' · ');
}

function signalExitCode(signal: NodeJS.Signals | null): number {
  const n = signal ? os.constants.signals[signal] : undefined;
  return n ? 128 + n : 1;
}

/** Run a session spec to its end; returns the exit code for the runner process. */
export function runSession(id: string, partial: Partial<RunnerDeps> = {}): Promise<number> {
  const d: RunnerDeps = { ...defaultRunnerDeps(), ...partial };
  const env = d.env;
  const say = (s: string) => d.stderr.write(`${s}\n`);
  // The spec decides what runs with the tier's credentials: only a file the user alone can write is trusted.
  const read = readTrustedSpec(id, env, d.platform);
  if ('refused' in read) {
    say(`elevate: refusing session ${id}: ${read.refused}`);
    return Promise.resolve(1);
  }
  const spec = read.spec;
  if (spec.id !== id) {
    say(`elevate: refusing session ${id}: the spec names session ${JSON.stringify(spec.id)}`);
    return Promise.resolve(1);
  }
  const auditBase = { tier: spec.tier ?? undefined, profile: spec.profile ?? undefined, sessionId: spec.id };
  const fail = (code: number, message: string, patch: Partial<SessionSpec> = {}) => {
    say(`elevate: ${message}`);
    updateSession(id, { endedAt: d.now().toISOString(), endReason: 'error', ...patch }, env);
    return d.holdOpen().then(() => code);
  };

  const over = (s: SessionSpec) => Boolean(s.startedAt || s.endedAt || s.dropRequestedAt);
  // Claimed, then read again: a drop recorded between the first read and the claim is seen.
  if (over(spec) || !claimSpec(id, env) || over(readSession(id, env))) {
    say(`elevate: session ${id} has already run or was dropped; launch a new one`);
    return Promise.resolve(1);
  }
  let deadline = spec.deadline ? new Date(spec.deadline) : null;
  if (deadline && Number.isNaN(deadline.getTime())) return fail(1, `session ${id}: invalid deadline`);
  if (deadline && d.now() >= deadline) {
    appendAudit({ type: 'expiry', ...auditBase, before: 'start' }, env, d.now());
    return fail(1, `elevation window of session ${id} ended at ${deadline.toISOString()}; not starting`, {
      endReason: 'deadline',
    });
  }
  let cwdOk = false;
  try {
    cwdOk = fs.statSync(spec.cwd).isDirectory();
  } catch {
    /* missing */
  }
  if (!cwdOk) return fail(1, `working directory ${JSON.stringify(spec.cwd)} does not exist`);
  if (!spec.argv.length) return fail(1, `session ${id} has no command`);

  const run = buildRunEnv(spec, env, d.platform);
  // The aws activity shim goes first on the child's PATH; the real aws is found on this PATH before (activity.ts).
  Object.assign(run.env, shimEnvForRun(spec, run.env, d.platform));
  const program = spec.argv[0]!;
  let resolved = resolveProgram(program, run.env, d.platform);
  if (!resolved && path.isAbsolute(program))
    resolved = resolveProgram(path.basename(program), run.env, d.platform);
  if (!resolved) {
    const name = path.basename(program);
    return fail(
      127,
      `${name} not found (${program.includes('/') ? program : `not on PATH: ${run.env.PATH ?? ''}`}); ` +
        (name === 'claude'
          ? 'install Claude Code (https://docs.anthropic.com/claude-code) or set "claudePath" in Elevate settings'
          : 'install it or fix the command'),
      { exitCode: 127 },
    );
  }

  // What was removed at launch (the terminal may never have seen it) and what this shell had re-added.
  say(bannerFor(spec, [...new Set([...spec.env.unset, ...run.removed])].sort(), d.now()));
  const setTitle = () => {
    if (d.stdout.isTTY) d.stdout.write(`\x1b]0;${titleFor(spec, d.now())}\x07`);
  };
  setTitle();

  // The session's credential broker (sessionBroker.ts): set up before the child exists, from this process's
  // own env; the spec only says which tier and until when (capped).
  let broker: SessionBroker | null = null;
  let brokerEnded: string | null = null;
  let childPid: number | undefined;
  const brokerReady = setupBroker(spec, {
    env,
    now: d.now,
    say,
    askLine: d.askLine,
    ended: () => brokerEnded,
    tree: () =>
      childPid
        ? [childPid, ...(d.platform === 'linux' ? procDescendants(childPid) : d.descendants(childPid))]
        : [],
  }).then(
    (b) => {
      broker = b;
      return null;
    },
    (e: unknown) => `cannot set up the session's AWS credentials: ${safeErrorMessage(e)}`,
  );
  return brokerReady.then((problem) => {
    if (problem) {
      if (spec.tier === 'elevated')
        appendAudit({ type: 'elevation-refused', ...auditBase, reason: problem }, env, d.now());
      return fail(1, problem);
    }
    if (broker) {
      Object.assign(run.env, broker.env);
      for (const n of broker.notes) say(`elevate: ${n}`);
      if (broker.deadline) deadline = broker.deadline;
    }
    return supervise();
  });

  function supervise(): Promise<number> {
    return new Promise<number>((resolve) => {
      let child: ChildProcess;
      let ending: 'deadline' | 'dropped' | null = null;
      let tickTimer: Timer | null = null;
      let killTimer: Timer | null = null;
      let doomed: number[] = [];
      const grace = spec.graceMs ?? DEFAULT_GRACE_MS;
      const unsubs: Array<() => void> = [];
      const cleanup = () => {
        if (tickTimer) d.clearTimeout(tickTimer);
        planWatch?.close();
        if (killTimer) d.clearTimeout(killTimer);
        for (const u of unsubs) u();
      };

      // The child, its descendants, and every process carrying this session's id that left the tree
      // (double fork / setsid): the latter are named in the audit line ("escaped").
      const members = () => d.sessionMembers(id).filter((p) => p !== d.pid);
      const terminate = (reason: 'deadline' | 'dropped'): number[] => {
        if (ending) return [];
        ending = reason;
        const pid = child.pid;
        if (!pid) return [];
        const tree = [pid, ...d.descendants(pid)];
        const escaped = members().filter((p) => !tree.includes(p));
        doomed = [...tree, ...escaped];
        for (const p of doomed) d.kill(p, 'SIGTERM');
        killTimer = d.setTimeout(() => {
          killTimer = null;
          const more = child.exitCode === null && child.signalCode === null ? d.descendants(pid) : [];
          const late = members();
          doomed = [...new Set([...doomed, ...more, ...late])];
          for (const p of doomed) d.kill(p, 'SIGKILL');
        }, grace);
        if (reason === 'dropped' && escaped.length)
          appendAudit({ type: 'drop-kill', ...auditBase, escaped }, env, d.now());
        return escaped;
      };

      const expire = () => {
        if (ending) return;
        say(
          `\nelevate: the elevation window ended at ${deadline!.toISOString()}; stopping ${path.basename(program)} ` +
            `(SIGTERM now, SIGKILL in ${Math.round(grace / 1000)} s). Launch read-only again to continue.`,
        );
        const escaped = terminate('deadline');
        appendAudit(
          { type: 'expiry', ...auditBase, pid: child.pid, ...(escaped.length ? { escaped } : {}) },
          env,
          d.now(),
        );
      };

      // A handoff session executes its approved snapshot; an edit of plan.md afterwards is told to the human
      // here and audited once (it changes nothing the session executes).
      let planWatch: fs.FSWatcher | null = null;
      const watchPlan = () => {
        const approved = spec.tier === 'elevated' ? snapshotHash(spec, env) : null;
        if (!approved) return;
        let told = false;
        try {
          planWatch = fs.watch(spec.cwd, { persistent: false }, (_e, name) => {
            if (told || (name !== null && String(name) !== 'plan.md')) return;
            void readPlanAsync(spec.cwd).then((r) => {
              const now = r.kind === 'plan' ? r.plan.hash : null;
              if (told || now === approved) return;
              told = true;
              say(
                `\nelevate: plan.md changed after approval (approved sha256 ${approved.slice(0, 12)}, now ${now ? now.slice(0, 12) : 'unreadable'}); this session executes the approved copy, not plan.md`,
              );
              appendAudit(
                { type: 'plan-changed-after-launch', ...auditBase, planHash: approved, currentHash: now },
                env,
                d.now(),
              );
            });
          });
          planWatch.on('error', () => planWatch?.close());
        } catch {
          /* no watching here: the app's plan watcher still audits (approval-void with afterLaunch) */
        }
      };

      const tick = () => {
        tickTimer = null;
        if (!deadline || ending) return;
        const left = deadline.getTime() - d.now().getTime();
        if (left <= 0) return expire();
        setTitle();
        tickTimer = d.setTimeout(tick, Math.min(left, ((left - 1) % 60_000) + 1));
      };

      try {
        const plan = spawnPlan(resolved!, spec.argv.slice(1), d.platform, run.env.ComSpec ?? 'cmd.exe');
        child = d.spawn(plan.file, plan.args, {
          cwd: spec.cwd,
          env: run.env as NodeJS.ProcessEnv,
          stdio: 'inherit',
          windowsVerbatimArguments: plan.windowsVerbatimArguments,
        });
      } catch (e) {
        void fail(126, `cannot start ${resolved}: ${(e as Error).message}`).then(resolve);
        return;
      }

      child.once('error', (e) => {
        cleanup();
        void fail(126, `cannot start ${resolved}: ${e.message}`).then(resolve);
      });

      child.once('spawn', () => {
        childPid = child.pid;
        updateSession(
          id,
          { pid: child.pid, runnerPid: d.pid, startedAt: d.now().toISOString(), resolvedProgram: resolved },
          env,
        );
        tick();
        watchPlan();
      });

      unsubs.push(
        d.onSignal('SIGTERM', () => {
          if (ending) return;
          say('\nelevate: session dropped; stopping the child');
          terminate('dropped');
        }),
        d.onSignal('SIGHUP', () => {
          if (child.pid) d.kill(child.pid, 'SIGHUP');
        }),
        d.onSignal('SIGINT', () => {
          if (!d.stdinIsTTY && child.pid) d.kill(child.pid, 'SIGINT');
        }),
      );

      child.once('exit', (code, signal) => {
        const finish = () => {
          cleanup();
          brokerEnded = `session ${id} ended`;
          void broker?.close();
          const exitCode = code ?? signalExitCode(signal);
          const endReason = ending ?? 'exit';
          updateSession(id, { endedAt: d.now().toISOString(), exitCode: code, signal, endReason }, env);
          appendAudit(
            { type: 'session-end', ...auditBase, endReason, exitCode: code, signal: signal ?? undefined },
            env,
            d.now(),
          );
          if (endReason === 'deadline') say('elevate: elevated session ended at its deadline.');
          if (endReason === 'dropped') say('elevate: session dropped.');
          if (endReason === 'exit') resolve(exitCode);
          else void d.holdOpen().then(() => resolve(exitCode));
        };
        // Tools the child left behind get the rest of the grace, then SIGKILL.
        if (ending && killTimer) {
          const alive = () => doomed.slice(1).some((p) => pidAlive(p)) || members().some((p) => pidAlive(p));
          if (!alive()) {
            finish();
            return;
          }
          const poll = () => {
            if (!killTimer || !alive()) {
              for (const p of [...doomed.slice(1), ...members()]) if (pidAlive(p)) d.kill(p, 'SIGKILL');
              finish();
            } else d.setTimeout(poll, 100);
          };
          poll();
        } else finish();
      });
    });
  }
}

/** Exists and is not a zombie (a killed orphan may wait a while for its new parent to reap it). */
function pidAlive(pid: number): boolean {
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

/** When a process started (ms since the epoch, 1 s resolution) from `ps`; null when unknown. */
export function processStartMs(pid: number): number | null {
  if (process.platform === 'win32') return null;
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      timeout: 3000,
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const t = Date.parse(out);
    return Number.isFinite(t) ? t : null;
  } catch {
    return null;
  }
}

/**
 * Whether a pid recorded at `startedAt` still names that process: one that started later is a reuse of the
 * number (the runner died without recording its end, the machine rebooted…) and must never be signalled.
 */
export function sameProcess(pid: number, startedAt: string | undefined): boolean {
  const recorded = Date.parse(startedAt ?? '');
  if (!Number.isFinite(recorded)) return true;
  const started = processStartMs(pid);
  return started === null || started <= recorded + 2000;
}

export interface DropResult {
  spec: SessionSpec;
  /** The runner did not end the session within the grace: pids were killed directly. */
  forced: boolean;
}

/**
 * End a live session early ("drop elevation"): records the request, appends an audit `drop` line and sends
 * SIGTERM to the runner, which ends its child (SIGKILL after the grace). If the runner has not recorded the
 * end within grace + 2 s, the recorded pids get SIGKILL and the spec is closed here.
 */
export async function dropSession(
  id: string,
  opts: { env?: Env; now?: () => Date; by?: string; pollMs?: number } = {},
): Promise<DropResult> {
  const env = opts.env ?? process.env;
  const now = opts.now ?? (() => new Date());
  const spec = readSession(id, env);
  if (!isLive(spec)) throw new Error(`session ${id} is not running`);
  updateSession(id, { dropRequestedAt: now().toISOString() }, env);
  appendAudit(
    {
      type: 'drop',
      tier: spec.tier ?? undefined,
      profile: spec.profile ?? undefined,
      sessionId: id,
      by: opts.by,
    },
    env,
    now(),
  );
  if (!spec.runnerPid || !sameProcess(spec.runnerPid, spec.startedAt)) {
    // Written but never started (the runner will refuse it now), or a stale spec whose runner pid now
    // belongs to some other process: close it without signalling anything.
    const s = updateSession(id, { endedAt: now().toISOString(), endReason: 'dropped' }, env);
    return { spec: s, forced: false };
  }
  try {
    process.kill(spec.runnerPid, 'SIGTERM');
  } catch {
    /* gone: handled below */
  }
  const limit = Date.now() + (spec.graceMs ?? DEFAULT_GRACE_MS) + 2000;
  const poll = opts.pollMs ?? 100;
  while (Date.now() < limit) {
    const cur = readSession(id, env);
    if (cur.endedAt) return { spec: cur, forced: false };
    if (!pidAlive(spec.runnerPid)) break;
    await new Promise((r) => setTimeout(r, poll));
  }
  const cur = readSession(id, env);
  if (cur.endedAt) return { spec: cur, forced: false };
  for (const p of [spec.pid, spec.runnerPid]) {
    if (p && pidAlive(p) && sameProcess(p, spec.startedAt)) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
  const s = updateSession(id, { endedAt: now().toISOString(), endReason: 'dropped' }, env);
  return { spec: s, forced: true };
}
