// Sessions and the plan handoff (issues 3, 5): follow the session specs, watch plan.md in read-only
// session folders (HandoffService), end elevation on demand.
import fs from 'node:fs';
import type { Response } from '../../../shared/ipc';
import type { AppState } from '../../../shared/state';
import type { PlanAwsReview } from '../../../shared/iam/planReview';
import { HandoffService, type HandoffView } from '../../node/handoffService';
import { reviewPlan } from '../../node/iam/planReview';
import { files } from '../../node/paths';
import { dropSession } from '../../node/runner';
import { isLive, listSessions } from '../../node/sessions';
import { CoreError, type Runtime } from '../runtime';
import type { ElevationClock } from '../schedulers/elevationClock';

/** The last review, by plan text: handoffState runs on every handoff change, the plan rarely changes. */
let lastReview: { text: string; aws: PlanAwsReview | null; awsError: string | null } | null = null;

/** The plan's AWS side (issue 14 item 3) for the window, computed once per plan text. */
export function planAwsSide(planText: string): { aws: PlanAwsReview | null; awsError: string | null } {
  if (lastReview?.text !== planText) {
    try {
      lastReview = { text: planText, aws: reviewPlan(planText), awsError: null };
    } catch (err) {
      lastReview = {
        text: planText,
        aws: null,
        awsError: `could not review the plan's aws commands: ${(err as Error).message}`,
      };
    }
  }
  return { aws: lastReview.aws, awsError: lastReview.awsError };
}

export function handoffState(v: HandoffView | null): AppState['handoff'] {
  if (!v) return null;
  return {
    ...planAwsSide(v.preview),
    cwd: v.cwd,
    planPath: v.planPath,
    planHash: v.planHash,
    preview: v.preview,
    detectedAt: v.detectedAt,
    approved: v.approved,
    voided: v.voided,
    title: v.title,
    truncated: v.truncated,
    claudeSessionId: v.claudeSessionId,
  };
}

export class SessionsController {
  handoff: HandoffService | null = null;
  private watcher: fs.FSWatcher | null = null;
  private debounce: unknown = null;

  constructor(
    private readonly rt: Runtime,
    private readonly clock: ElevationClock,
  ) {}

  /** Session specs change when `elevate run` starts or ends a session: follow them (debounced). */
  watchSessions(): void {
    const { rt } = this;
    if (rt.opts.watchPlans === false || this.watcher) return;
    try {
      const dir = files.sessions(rt.env);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      this.watcher = fs.watch(dir, () => {
        if (this.debounce !== null) return;
        this.debounce = rt.clock.setTimeout(() => {
          this.debounce = null;
          rt.store.update({ sessions: rt.readSessions() });
        }, 200);
      });
      this.watcher.on('error', () => undefined);
    } catch {
      /* no watching: sessions refresh on state:refresh and after launches */
    }
  }

  startHandoff(): void {
    const { rt } = this;
    if (rt.opts.watchPlans === false || this.handoff) return;
    try {
      const h = new HandoffService({ env: rt.env, now: () => rt.now(), launchOptions: rt.launchOpts() });
      h.on('changed', () => rt.store.update({ handoff: handoffState(h.current()) }));
      h.on('plan-ready', (v) =>
        rt.platform.notify?.('Plan ready — review', `${v.title || 'plan.md'} in ${v.cwd}`, 'plan'),
      );
      h.on('approval-void', (cwd, reason) => {
        rt.platform.notify?.('Approval voided', reason, 'plan');
        rt.store.recordError('plan', { code: 'approval-void', message: `${cwd}: ${reason}` });
      });
      h.on('rejected', (r) => rt.store.recordError('plan', { code: 'plan-rejected', message: r.message }));
      this.handoff = h;
      h.syncFolders(rt.store.state.settings.recentFolders);
    } catch (err) {
      rt.store.recordError('plan', {
        code: 'watch-failed',
        message: `cannot watch plan.md files: ${(err as Error).message}`,
      });
    }
  }

  stop(): void {
    this.handoff?.close();
    this.handoff = null;
    this.watcher?.close();
    this.watcher = null;
    if (this.debounce !== null) this.rt.clock.clearTimeout(this.debounce);
    this.debounce = null;
  }

  /** End elevation now: live elevated sessions are ended (runner: SIGTERM, then SIGKILL), tier → read-only. */
  async dropElevation(): Promise<Response<'elevation:drop'>> {
    const { rt } = this;
    const el = rt.store.state.elevation;
    const live = listSessions(rt.env).filter((s) => s.tier === 'elevated' && isLive(s));
    const dropped: string[] = [];
    const failed: string[] = [];
    for (const s of live) {
      try {
        await dropSession(s.id, { env: rt.env, by: 'app', now: () => rt.now() });
        dropped.push(s.id);
      } catch (err) {
        failed.push(`${s.id}: ${(err as Error).message}`);
      }
    }
    // every running elevation ends, not only the displayed one
    this.clock.end('dropped', { audited: (id) => id !== null && dropped.includes(id) });
    if (failed.length) throw new CoreError('drop-failed', `could not end ${failed.join('; ')}`);
    return { dropped, wasElevated: el !== null };
  }
}
