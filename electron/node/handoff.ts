// plan.md handoff: a read-only session wrote plan.md; the user approves it (its SHA-256 and an elevation
// length); Elevate then opens the elevated tier in the same cwd as `claude --resume <session> <prompt>`,
// the prompt pinning the plan's hash. Where the elevated profile is a role, the session runs with a
// generated AWS config whose credential_process ends with the deadline (elevation.ts).
//
// Order of a launch: plan readable → approval valid for its hash → Claude session looked up (cwd-verified)
// → per-session AWS config written → credentials fetched once (fails before any window opens) → plan hash
// checked again → terminal opened → approval marked used, audit `handoff` + `elevation-start`.
import fs from 'node:fs';
import { approvalState, handoffPrompt, shortHash, type ApprovalState } from '../../shared/plan';
import { getApproval, markApprovalUsed, reconcileApproval } from './approvals';
import { appendAudit } from './audit';
import { canonicalCwd, findClaudeSession, type ClaudeSession, type FindResult } from './claudeSessions';
import { loadContext, type CoreContext } from './context';
import {
  clearCredentialCache,
  ElevationError,
  issueCredentials,
  prepareElevation,
  readElevation,
  sweepElevationCaches,
  writeElevation,
  type PreparedElevation,
} from './elevation';
import type { LaunchOptions, LaunchResult } from './launcher';
import type { Env } from './paths';
import { readPlan, type PendingPlan, type PlanRead } from './planWatcher';
import { newSessionId } from './sessions';

export class HandoffError extends Error {
  constructor(
    readonly code:
      'no-plan' | 'plan-rejected' | 'not-approved' | 'approval-void' | 'approval-used' | 'elevation-failed',
    message: string,
  ) {
    super(message);
    this.name = 'HandoffError';
  }
}

export interface HandoffInfo {
  cwd: string;
  plan: PlanRead;
  approval: ApprovalState;
  claude: FindResult;
}

/** What a handoff in cwd would do now. Voids (and audits) an approval whose plan changed. */
export function inspectHandoff(dir: string, env: Env = process.env, now: Date = new Date()): HandoffInfo {
  const cwd = canonicalCwd(dir);
  const plan = readPlan(cwd);
  const approval =
    plan.kind === 'absent'
      ? approvalState(getApproval(cwd, env), null)
      : reconcileApproval(cwd, plan.kind === 'plan' ? plan.plan.hash : null, env, now);
  return { cwd, plan, approval, claude: findClaudeSession(cwd, env) };
}

export function requirePlan(info: HandoffInfo): PendingPlan {
  if (info.plan.kind === 'absent') throw new HandoffError('no-plan', `no plan.md in ${info.cwd}`);
  if (info.plan.kind === 'rejected') throw new HandoffError('plan-rejected', info.plan.message);
  return info.plan.plan;
}

export interface HandoffLaunchOptions {
  cwd: string;
  env?: Env;
  ctx?: CoreContext;
  now?: () => Date;
  /** launcher.launchSession (seam). */
  launch?: (opts: LaunchOptions) => Promise<LaunchResult>;
  /** Extra launch options (terminal, adapter/open seams, self...). */
  launchOptions?: Partial<LaunchOptions>;
  /** Code for an elevated profile with mfa_serial (credentials are fetched once, at launch). */
  mfaCode?: string;
}

export interface HandoffLaunch {
  cwd: string;
  plan: PendingPlan;
  prompt: string;
  /** Claude session resumed; null = fresh session with the same prompt. */
  resumed: ClaudeSession | null;
  launch: LaunchResult;
  /** null when the elevated profile is not a role (no IAM-level expiry; the runner's deadline still applies). */
  elevation: PreparedElevation | null;
  deadline: string;
  minutes: number;
  warnings: string[];
}

