// The active tier: `readonly`, `elevated` (with a deadline) or `off` — what everything started next uses.
//
// Persisted in $ELEVATE_HOME/active.json (authoritative, owned by this module; written under a lock so the
// app and CLI never interleave) and mirrored into state.json (`activeTier`, `deadline`, `since`) for readers
// of appState.ts. Every change re-renders the shell files ($ELEVATE_HOME/shell/active.{sh,fish,ps1}, read
// by the `elevate shell-init` hook) and brings the enabled Claude settings files in step
// (claudeSettingsSync.ts). Every switch, fallback and restore is one audit line.
//
// Clock seam: every entry point takes `now`. The deadline is enforced lazily too: `readActive()` (used by
// `elevate status`, the app at start, `tick()`) falls back to read-only when it finds the deadline passed,
// so a closed app never leaves elevation on; the shell hook checks the deadline itself.
import fs from 'node:fs';
import { deadlineEpochSeconds, deadlineMs, isPast, msLeft } from '../../shared/deadline';
import { ElevateError } from '../../shared/errors';
import path from 'node:path';
import {
  DEFAULT_ELEVATION_MINUTES,
  MAX_ELEVATION_MINUTES,
  MIN_ELEVATION_MINUTES,
  type Settings,
} from '../../shared/settings';
import { promptLabel, renderShellState, type ShellFamily, type ShellTierEnv } from '../../shared/shellHook';
import type { ActiveTier } from '../../shared/state';
import { appendAudit, type AuditRecord } from './audit';
import { updateAppState } from './appState';
import { readTextIfExists, writeFileAtomic } from './atomicFile';
import {
  claudeTargets,
  restoreAllClaudeSettings,
  syncClaudeSettings,
  type TargetResult,
} from './claudeSettingsSync';
import { launchEnvFor, loadContext, type CoreContext } from './context';
import { LockTimeoutError, withFileLock } from './lock';
import { files, type Env } from './paths';
import { staleSessions, type StaleSession } from './tierSessions';

export type { ActiveTier };

export interface ActiveState {
  tier: ActiveTier;
  /** ISO deadline (elevated only). */
  deadline: string | null;
  /** ISO time the tier was set; null when never set. */
  since: string | null;
  /** Profile of the tier when it was set (informational). */
  profile: string | null;
  /** Bumped on every write (the shell hook keys on it). */
  rev: number;
}

export const OFF_STATE: ActiveState = { tier: 'off', deadline: null, since: null, profile: null, rev: 0 };

export class SwitchError extends ElevateError {
  declare readonly code: 'bad-minutes' | 'no-tier' | 'locked';
  constructor(code: 'bad-minutes' | 'no-tier' | 'locked', message: string) {
    super(code, message, code === 'locked' ? 1 : 2);
  }
}

export interface SwitchOptions {
  /** Elevation length in minutes (elevated only; 15–60; default: settings.elevation.defaultMinutes). */
  minutes?: number;
  now?: Date;
  env?: Env;
  /** Who asked: cli, tray, window, app-quit... (audit). */
  source?: string;
  /** Preloaded context (tests, the core); loaded from env otherwise. */
  ctx?: CoreContext;
}

export interface SwitchResult {
  from: ActiveState;
  state: ActiveState;
  changed: boolean;
  /** Claude settings files and shell files, each with ok/action/message. */
  targets: TargetResult[];
  /** Live Elevate-launched sessions still running under another tier, with their restart argv. */
  staleSessions: StaleSession[];
  audit: AuditRecord | null;
  /** Human-readable problems (a target not written, ...): the switch itself happened. */
  warnings: string[];
}

export interface FallbackEvent extends SwitchResult {
  type: 'fallback';
  /** The deadline that passed. */
  deadline: string;
}

// ------------------------------------------------------------------------------------------------
// Files
// ------------------------------------------------------------------------------------------------

export function activeFile(env: Env = process.env): string {
  return files.active(env);
}

export function shellDir(env: Env = process.env): string {
  return files.shellDir(env);
}

export function shellStateFile(family: ShellFamily, env: Env = process.env): string {
  return files.shellState(family, env);
}

