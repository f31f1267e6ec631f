// The handoff as a long-running service for the app (no `electron`): watches plan.md in the folders where
// read-only sessions were launched, keeps the pending plans, and approves + launches on the user's word.
// The core maps `current()` onto AppState.handoff and calls `approveAndLaunch` from its IPC handler.
//
// Approval takes the hash the user SAW: if plan.md changed between display and click, nothing is approved.
import { EventEmitter } from 'node:events';
import {
  defaultPlanScope,
  validateElevationMinutes,
  type ApprovalState,
  type PlanScope,
} from '../../shared/plan';
import type { PlanAwsReview } from '../../shared/iam/planReview';
import { reviewPlan } from './iam/planReview';
import { getApproval, recordApproval } from './approvals';
import { appendAudit } from './audit';
import { canonicalCwd, findClaudeSession } from './claudeSessions';
import { HandoffError, launchHandoff, type HandoffLaunch, type HandoffLaunchOptions } from './handoff';
import type { LaunchOptions, LaunchResult } from './launcher';
import type { Env } from './paths';
import { PlanWatcher, readPlanAsync, type PendingPlan } from './planWatcher';
import { listSessions, readSession } from './sessions';

/** Plan text handed to the window (rendered sanitized there); plan.md itself is capped at 1 MB. */
export const MAX_PLAN_TEXT = 256 * 1024;

export interface HandoffView {
  cwd: string;
  planPath: string;
  planHash: string;
  title: string;
  size: number;
  /** Markdown, at most MAX_PLAN_TEXT characters. */
  preview: string;
  truncated: boolean;
  detectedAt: string;
  approved: boolean;
  /** Why an earlier approval was voided (plan changed), if it was. */
  voided: string | null;
  /** Claude session that would be resumed (null: a fresh session starts). */
  claudeSessionId: string | null;
}

export interface RejectedPlan {
  cwd: string;
  file: string;
  message: string;
}

export interface HandoffServiceEvents {
  changed: [];
  /** For a notification: "Plan ready — review". */
  'plan-ready': [view: HandoffView];
  /** sessionId: a running elevated session launched with the voided approval (offer "Drop elevation"). */
  'approval-void': [cwd: string, reason: string, sessionId: string | null];
  rejected: [info: RejectedPlan];
}

export interface HandoffServiceOptions {
  env?: Env;
  now?: () => Date;
  debounceMs?: number;
  /** launcher.launchSession seam. */
  launch?: (opts: LaunchOptions) => Promise<LaunchResult>;
  launchOptions?: Partial<LaunchOptions>;
}

export class HandoffService extends EventEmitter<HandoffServiceEvents> {
  readonly watcher: PlanWatcher;
  private readonly env: Env;
  private readonly now: () => Date;
  private readonly views = new Map<string, HandoffView>();
  private readonly rejectedPlans = new Map<string, RejectedPlan>();
  private readonly voidReasons = new Map<string, string>();

  constructor(private readonly opts: HandoffServiceOptions = {}) {
    super();
    this.env = opts.env ?? process.env;
    this.now = opts.now ?? (() => new Date());
    this.watcher = new PlanWatcher({ env: this.env, now: this.now, debounceMs: opts.debounceMs ?? 250 });
    this.watcher.on('plan', (plan, state) => this.onPlan(plan, state));
    this.watcher.on('rejected', (r) => {
      this.views.delete(r.cwd);
      const info = { cwd: r.cwd, file: r.file, message: r.message };
      this.rejectedPlans.set(r.cwd, info);
      this.emit('rejected', info);
      this.emit('changed');
    });
    this.watcher.on('removed', (cwd) => {
      this.views.delete(cwd);
      this.rejectedPlans.delete(cwd);
      this.emit('changed');
    });
    this.watcher.on('approval-void', (cwd, reason, sessionId) => {
      this.voidReasons.set(cwd, reason);
      const v = this.views.get(cwd);
      if (v) this.views.set(cwd, { ...v, approved: false, voided: reason });
      this.emit('approval-void', cwd, reason, sessionId);
      this.emit('changed');
    });
  }

  /** Watch the folders of read-only sessions Elevate launched (and any extra folders, e.g. recent ones). */
  syncFolders(extra: string[] = []): void {
    const dirs = new Set<string>(extra.map((d) => canonicalCwd(d)));
    for (const s of listSessions(this.env))
      if (s.tier === 'readonly' && s.kind === 'claude') dirs.add(canonicalCwd(s.cwd));
    for (const d of dirs) this.watcher.add(d);
  }

  watch(dir: string): void {
    this.watcher.add(canonicalCwd(dir));
  }

  close(): void {
    this.watcher.close();
  }

  /** Pending plans, newest first. */
  list(): HandoffView[] {
    return [...this.views.values()].sort((a, b) => b.detectedAt.localeCompare(a.detectedAt));
  }

  /** The plan to show in the tray/window (newest), or null. */
  current(): HandoffView | null {
    return this.list()[0] ?? null;
  }

  rejected(): RejectedPlan[] {
    return [...this.rejectedPlans.values()];
  }

