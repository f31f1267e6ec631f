// The ONE elevation transaction (issue 11 item 2). Every elevated start goes through it: the app's launch
// and tray (ElevateCore.launch), handoff (handoff.ts, app and CLI), the CLI's `launch elevated`, restart of
// a stale session under the elevated tier (ElevateCore.launch with resumeId).
//
//   validate minutes (shared/plan.ts validateElevationMinutes — the one validator)
//   → before(): e.g. end the session being restarted (only after validation passed)
//   → snapshot the approved plan bytes into the session's own dir (handoff)
//   → launch via launcher.launchSession (tier elevated, deadline; the runner mints the credentials there,
//     with MFA on its own terminal, a session policy ending at the deadline and DurationSeconds fitted to it)
//   → record the elevation: ONE `elevation-start` audit line (or the caller's recorder, e.g. the app core's
//     startElevation, which writes that one line itself)
//   → rollback on failure: nothing recorded when the launch fails, the snapshot removed; if recording fails
//     after the terminal opened, the session is dropped.
//
// Nothing here mints credentials: a forged session spec, approval, active.json or elevation record yields
// none, because only the runner issues them, at an MFA-checked start.
import fs from 'node:fs';
import path from 'node:path';
import { handoffPrompt, validateElevationMinutes, type PlanScope } from '../../shared/plan';
import { appendAudit } from './audit';
import { loadContext, type CoreContext } from './context';
import type { LaunchOptions, LaunchResult } from './launcher';
import { files, type Env } from './paths';
import { newSessionId } from './sessions';

export class ElevatedLaunchError extends Error {
  constructor(
    readonly code: 'bad-minutes' | 'record-failed',
    message: string,
  ) {
    super(message);
    this.name = 'ElevatedLaunchError';
  }
}

export interface ElevationRecord {
  sessionId: string;
  deadline: string;
  minutes: number;
  profile: string | null;
  planHash?: string;
  /** Handoff: plan-scoped or full elevated role; with the plan's actions as approved. */
  scope?: PlanScope;
  actions?: string[];
  source: 'launch' | 'handoff';
}

export interface ElevatedLaunchInput {
  cwd: string;
  /** Whole minutes (validated); default settings.elevation.defaultMinutes. */
  minutes?: unknown;
  env?: Env;
  ctx?: CoreContext;
  now?: () => Date;
  resumeId?: string;
  bareResume?: boolean;
  prompt?: string;
  /** Approved plan (handoff): its bytes are copied into the session's dir and the prompt points there. */
  plan?: { hash: string; bytes: Uint8Array };
  /** With `plan`: limit the elevation to the plan's actions (`plan`) or not (`full`, the default). */
  scope?: PlanScope;
  /** The plan's actions as shown at approval (audit only; the runner recomputes them from the snapshot). */
  actions?: string[];
  source?: 'launch' | 'handoff';
  /** Extra audit fields for the launch line. */
  audit?: Record<string, unknown>;
  launchOptions?: Partial<LaunchOptions>;
  /** launcher.launchSession (seam). */
  launch?: (opts: LaunchOptions) => Promise<LaunchResult>;
  /** Runs after validation, before anything is written (e.g. end the session being restarted). */
  before?: () => Promise<void>;
  /** Records the elevation (default: one `elevation-start` audit line). */
  record?: (r: ElevationRecord) => void;
  /** Drops a launched session when recording failed (default runner.dropSession). */
  drop?: (sessionId: string) => Promise<unknown>;
}

export interface ElevatedLaunchResult {
  launch: LaunchResult;
  minutes: number;
  deadline: string;
  sessionId: string;
  /** Path of the approved plan snapshot the session executes (handoff), else null. */
  snapshot: string | null;
  prompt: string | null;
}

/** Where an elevated session's approved plan snapshot lives. */
export function snapshotPath(sessionId: string, env: Env): string {
  return path.join(files.sessions(env), sessionId, 'plan.md');
}

function writeSnapshot(file: string, bytes: Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, bytes, { mode: 0o400, flag: 'wx' });
}