export function isActiveTier(v: unknown): v is ActiveTier {
  return v === 'readonly' || v === 'elevated' || v === 'off';
}

/** The stored state as is (no fallback). Missing or unreadable file = off. */
export function readActiveRaw(env: Env = process.env): ActiveState {
  const text = readTextIfExists(activeFile(env));
  if (!text) return { ...OFF_STATE };
  try {
    const j = JSON.parse(text) as Partial<ActiveState>;
    if (!isActiveTier(j.tier)) return { ...OFF_STATE };
    const valid = typeof j.deadline === 'string' && deadlineMs(j.deadline) !== null;
    // An elevated state without a valid deadline counts as expired: never elevation without an end.
    return {
      tier: j.tier,
      deadline: j.tier !== 'elevated' ? null : valid ? (j.deadline as string) : new Date(0).toISOString(),
      since: typeof j.since === 'string' ? j.since : null,
      profile: typeof j.profile === 'string' ? j.profile : null,
      rev: typeof j.rev === 'number' && Number.isFinite(j.rev) ? j.rev : 0,
    };
  } catch {
    return { ...OFF_STATE };
  }
}

function writeActive(state: ActiveState, env: Env): void {
  writeFileAtomic(activeFile(env), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  // Mirror for appState readers; keep whatever else the app stores there (pid, ...).
  updateAppState(
    (cur) => ({ ...cur, activeTier: state.tier, deadline: state.deadline, since: state.since }),
    env,
  );
}

/**
 * The cross-process lock of active.json and state.json (lock.ts): it records its holder (pid + process
 * start time), so a crashed holder's lock is taken at once.
 */
function withLock<T>(env: Env, fn: () => T): T {
  try {
    return withFileLock(files.activeLock(env), fn);
  } catch (e) {
    if (e instanceof LockTimeoutError) throw new SwitchError('locked', e.message);
    throw e;
  }
}

// ------------------------------------------------------------------------------------------------
// Targets
// ------------------------------------------------------------------------------------------------

function tryContext(opts: { ctx?: CoreContext | undefined; env: Env }): {
  ctx: CoreContext | null;
  error: string | null;
} {
  if (opts.ctx) return { ctx: opts.ctx, error: null };
  try {
    return { ctx: loadContext(opts.env), error: null };
  } catch (e) {
    return { ctx: null, error: (e as Error).message };
  }
}

/** What Elevate sets for a tier (profile, region, Bedrock): the launch env's `set`, never secrets. */
export function tierSetVars(ctx: CoreContext, tier: 'readonly' | 'elevated'): Record<string, string> {
  return launchEnvFor(ctx, tier, {}).set;
}

function shellEnv(ctx: CoreContext | null, tier: 'readonly' | 'elevated'): ShellTierEnv | null {
  if (!ctx) return null;
  try {
    return { tier, set: tierSetVars(ctx, tier), label: promptLabel(tier) };
  } catch {
    return null;
  }
}

const FAMILIES: ShellFamily[] = ['sh', 'fish', 'ps1'];

function writeShellFiles(
  state: ActiveState,
  ctx: CoreContext | null,
  settings: Settings | null,
  env: Env,
): TargetResult[] {
  const enabled = settings?.switchTargets?.shellHook ?? true;
  const active = enabled && state.tier !== 'off' ? shellEnv(ctx, state.tier) : null;
  // Elevated falls back to read-only at the deadline; if read-only cannot be rendered, to off.
  const expire = state.tier === 'elevated' && enabled ? shellEnv(ctx, 'readonly') : null;
  const deadlineEpoch = state.tier === 'elevated' ? deadlineEpochSeconds(state.deadline) : null;
  const out: TargetResult[] = [];
  fs.mkdirSync(shellDir(env), { recursive: true, mode: 0o700 });
  for (const family of FAMILIES) {
    const file = shellStateFile(family, env);
    try {
      writeFileAtomic(file, renderShellState(family, { rev: state.rev, active, deadlineEpoch, expire }), {
        mode: 0o600,
      });
      const message =
        state.tier !== 'off' && enabled && !active
          ? `shells get "off": the ${state.tier} tier's env could not be built`
          : undefined;
      out.push({
        kind: 'shell',
        file,
        ok: message === undefined,
        action: 'written',
        ...(message ? { message } : {}),
      });
    } catch (e) {
      out.push({ kind: 'shell', file, ok: false, action: 'failed', message: (e as Error).message });
    }
  }
  return out;
}

function applyTargets(
  state: ActiveState,
  ctx: CoreContext | null,
  ctxError: string | null,
  env: Env,
  now: Date,
): { targets: TargetResult[]; warnings: string[] } {
  const settings = ctx?.settings ?? null;
  const targets: TargetResult[] = [];
  const warnings: string[] = [];
  if (ctxError) warnings.push(ctxError);
  let desired: Record<string, string> | null = null;
  if (state.tier !== 'off' && ctx) {
    try {
      desired = tierSetVars(ctx, state.tier);
    } catch (e) {
      warnings.push((e as Error).message);
    }
  }
  // Without settings (unreadable) no targets are known: restore whatever Elevate touched before.
  const claude = claudeTargets(settings?.switchTargets, env);
  targets.push(...syncClaudeSettings(claude, desired, env, now));
  targets.push(...writeShellFiles(state, ctx, settings, env));
  for (const t of targets)
    if (!t.ok || t.changedMeanwhile) warnings.push(t.message ?? `${t.file}: ${t.action}`);
  return { targets, warnings };
}

function summarize(targets: TargetResult[]): Array<Pick<TargetResult, 'kind' | 'file' | 'action' | 'ok'>> {
  return targets
    .filter((t) => t.kind !== 'shell')
    .map(({ kind, file, action, ok }) => ({ kind, file, action, ok }));
}

function auditRestores(targets: TargetResult[], env: Env, now: Date, reason: string): void {
  for (const t of targets) {
    if (!['restored', 'deleted', 'keys-reverted', 'gone'].includes(t.action)) continue;
    appendAudit(
      {
        type: 'restore',
        file: t.file,
        result: t.action,
        changedMeanwhile: t.changedMeanwhile ?? false,
        reason,
      },
      env,
      now,
    );
  }
}

// ------------------------------------------------------------------------------------------------
// Switch, tick, read
// ------------------------------------------------------------------------------------------------

export function validateMinutes(minutes: number | undefined, settings: Settings | null): number {
  const m = minutes ?? settings?.elevation?.defaultMinutes ?? DEFAULT_ELEVATION_MINUTES;
  if (!Number.isInteger(m) || m < MIN_ELEVATION_MINUTES || m > MAX_ELEVATION_MINUTES) {
    throw new SwitchError(
      'bad-minutes',
      `elevation length must be a whole number of minutes from ${MIN_ELEVATION_MINUTES} to ${MAX_ELEVATION_MINUTES} (got ${String(minutes)})`,
    );
  }
  return m;
}

function doSwitch(
  target: ActiveTier,
  from: ActiveState,
  opts: Required<Pick<SwitchOptions, 'env' | 'now' | 'source'>> & {
    minutes?: number | undefined;
    ctx?: CoreContext | undefined;
  },
  kind: 'switch' | 'fallback',
): SwitchResult {
  const { env, now } = opts;
  const { ctx, error } = tryContext(opts);
  let profile: string | null = null;
  let deadline: string | null = null;
  let minutes: number | undefined;
  if (target !== 'off' && kind === 'switch') {
    // A switch to a tier needs that tier (a fallback must happen even with broken config).
    if (!ctx) throw new SwitchError('no-tier', error ?? 'cannot read the configuration');
    const name = ctx.tiers[target];
    if (!name || !ctx.setup.profiles.has(name)) {
      throw new SwitchError(
        'no-tier',
        name
          ? `the ${target} tier names profile "${name}", which is not in ${ctx.setup.configPath}`
          : `no ${target} tier is set up (see \`elevate doctor\`)`,
      );
    }
  }
  if (target !== 'off') profile = ctx?.tiers[target] ?? null;
  if (target === 'elevated') {
    minutes = validateMinutes(opts.minutes, ctx?.settings ?? null);
    deadline = new Date(now.getTime() + minutes * 60_000).toISOString();
  }
  const state: ActiveState = { tier: target, deadline, since: now.toISOString(), profile, rev: from.rev + 1 };
  const changed =
    state.tier !== from.tier || state.deadline !== from.deadline || state.profile !== from.profile;
  writeActive(state, env);
  const { targets, warnings } = applyTargets(state, ctx, error, env, now);
  const audit = appendAudit(
    {
      type: kind,
      from: from.tier,
      tier: target,
      profile: profile ?? undefined,
      ...(deadline ? { deadline, minutes } : {}),
      ...(kind === 'fallback' ? { expiredDeadline: from.deadline } : {}),
      source: opts.source,
      targets: summarize(targets),
    },
    env,
    now,
  );
  auditRestores(targets, env, now, kind === 'fallback' ? 'fallback' : `switch to ${target}`);
  return {
    from,
    state,
    changed,
    targets,
    staleSessions: staleSessions(target, env, ctx?.settings.claudePath),
    audit,
    warnings,
  };
}

/**
 * Switch the active tier. Confirmation of `elevated` is the caller's job (tray dialog, CLI prompt / --yes).
 * Throws SwitchError when the tier is not set up or the minutes are out of range; problems with a target
 * file are reported in `targets`/`warnings` and do not stop the switch (see report).
 */
export function switchTier(target: ActiveTier, opts: SwitchOptions = {}): SwitchResult {
  const env = opts.env ?? process.env;
  const now = opts.now ?? new Date();
  return withLock(env, () => {
    const cur = readActiveRaw(env);
    return doSwitch(
      target,
      cur,
      { env, now, source: opts.source ?? 'api', minutes: opts.minutes, ctx: opts.ctx },
      'switch',
    );
  });
}

/** True when the stored state is an elevation whose deadline has passed. */
export function isExpired(state: ActiveState, now: Date): boolean {
  return state.tier === 'elevated' && isPast(state.deadline, now.getTime());
}

/**
 * Fall back to read-only if the elevation deadline has passed. Returns the event (for a notification) or
 * null when nothing happened. Safe to call from several processes: the lock makes exactly one win.
 */
export function tick(
  now: Date = new Date(),
  env: Env = process.env,
  ctx?: CoreContext,
): FallbackEvent | null {
  if (!isExpired(readActiveRaw(env), now)) return null;
  return withLock(env, () => {
    const cur = readActiveRaw(env);
    if (!isExpired(cur, now)) return null;
    const r = doSwitch('readonly', cur, { env, now, source: 'deadline', ctx }, 'fallback');
    return { ...r, type: 'fallback' as const, deadline: cur.deadline ?? new Date(0).toISOString() };
  });
}

/** The active tier as everything should see it: a passed deadline is applied first (lazily). */
export function readActive(
  now: Date = new Date(),
  env: Env = process.env,
): { state: ActiveState; fallback: FallbackEvent | null } {
  const fallback = tick(now, env);
  return { state: fallback ? fallback.state : readActiveRaw(env), fallback };
}

/** Milliseconds until the deadline (for the app's timer), or null when not elevated. */
export function msUntilDeadline(state: ActiveState, now: Date): number | null {
  if (state.tier !== 'elevated') return null;
  return msLeft(state.deadline, now.getTime());
}

/**
 * Re-apply the current tier to every target (after settings changed: targets added/removed, Bedrock
 * toggled, tier profiles renamed). Not audited as a switch; restores are.
 */
export function refreshTargets(
  now: Date = new Date(),
  env: Env = process.env,
  ctx?: CoreContext,
): SwitchResult {
  return withLock(env, () => {
    const from = readActiveRaw(env);
    const { ctx: c, error } = tryContext({ ctx, env });
    const state = { ...from, rev: from.rev + 1 };
    writeActive(state, env);
    const { targets, warnings } = applyTargets(state, c, error, env, now);
    auditRestores(targets, env, now, 'settings changed');
    return { from, state, changed: false, targets, staleSessions: [], audit: null, warnings };
  });
}

/**
 * App quit: put every Claude settings file back (issue 7: "quitting the app restores exactly") and end an
 * elevation (no countdown, no notification without the app). The tier itself stays for shells and the CLI.
 */
export function onAppQuit(
  now: Date = new Date(),
  env: Env = process.env,
): { targets: TargetResult[]; fallback: SwitchResult | null } {
  return withLock(env, () => {
    const cur = readActiveRaw(env);
    let fallback: SwitchResult | null = null;
    if (cur.tier === 'elevated') {
      fallback = doSwitch('readonly', cur, { env, now, source: 'app-quit' }, 'fallback');
    }
    const targets = restoreAllClaudeSettings(env);
    auditRestores(targets, env, now, 'app quit');
    return {
      targets: [...(fallback?.targets.filter((t) => t.kind !== 'shell') ?? []), ...targets],
      fallback,
    };
  });
}

// ------------------------------------------------------------------------------------------------
// For the app's core (electron/app/core.ts): the `tier:switch` response and the elevation
// record the tray/window count down.
// ------------------------------------------------------------------------------------------------

export interface SwitchResponse {
  activeTier: ActiveTier;
  deadline: string | null;
  since: string | null;
  changed: boolean;
  targets: TargetResult[];
  staleSessions: StaleSession[];
  warnings: string[];
}

export function switchResponse(r: SwitchResult): SwitchResponse {
  return {
    activeTier: r.state.tier,
    deadline: r.state.deadline,
    since: r.state.since,
    changed: r.changed,
    targets: r.targets,
    staleSessions: r.staleSessions,
    warnings: r.warnings,
  };
}

/** The core's `Elevation` for an elevated active tier (source `switch`), else null. */
export function switchElevation(
  s: ActiveState,
): { startedAt: string; deadline: string; sessionId: null; source: 'switch' } | null {
  if (s.tier !== 'elevated' || !s.deadline) return null;
  return { startedAt: s.since ?? s.deadline, deadline: s.deadline, sessionId: null, source: 'switch' };
}

/**
 * Call `onChange` when active.json changes (a CLI switch while the app runs). Watches the directory (the
 * file is replaced by rename); debounced. Returns the stop function.
 */
export function watchActive(env: Env, onChange: () => void, debounceMs = 100): () => void {
  const home = path.dirname(files.active(env));
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  let timer: NodeJS.Timeout | null = null;
  let watcher: fs.FSWatcher | null = null;
  try {
    watcher = fs.watch(home, (_event, name) => {
      if (name !== null && String(name) !== path.basename(files.active(env))) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        onChange();
      }, debounceMs);
      timer.unref?.();
    });
    watcher.unref?.();
  } catch {
    watcher = null; // no watcher (unsupported fs): the app still syncs at start, on refresh and at deadlines
  }
  return () => {
    if (timer) clearTimeout(timer);
    watcher?.close();
  };
}

/**
 * Stay until the elevation deadline, then fall back (the CLI starts this detached when it elevates while
 * the app is not running, so the Claude settings files do not keep the elevated profile past the deadline
 * just because no Elevate process ran). Polls the state file every `pollMs` (wall clock, so a machine that
 * slept past the deadline falls back right after waking); follows a re-elevation's new deadline and
 * returns once the tier is no longer elevated (switched, or fallen back here or by another process).
 */
export async function keepDeadline(
  env: Env = process.env,
  opts: { now?: () => Date; sleep?: (ms: number) => Promise<void>; pollMs?: number } = {},
): Promise<FallbackEvent | null> {
  const now = opts.now ?? (() => new Date());
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const pollMs = opts.pollMs ?? 5_000;
  for (;;) {
    const s = readActiveRaw(env);
    if (s.tier !== 'elevated') return null;
    const t = now().getTime();
    if (isPast(s.deadline, t)) return tick(now(), env);
    await sleep(Math.min(msLeft(s.deadline, t) ?? 0, pollMs));
  }
}
