// launchSession(): the one way Elevate opens a terminal. It decides everything up front (env, argv,
// deadline), writes it to a session spec ($ELEVATE_HOME/sessions/<id>.json, 0600, no secrets), and opens a
// terminal that runs only `<self> run --session <id>` — an id, never user data (runner.ts does the rest).
//
// For other features:
//   - Handoff (issue 5): launchSession({tier: 'elevated', cwd, resumeId, prompt, deadline}) →
//     `claude --resume <id> <prompt>`; resumeId must look like a session id, so a prompt can never land
//     in `--resume`. Elevated launches get a deadline (settings.elevation.defaultMinutes) unless given.
//   - Elevated sessions: go through elevatedLaunch.ts (the one elevation transaction). Credentials of every
//     tier session come from its runner's broker (sessionBroker.ts), never from the spec.
//   - SSM workstation (issue 6): kind 'ssm' with argv ['aws', 'ssm', 'start-session', …] (argv[0] is
//     resolved on PATH here, so a missing `aws` fails before any window opens), title as wanted; tier may be
//     null for an operator session (then no AWS env is applied; pass extraSet for AWS_PROFILE etc.).
//   - aws-call shim (issue 8): pathPrepend [dir] is put in front of PATH by the runner for the child; the
//     child (and so the shim) sees ELEVATE_SESSION_ID and ELEVATE_TIER.
//   - Claude sessions get one `claude --settings <json>` (sessionSettings.ts): env overrides, the ~/.aws /
//     state / other-session denies and the Elevate hooks + status line; never the user's files.
//   - Main glue (tray/window): pass `self: selfCommand({packaged: app.isPackaged, …})`; the CLI uses
//     currentSelfCommand(). Listing/dropping: sessions.listSessions/isLive, runner.dropSession(id).
// Returns {spec, specPath, terminal {id, label, via, argv, pid}, removed, warnings, commandArgv}. Throws
// LaunchError (code bad-cwd | claude-missing | program-missing | bad-option) or TerminalError before
// anything opens; if the terminal fails to open, the spec is closed with endReason 'error' and no audit line.
// Audit lines: 'launch' here (plus opts.audit fields); the runner adds 'expiry' and 'session-end';
// dropSession adds 'drop'. The spec gets pid/runnerPid/startedAt, then endedAt/exitCode/signal/endReason.
// Known gap: on Windows a packaged self command needs ELECTRON_RUN_AS_NODE=1, which only reaches the runner
// if wt.exe/cmd start a new process with our env (selfCommand.terminalArgv); untested on Windows.
// Seams: ctx (settings/tiers), self (the CLI argv), adapter / open (terminal), now.
import fs from 'node:fs';
import path from 'node:path';
import type { Tier } from '../../shared/types';
import { OVERRIDE_VARS, type RemovedVar } from '../../shared/env';
import { appendAudit } from './audit';
import { sessionHookArgv, sessionSettings } from './sessionSettings';
import { launchEnvFor, loadContext, tierProfile, type CoreContext } from './context';
import { newSessionId, SESSION_ID_RE, updateSession, writeSession, type SessionSpec } from './sessions';
import { currentSelfCommand, terminalArgv, type SelfCommand } from './selfCommand';
import {
  openTerminal,
  pickTerminal,
  type OpenedTerminal,
  type TerminalAdapter,
  type TerminalOpts,
} from './terminals';
import { which } from './which';
import { elevateHome, type Env } from './paths';
import { DEFAULT_GRACE_MS } from './runner';

export class LaunchError extends Error {
  constructor(
    readonly code: 'bad-cwd' | 'claude-missing' | 'program-missing' | 'bad-option',
    message: string,
  ) {
    super(message);
    this.name = 'LaunchError';
  }
}

