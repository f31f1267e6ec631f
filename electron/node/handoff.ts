// plan.md handoff: a read-only session wrote plan.md; the user approves it (its SHA-256 and an elevation
// length); Elevate then opens the elevated tier in the same cwd as `claude --resume <session> <prompt>`.
// The approval covers a SNAPSHOT: the approved bytes are copied into the elevated session's own dir and the
// prompt points there (with the hash), so editing plan.md afterwards changes nothing the session executes
// (the plan watcher audits such an edit). Credentials are minted by the session's runner (MFA on its own
// terminal, session policy ending at the deadline), never here.
//
// Order of a launch: plan readable (no symlink/FIFO, bounded) → approval valid for its hash → Claude
// session looked up (cwd-verified) → plan hash checked again → elevatedLaunch (snapshot, terminal, ONE
// `elevation-start` line) → approval marked used, audit `handoff`.
import { approvalState, shortHash, type ApprovalState, type PlanScope } from '../../shared/plan';
import { getApproval, markApprovalUsed, reconcileApproval } from './approvals';
import { appendAudit } from './audit';
import { canonicalCwd, findClaudeSession, type ClaudeSession, type FindResult } from './claudeSessions';
import { loadContext, type CoreContext } from './context';
import { elevatedLaunch, type ElevationRecord } from './elevatedLaunch';
import type { LaunchOptions, LaunchResult } from './launcher';
import type { Env } from './paths';
import { readPlan, readPlanAsync, type PendingPlan, type PlanRead } from './planWatcher';

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
  /** Records the elevation (default: one `elevation-start` audit line; the app passes its own). */
  record?: (r: ElevationRecord) => void;
}

export interface HandoffLaunch {
  cwd: string;
  plan: PendingPlan;
  prompt: string;
  /** Claude session resumed; null = fresh session with the same prompt. */
  resumed: ClaudeSession | null;
  launch: LaunchResult;
  /** The approved copy the elevated session executes. */
  snapshot: string;
  deadline: string;
  minutes: number;
  /** Plan-scoped (`plan`) or the full elevated role. */
  scope: PlanScope;
  warnings: string[];
}

export async function launchHandoff(opts: HandoffLaunchOptions): Promise<HandoffLaunch> {
  const env = opts.env ?? process.env;
  const now = opts.now ?? (() => new Date());
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

  // The plan may have changed while we worked: check the bytes once more, right before launching. The
  // snapshot is made from THESE bytes (the ones whose hash the approval names).
  const again = await readPlanAsync(cwd);
  const hashNow = again.kind === 'plan' ? again.plan.hash : null;
  const final = reconcileApproval(cwd, hashNow, env, now());
  if (final.status !== 'valid' || again.kind !== 'plan' || again.plan.hash !== approval.planHash) {
    throw new HandoffError(
      'approval-void',
      `approval void: ${final.status === 'void' ? final.reason : final.status}; nothing was launched`,
    );
  }

  const r = await elevatedLaunch({
    cwd,
    env,
    ctx,
    now,
    minutes: approval.minutes,
    ...(resumed ? { resumeId: resumed.id } : {}),
    plan: { hash: again.plan.hash, bytes: again.plan.bytes },
    scope: approval.scope ?? 'full',
    ...(approval.actions ? { actions: approval.actions } : {}),
    source: 'handoff',
    audit: { handoff: true },
    ...(opts.launch ? { launch: opts.launch } : {}),
    ...(opts.launchOptions ? { launchOptions: opts.launchOptions } : {}),
    ...(opts.record ? { record: opts.record } : {}),
  });
  const sessionId = r.sessionId;
  markApprovalUsed(cwd, sessionId, env, now(), r.deadline);
  appendAudit(
    {
      type: 'handoff',
      sessionId,
      cwd,
      planHash: plan.hash,
      planSnapshot: r.snapshot,
      scope: approval.scope ?? 'full',
      resumeId: resumed?.id ?? null,
      fresh: !resumed,
      minutes: r.minutes,
      deadline: r.deadline,
    },
    env,
    now(),
  );
  return {
    cwd,
    plan: again.plan,
    prompt: r.prompt ?? '',
    resumed,
    launch: r.launch,
    snapshot: r.snapshot!,
    deadline: r.deadline,
    minutes: r.minutes,
    scope: approval.scope ?? 'full',
    warnings: [...warnings, ...r.launch.warnings],
  };
}