export async function launchHandoff(opts: HandoffLaunchOptions): Promise<HandoffLaunch> {
  const env = opts.env ?? process.env;
  const now = opts.now ?? (() => new Date());
  sweepElevationCaches(env, now().getTime());
  const info = inspectHandoff(opts.cwd, env, now());
  const plan = requirePlan(info);
  const { cwd } = info;
  const st = info.approval;
  if (st.status === 'none') {
    throw new HandoffError(
      'not-approved',
      `plan.md in ${cwd} (sha256 ${shortHash(plan.hash)}) is not approved`,
    );
  }
  if (st.status === 'void') {
    throw new HandoffError(
      'approval-void',
      `approval void: ${st.reason}; nothing was launched. Review plan.md and approve it again`,
    );
  }
  if (st.status === 'used') {
    throw new HandoffError(
      'approval-used',
      `this approval already launched session ${st.approval.sessionId ?? '?'} at ${st.approval.usedAt}; approve again to elevate again`,
    );
  }
  const approval = st.approval;
  const ctx = opts.ctx ?? loadContext(env);
  const warnings: string[] = [];
  const resumed = info.claude.session;
  if (!resumed) {
    warnings.push(
      `no Claude session found for ${cwd} under ${info.claude.projectsDir}: starting a fresh elevated session with the same prompt`,
    );
  }

  // Per-session AWS config (IAM-level expiry) where the elevated profile is a role.
  const elevationId = newSessionId(now());
  let elevation: PreparedElevation | null = null;
  try {
    elevation = prepareElevation({
      sessionId: elevationId,
      ctx,
      minutes: approval.minutes,
      now: now(),
      planHash: plan.hash,
      cwd,
    });
  } catch (e) {
    if (!(e instanceof ElevationError) || e.code !== 'not-elevatable') throw e;
    warnings.push(
      `${e.message}; the session still ends at its deadline, but credentials are not time-limited by IAM`,
    );
  }
  const deadline = elevation
    ? elevation.spec.deadline
    : new Date(now().getTime() + approval.minutes * 60_000).toISOString();
  if (elevation?.fitted.outlivesDeadline) {
    warnings.push(
      `STS issues at least 15 minutes: credentials outlive the deadline by ${elevation.fitted.overrunSeconds} s`,
    );
  }
  if (elevation) {
    // Fetch once now: a role that cannot be assumed fails here, before any window opens.
    try {
      await issueCredentials(elevationId, env, {
        now: () => now().getTime(),
        ...(opts.mfaCode ? { mfaCode: opts.mfaCode } : {}),
      });
    } catch (e) {
      fs.rmSync(elevation.dir, { recursive: true, force: true });
      throw new HandoffError('elevation-failed', `cannot elevate: ${(e as Error).message}`);
    }
  }

  // The plan may have changed while we worked: check the bytes once more, right before launching.
  const again = readPlan(cwd);
  const hashNow = again.kind === 'plan' ? again.plan.hash : null;
  const final = reconcileApproval(cwd, hashNow, env, now());
  if (final.status !== 'valid') {
    if (elevation) {
      clearCredentialCache(elevationId, env);
      fs.rmSync(elevation.dir, { recursive: true, force: true });
    }
    throw new HandoffError(
      'approval-void',
      `approval void: ${final.status === 'void' ? final.reason : final.status}; nothing was launched`,
    );
  }

  const prompt = handoffPrompt(plan.hash, { minutes: approval.minutes, deadline });
  const launch = opts.launch ?? (await import('./launcher')).launchSession;
  let result: LaunchResult;
  try {
    result = await launch({
      ...opts.launchOptions,
      tier: 'elevated',
      cwd,
      env,
      ctx,
      now,
      ...(resumed ? { resumeId: resumed.id } : {}),
      prompt,
      deadline: new Date(deadline),
      ...(elevation ? { extraSet: elevation.extraSet } : {}),
      audit: {
        planHash: plan.hash,
        handoff: true,
        ...(elevation ? { elevationId, roleSessionName: elevation.spec.roleSessionName } : {}),
      },
    });
  } catch (e) {
    if (elevation) {
      clearCredentialCache(elevationId, env);
      fs.rmSync(elevation.dir, { recursive: true, force: true });
    }
    throw e;
  }
  const sessionId = result.spec.id;
  if (elevation) writeElevation({ ...readElevation(elevationId, env), launchedSessionId: sessionId }, env);
  markApprovalUsed(cwd, sessionId, env, now(), deadline);
  appendAudit(
    {
      type: 'handoff',
      sessionId,
      cwd,
      planHash: plan.hash,
      resumeId: resumed?.id ?? null,
      fresh: !resumed,
      minutes: approval.minutes,
      deadline,
    },
    env,
    now(),
  );
  appendAudit(
    {
      type: 'elevation-start',
      tier: 'elevated',
      sessionId,
      profile: result.spec.profile ?? undefined,
      ...(elevation
        ? {
            elevationId,
            roleArn: elevation.spec.roleArn,
            roleSessionName: elevation.spec.roleSessionName,
            iamExpiry: true,
            outlivesDeadlineBy: elevation.fitted.overrunSeconds,
          }
        : { iamExpiry: false }),
      minutes: approval.minutes,
      deadline,
      planHash: plan.hash,
    },
    env,
    now(),
  );
  return {
    cwd,
    plan,
    prompt,
    resumed,
    launch: result,
    elevation,
    deadline,
    minutes: approval.minutes,
    warnings: [...warnings, ...result.warnings],
  };
}