// Claude session ids: one regex for the launcher and the bridge contract (shared/ids.ts).
import { RESUME_ID_RE } from '../../shared/ids';
export { RESUME_ID_RE };
const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface LaunchOptions {
  /** null only for kind 'ssm'/'command' sessions that carry no tier (e.g. an operator SSM session). */
  tier: Tier | null;
  cwd: string;
  /** Caller's environment (default process.env): base for the launch env and PATH lookups. */
  env?: Env;
  /** Loaded from env when not given. */
  ctx?: CoreContext;
  /** Adapter id; default settings.terminal, then detection. */
  terminal?: string;
  resumeId?: string;
  /** `--resume` without an id: Claude's session picker. Cannot be combined with a prompt. */
  bareResume?: boolean;
  prompt?: string;
  /** Explicit end of the session; elevated sessions default to now + minutes (or settings default). */
  deadline?: Date;
  minutes?: number;
  kind?: 'claude' | 'ssm' | 'command';
  /** Required for kind 'ssm' / 'command'; for 'claude' extra arguments come from resumeId/prompt. */
  argv?: string[];
  /** Variables set for the child on top of the tier env (no override variables). */
  extraSet?: Record<string, string>;
  /** Directories the runner puts in front of PATH for the child. */
  pathPrepend?: string[];
  title?: string;
  /** Account verified for the banner (e.g. from whoami). */
  account?: string;
  /**
   * Verify the tier with STS (identity.verifyTier, ≤ 5 s) before anything is written or opened: a failure
   * throws IdentityError; success puts the account in the banner and the role session name in the audit.
   */
  verify?: boolean;
  /** SIGTERM → SIGKILL grace at the deadline / on drop. */
  graceMs?: number;
  /** Elevated sessions: limit the elevation to the plan snapshot's actions (see SessionSpec.planScope). */
  planScope?: 'plan' | 'full';
  /** Session id decided by the caller (elevatedLaunch: the plan snapshot lives in the session's dir). */
  sessionId?: string;
  /** Extra audit fields (e.g. planSha256 for a handoff); secret-looking keys are refused by audit.ts. */
  audit?: Record<string, unknown>;
  self?: SelfCommand;
  now?: () => Date;
  platform?: NodeJS.Platform;
  /** A ready adapter (seam for tests and callers that picked one already); else pickTerminal(). */
  adapter?: TerminalAdapter;
  /** Terminal spawner seam (default openTerminal). */
  open?: (
    adapter: TerminalAdapter,
    command: string[],
    opts: TerminalOpts,
    env: Env,
  ) => Promise<OpenedTerminal>;
}

export interface LaunchResult {
  spec: SessionSpec;
  specPath: string;
  terminal: { id: string; label: string; via?: string; argv: string[]; pid?: number };
  /** Variables removed from the caller's env, with reasons. */
  removed: RemovedVar[];
  warnings: string[];
  /** What the terminal runs: `<self> run --session <id>`. */
  commandArgv: string[];
}

export function titleFor(kind: string, tier: Tier | null, profile: string | null): string {
  const tag = tier === 'elevated' ? 'claude-el' : tier === 'readonly' ? 'claude-ro' : kind;
  return profile ? `${tag} · ${profile}` : tag;
}