  private onPlan(plan: PendingPlan, state: ApprovalState): void {
    this.rejectedPlans.delete(plan.cwd);
    const voided = state.status === 'void' ? state.reason : (this.voidReasons.get(plan.cwd) ?? null);
    const truncated = plan.text.length > MAX_PLAN_TEXT;
    const view: HandoffView = {
      cwd: plan.cwd,
      planPath: plan.file,
      planHash: plan.hash,
      title: plan.title,
      size: plan.size,
      preview: truncated ? plan.text.slice(0, MAX_PLAN_TEXT) : plan.text,
      truncated,
      detectedAt: this.now().toISOString(),
      approved: state.status === 'valid',
      voided: state.status === 'valid' ? null : voided,
      claudeSessionId: findClaudeSession(plan.cwd, this.env).session?.id ?? null,
    };
    // A used approval (already launched) is not a pending plan any more unless the plan changes.
    if (state.status === 'used') {
      this.views.delete(plan.cwd);
      this.emit('changed');
      return;
    }
    this.views.set(plan.cwd, view);
    this.emit('plan-ready', view);
    this.emit('changed');
  }

  /**
   * The user approved the plan they were shown (`planHash`) for `minutes`: record it and launch. Refuses
   * when plan.md no longer has that hash (nothing recorded, nothing launched). The MFA code (hardened
   * layout) is typed into the elevated session's own terminal, where its runner mints the credentials.
   */
  async approveAndLaunch(
    input: { cwd: string; planHash: string; minutes: number; scope?: PlanScope | undefined },
    extra: Partial<HandoffLaunchOptions> = {},
  ): Promise<HandoffLaunch> {
    const m = validateElevationMinutes(input.minutes);
    if (!m.ok) throw new HandoffError('not-approved', m.message);
    const cwd = canonicalCwd(input.cwd);
    const r = await readPlanAsync(cwd); // off the main thread (the app calls this)
    if (r.kind !== 'plan')
      throw new HandoffError(
        r.kind === 'absent' ? 'no-plan' : 'plan-rejected',
        r.kind === 'absent' ? `no plan.md in ${cwd}` : r.message,
      );
    if (r.plan.hash !== input.planHash) {
      throw new HandoffError(
        'approval-void',
        `plan.md changed since it was shown (shown sha256 ${input.planHash.slice(0, 12)}, now ${r.plan.hash.slice(0, 12)}); review it again`,
      );
    }
    // Scope: what the human picked, else the plan's default; plan scope needs at least one known action.
    let review: PlanAwsReview | null = null;
    try {
      review = reviewPlan(r.plan.text);
    } catch {
      review = null;
    }
    const scope = input.scope ?? defaultPlanScope(review);
    if (scope === 'plan' && !review?.actions.length)
      throw new HandoffError(
        'not-approved',
        'plan.md names no AWS action Elevate understands, so a plan-scoped session could do nothing: approve it with the full elevated role',
      );
    recordApproval(
      {
        cwd,
        planHash: input.planHash,
        minutes: m.minutes,
        scope,
        ...(scope === 'plan' ? { actions: review!.actions } : {}),
      },
      this.env,
      this.now(),
    );
    this.voidReasons.delete(cwd);
    const result = await launchHandoff({
      cwd,
      env: this.env,
      now: this.now,
      ...(this.opts.launch ? { launch: this.opts.launch } : {}),
      ...(this.opts.launchOptions ? { launchOptions: this.opts.launchOptions } : {}),
      ...extra,
    });
    this.views.delete(cwd);
    this.emit('changed');
    return result;
  }

  /** Approval state for a folder (for the window's plan view). */
  approvalFor(cwd: string) {
    return getApproval(canonicalCwd(cwd), this.env);
  }
}

/**
 * After an elevation ended: reopen the same conversation read-only. The elevated run resumed (and so
 * continued) a Claude session in that cwd; the newest cwd-verified session there is the one to resume.
 */
export async function resumeReadonly(
  elevatedSessionId: string,
  opts: {
    env?: Env;
    now?: () => Date;
    launch?: (o: LaunchOptions) => Promise<LaunchResult>;
    launchOptions?: Partial<LaunchOptions>;
  } = {},
): Promise<{ launch: LaunchResult; resumeId: string | null }> {
  const env = opts.env ?? process.env;
  const now = opts.now ?? (() => new Date());
  const spec = readSession(elevatedSessionId, env);
  const found = findClaudeSession(spec.cwd, env).session;
  const resumeId = found?.id ?? spec.resumeId ?? null;
  const launch = opts.launch ?? (await import('./launcher')).launchSession;
  const result = await launch({
    ...opts.launchOptions,
    tier: 'readonly',
    cwd: spec.cwd,
    env,
    now,
    ...(resumeId ? { resumeId } : {}),
    audit: { after: elevatedSessionId },
  });
  appendAudit(
    { type: 'resume-readonly', sessionId: result.spec.id, after: elevatedSessionId, resumeId, cwd: spec.cwd },
    env,
    now(),
  );
  return { launch: result, resumeId };
}