export function defaultRecord(env: Env, now: () => Date) {
  return (r: ElevationRecord): void => {
    appendAudit(
      {
        type: 'elevation-start',
        tier: 'elevated',
        profile: r.profile ?? undefined,
        sessionId: r.sessionId,
        minutes: r.minutes,
        deadline: r.deadline,
        source: r.source,
        ...(r.planHash ? { planHash: r.planHash } : {}),
        ...(r.scope ? { scope: r.scope } : {}),
        ...(r.actions ? { actions: r.actions } : {}),
      },
      env,
      now(),
    );
  };
}

export async function elevatedLaunch(input: ElevatedLaunchInput): Promise<ElevatedLaunchResult> {
  const env = input.env ?? process.env;
  const now = input.now ?? (() => new Date());
  const ctx = input.ctx ?? loadContext(env);
  const m = validateElevationMinutes(input.minutes ?? ctx.settings.elevation.defaultMinutes);
  // A plan scope needs the plan (its snapshot is what the runner limits the session to).
  const scope: PlanScope | undefined = input.plan ? (input.scope ?? 'full') : undefined;
  if (!m.ok) throw new ElevatedLaunchError('bad-minutes', m.message);
  const minutes = m.minutes;
  await input.before?.();

  const start = now();
  const deadline = new Date(Math.floor((start.getTime() + minutes * 60_000) / 1000) * 1000);
  const sessionId = newSessionId(start);
  let snapshot: string | null = null;
  let prompt = input.prompt ?? null;
  if (input.plan) {
    snapshot = snapshotPath(sessionId, env);
    writeSnapshot(snapshot, input.plan.bytes);
    prompt = handoffPrompt(input.plan.hash, { minutes, deadline: deadline.toISOString(), file: snapshot });
  }
  const rollback = () => {
    if (snapshot) fs.rmSync(path.dirname(snapshot), { recursive: true, force: true });
  };
  const launch = input.launch ?? (await import('./launcher')).launchSession;
  let result: LaunchResult;
  try {
    result = await launch({
      ...input.launchOptions,
      tier: 'elevated',
      cwd: input.cwd,
      env,
      ctx,
      now,
      sessionId,
      deadline,
      ...(input.resumeId !== undefined ? { resumeId: input.resumeId } : {}),
      ...(input.bareResume ? { bareResume: true } : {}),
      ...(prompt !== null ? { prompt } : {}),
      ...(scope ? { planScope: scope } : {}),
      audit: {
        ...(input.audit ?? {}),
        minutes,
        ...(input.plan ? { planHash: input.plan.hash, planSnapshot: snapshot, scope } : {}),
      },
    });
  } catch (e) {
    rollback();
    throw e;
  }
  const record = input.record ?? defaultRecord(env, now);
  try {
    record({
      sessionId: result.spec.id,
      deadline: result.spec.deadline ?? deadline.toISOString(),
      minutes,
      profile: result.spec.profile,
      ...(input.plan ? { planHash: input.plan.hash } : {}),
      ...(scope ? { scope } : {}),
      ...(scope === 'plan' && input.actions ? { actions: input.actions } : {}),
      source: input.source ?? (input.plan ? 'handoff' : 'launch'),
    });
  } catch (e) {
    const drop =
      input.drop ??
      (async (id: string) =>
        (await import('./runner')).dropSession(id, { env, by: 'elevatedLaunch-rollback' }));
    await drop(result.spec.id).catch(() => undefined);
    throw new ElevatedLaunchError(
      'record-failed',
      `elevation not recorded, session dropped: ${(e as Error).message}`,
    );
  }
  return {
    launch: result,
    minutes,
    deadline: result.spec.deadline ?? deadline.toISOString(),
    sessionId: result.spec.id,
    snapshot,
    prompt,
  };
}

/**
 * `ssm connect --remote-claude elevated`: in the hardened layout the instance cannot reach the elevated
 * role (it needs the operator's MFA), and handing elevated credentials to the instance would put them where
 * any process there can read them. Refused, with what to do instead.
 */
export const REMOTE_ELEVATED_REFUSAL =
  'remote elevated sessions are not supported: the workstation cannot assume the elevated role (its trust ' +
  'requires your MFA), and Elevate does not ship elevated credentials to the instance. Run the elevated step ' +
  'locally (`elevate handoff --approve` or `elevate launch elevated`), or connect with --remote-claude readonly';