export async function launchSession(opts: LaunchOptions): Promise<LaunchResult> {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const now = opts.now ?? (() => new Date());
  const kind = opts.kind ?? 'claude';
  const ctx = opts.ctx ?? loadContext(env);

  // cwd: absolute, existing directory.
  const cwd = path.resolve(opts.cwd);
  let isDir = false;
  try {
    isDir = fs.statSync(cwd).isDirectory();
  } catch {
    /* missing */
  }
  if (!isDir) throw new LaunchError('bad-cwd', `not a directory: ${JSON.stringify(cwd)}`);

  if (opts.resumeId !== undefined && !RESUME_ID_RE.test(opts.resumeId)) {
    throw new LaunchError(
      'bad-option',
      `--resume needs a Claude session id, got ${JSON.stringify(opts.resumeId)}`,
    );
  }
  // The prompt is Claude's positional argument: one starting with "-" would be parsed as an option
  // (e.g. --dangerously-skip-permissions). Refused here so every caller (CLI, app, handoff) is covered.
  if (opts.prompt !== undefined && /^\s*-/.test(opts.prompt)) {
    throw new LaunchError('bad-option', 'a prompt cannot start with "-" (Claude would read it as an option)');
  }
  if (opts.bareResume && (opts.resumeId !== undefined || opts.prompt)) {
    throw new LaunchError(
      'bad-option',
      '--resume without an id cannot take a prompt (Claude would read the prompt as a search term); give the session id',
    );
  }
  if (kind !== 'claude' && (!opts.argv || opts.argv.length === 0)) {
    throw new LaunchError('bad-option', `a ${kind} session needs an argv`);
  }
  if (kind === 'claude' && opts.argv) {
    throw new LaunchError('bad-option', 'claude sessions take resumeId/prompt, not an argv');
  }
  if (opts.tier === null && kind === 'claude')
    throw new LaunchError('bad-option', 'a claude session needs a tier');
  for (const name of Object.keys(opts.extraSet ?? {})) {
    if (!ENV_NAME_RE.test(name))
      throw new LaunchError('bad-option', `invalid variable name ${JSON.stringify(name)}`);
    if (Object.hasOwn(OVERRIDE_VARS, name) || name === 'PATH') {
      throw new LaunchError(
        'bad-option',
        `${name} cannot be set for a session (it would override the profile)`,
      );
    }
  }

  // Env: the core's builder for the tier; nothing for a tier-less session.
  let set: Record<string, string> = {};
  let removed: RemovedVar[] = [];
  let warnings: string[] = [];
  let profile: string | null = null;
  let baseEnvForPath: Env = env;
  if (opts.tier) {
    profile = tierProfile(ctx, opts.tier).name;
    const le = launchEnvFor(ctx, opts.tier, env);
    set = { ...le.set };
    removed = le.unset;
    warnings = le.warnings;
    baseEnvForPath = le.env;
  } else {
    removed = Object.keys(OVERRIDE_VARS)
      .filter((n) => env[n] !== undefined)
      .map((name) => ({ name, reason: OVERRIDE_VARS[name]! }));
  }
  Object.assign(set, opts.extraSet ?? {});
  if (opts.extraSet?.AWS_PROFILE) profile = opts.extraSet.AWS_PROFILE;

  // The session id, chosen before argv: claude's --settings names this session's own directory.
  if (opts.sessionId !== undefined && !SESSION_ID_RE.test(opts.sessionId))
    throw new LaunchError('bad-option', `invalid session id ${JSON.stringify(opts.sessionId)}`);
  const id = opts.sessionId ?? newSessionId(now());

  // Program: resolved now, so a missing `claude`/`aws` fails before any window opens.
  let argv: string[];
  if (kind === 'claude') {
    const claude = ctx.settings.claudePath ?? 'claude';
    const found = which(claude, baseEnvForPath, platform);
    if (!found) {
      throw new LaunchError(
        'claude-missing',
        `claude not found (${claude.includes('/') ? claude : 'not on PATH'}): install Claude Code ` +
          '(https://docs.anthropic.com/claude-code) or set "claudePath" in Elevate settings',
      );
    }
    argv = [found];
    // One `--settings` (the command-line layer, above user/project/local files; never the user's files):
    // env overrides where Claude's files disagree, the ~/.aws/state/other-session denies and the hooks.
    const s = sessionSettings({
      env,
      cwd,
      set,
      sessionId: id,
      hookArgv: sessionHookArgv(opts.self ?? currentSelfCommand()),
      platform,
    });
    argv.push('--settings', s.json);
    warnings.push(...s.notes);
    if (opts.resumeId !== undefined) argv.push('--resume', opts.resumeId);
    else if (opts.bareResume) argv.push('--resume');
    if (opts.prompt !== undefined && opts.prompt !== '') argv.push(opts.prompt);
  } else {
    const [prog, ...rest] = opts.argv!;
    const found = which(prog!, baseEnvForPath, platform);
    if (!found) throw new LaunchError('program-missing', `${prog} not found on PATH`);
    argv = [found, ...rest];
  }

  // Identity, before anything is written or opened.
  let account = opts.account;
  let verified: Record<string, unknown> = {};
  if (opts.verify && opts.tier) {
    const { verifyTier } = await import('./identity');
    const id = await verifyTier(ctx, opts.tier, { now });
    account = id.account;
    verified = {
      verifiedArn: id.arn,
      ...(id.sessionName ? { roleSessionName: id.sessionName } : {}),
    };
  }

  // Deadline.
  let deadline = opts.deadline;
  if (!deadline && (opts.minutes !== undefined || opts.tier === 'elevated')) {
    const minutes = opts.minutes ?? ctx.settings.elevation.defaultMinutes;
    if (!(minutes > 0)) throw new LaunchError('bad-option', `invalid minutes: ${minutes}`);
    deadline = new Date(now().getTime() + minutes * 60_000);
  }

  const adapter =
    opts.adapter ?? pickTerminal({ env, platform, requested: opts.terminal ?? ctx.settings.terminal });
  const title = opts.title ?? titleFor(kind, opts.tier, profile);
  const spec: SessionSpec = {
    id,
    kind,
    tier: opts.tier,
    profile,
    cwd,
    argv,
    env: {
      set,
      unset: removed.map((r) => r.name),
      ...(opts.pathPrepend?.length ? { pathPrepend: opts.pathPrepend } : {}),
    },
    title,
    createdAt: now().toISOString(),
    ...(deadline ? { deadline: deadline.toISOString() } : {}),
    ...(opts.resumeId !== undefined ? { resumeId: opts.resumeId } : {}),
    ...(opts.planScope && opts.tier === 'elevated' ? { planScope: opts.planScope } : {}),
    ...(account ? { account } : {}),
    terminal: adapter.id,
    graceMs: opts.graceMs ?? DEFAULT_GRACE_MS,
  };
  const specPath = writeSession(spec, env);

  const self = opts.self ?? currentSelfCommand();
  // ELEVATE_HOME is pinned in the command: the runner reads the spec where it was written, whatever env the
  // terminal's process has (terminals that reuse a running process ignore ours; a shell rc may set another).
  const commandArgv = terminalArgv(
    { ...self, env: { ...self.env, ELEVATE_HOME: elevateHome(env) } },
    ['run', '--session', id],
    platform,
  );
  // The terminal gets the caller's env without override variables (defence in depth: the runner scrubs
  // again, since terminals that reuse a running process ignore this env anyway).
  const termEnv: Env = { ...env, ...(platform === 'win32' ? self.env : {}) };
  for (const name of Object.keys(OVERRIDE_VARS)) delete termEnv[name];
  const open = opts.open ?? ((a, c, o, e) => openTerminal(a, c, o, { env: e }));
  let opened: OpenedTerminal;
  try {
    opened = await open(adapter, commandArgv, { title, cwd }, termEnv);
  } catch (e) {
    updateSession(id, { endedAt: now().toISOString(), endReason: 'error', error: (e as Error).message }, env);
    throw e;
  }

  appendAudit(
    {
      type: 'launch',
      kind,
      tier: opts.tier ?? undefined,
      profile: profile ?? undefined,
      cwd,
      terminal: adapter.id,
      sessionId: id,
      resumeId: opts.resumeId,
      deadline: spec.deadline,
      removed: spec.env.unset,
      ...verified,
      ...(opts.audit ?? {}),
    },
    env,
    now(),
  );

  return {
    spec,
    specPath,
    terminal: { id: adapter.id, label: adapter.label, via: adapter.via, argv: opened.argv, pid: opened.pid },
    removed,
    warnings,
    commandArgv,
  };
}
