// ElevateCore: the one state store of the app, and the one place every window request is served.
// Services update it; the tray (glue), the window (over the bridge) and the CLI (via state.json) read it.
// No `electron` here: OS things the core needs (folder picker, browser, notifications, login item) come
// in through `Platform`, timers through `Clock`, so the whole core runs in plain Node (tests, e2e bridge).
import type { z } from 'zod';
import {
  CHANNELS,
  contract,
  IPC_ERRORS,
  isAllowedExternalUrl,
  isChannel,
  type Channel,
  type IpcError,
  type IpcResult,
  type Response,
} from '../../shared/ipc';
import { parseSettings, type Settings } from '../../shared/settings';
import {
  EXPIRING_MS,
  ElevationSchema,
  initialState,
  type ActiveTier,
  type AppError,
  type AppState,
  type Elevation,
  type ErrorInfo,
  type Identity,
  type SessionSummary,
  type TierInfo,
} from '../../shared/state';
import { resolveChain } from '../../shared/awsConfig';
import type { Tier } from '../../shared/types';
import { readAppState, writeAppState, type PersistedState } from '../node/appState';
import { appendAudit, readAudit } from '../node/audit';
import { loadContext, type CoreContext } from '../node/context';
import { runDoctor } from '../node/doctor';
import { claudeSettingsDoctor } from '../node/claudeSettings';
import { touchedFiles } from '../node/claudeSettingsSync';
import { activityDoctor, readActivity } from '../node/activity';
import { readUsage, type UsageReport } from '../node/usage';
import { buildPolicyHints, policyDocument, type IamStatement } from '../../shared/activity';
import { warnLead } from '../../shared/usage';
import { terminalDoctor } from '../node/terminals';
import { workstationDoctor } from '../node/ssmConnect';
import { IdentityError, verifyTier } from '../node/identity';
import { isLive, listSessions, type SessionSpec } from '../node/sessions';
import { claudeSessionIdOf } from '../node/tierSessions';
import { LaunchError, launchSession, type LaunchOptions, type LaunchResult } from '../node/launcher';
import { HandoffService, resumeReadonly, type HandoffView } from '../node/handoffService';
import { HandoffError } from '../node/handoff';
import { dropSession } from '../node/runner';
import type { SelfCommand } from '../node/selfCommand';
import {
  checkCloudInit,
  resolveInstanceId,
  resolveTarget,
  WorkstationError,
  type WorkstationTarget,
} from '../node/ssm';
import { connectWorkstation } from '../node/ssmConnect';
import { refreshWorkstationStatus, WorkstationMonitor } from '../node/workstationMonitor';
import { ElevatedLaunchError, elevatedLaunch } from '../node/elevatedLaunch';
import {
  onAppQuit,
  readActive,
  refreshTargets,
  switchElevation,
  switchResponse,
  switchTier,
  SwitchError,
  tick,
  type ActiveState,
} from '../node/activeTier';
import { loadSettings, saveSettings } from '../node/settingsStore';
import { files, type Env } from '../node/paths';
import fs from 'node:fs';
import path from 'node:path';

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** OS services only the Electron glue can provide (or a test stands in for). */
export interface Platform {
  pickFolder?(title?: string): Promise<string | null>;
  openExternal?(url: string): Promise<void>;
  /** `section`: what clicking the notification opens in the window (default: the overview). */
  notify?(title: string, body: string, section?: 'overview' | 'plan'): void;
  setLaunchAtLogin?(enabled: boolean): void;
}

export interface CoreOptions {
  env?: Env;
  clock?: Clock;
  platform?: Platform;
  /**
   * Every window request's sender URL must pass it (the glue passes the file:// renderer check). Without
   * it `handle` refuses everything: a window dispatcher is never open by default. Main-side callers (tray)
   * use `invoke`.
   */
  trustedSender?: (url: string) => boolean;
  /** Write state.json (pid, active tier, elevation). Default true. */
  persist?: boolean;
  /** How terminals run Elevate's CLI (`<self> run --session ID`); the glue passes the Electron one. */
  self?: SelfCommand;
  /** Extra launcher options (terminal adapter / spawner seams in tests). */
  launchOptions?: Partial<LaunchOptions>;
  /** Watch plan.md in read-only session folders and the session specs (default true). */
  watchPlans?: boolean;
}

export interface Sender {
  url: string;
}

/** An error with a code the window can act on; anything else becomes `failed`. */
export class CoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}

const MAX_ERRORS = 5;
/** Elevation warnings, before the deadline (issue 5: 5 and 1 minute). */
export const WARN_BEFORE_MS = [EXPIRING_MS, 60_000] as const;

type Handlers = { [C in Channel]: (req: z.output<(typeof contract)[C]['request']>) => Promise<Response<C>> };

export class ElevateCore {
  readonly env: Env;
  readonly clock: Clock;
  private platform: Platform;
  private opts: CoreOptions;
  private state: AppState;
  private ctx: CoreContext | null = null;
  private listeners = new Set<(s: AppState) => void>();
  private timer: unknown = null;
  private warned = new Set<string>();
  private errorSeq = 0;
  private started = false;
  /**
   * The active tier as $ELEVATE_HOME/active.json has it (activeTier.ts readActive: the single source, also
   * of `elevate status`). No file = `off`: Elevate changes nothing outside its own launches.
   */
  private chosenTier: ActiveTier = 'off';
  private handoff: HandoffService | null = null;
  private sessionsWatcher: fs.FSWatcher | null = null;
  private readonly wsMonitor: WorkstationMonitor;
  private sessionsTimer: unknown = null;
  /** Cost guard (issue 8): the next usage re-check, when the last one ran, warnings already notified. */
  private usageTimer: unknown = null;
  private usageAt = Number.NEGATIVE_INFINITY;
  private usageNotified = new Set<string>();

  constructor(opts: CoreOptions = {}) {
    this.opts = opts;
    this.env = opts.env ?? process.env;
    this.clock = opts.clock ?? systemClock;
    this.platform = opts.platform ?? {};
    this.state = { ...initialState(new Date(this.clock.now())), capabilities: [...CHANNELS] };
    // Workstation status (issue 6 monitor): refreshed while a window shows it, single flight, slower
    // after errors; never an AWS call while no workstation is configured.
    this.wsMonitor = new WorkstationMonitor(
      // the core's slice is the truth (cloud-init results come from elsewhere), not the monitor's copy
      async () =>
        this.state.workstation.configured && this.ctx
          ? refreshWorkstationStatus(this.state.workstation, {
              env: this.env,
              ctx: this.ctx,
              now: () => new Date(this.clock.now()),
            })
          : this.state.workstation,
      (ws) => this.update({ workstation: ws }),
      {
        setTimeout: (fn, ms) => this.clock.setTimeout(fn, ms),
        clearTimeout: (h) => this.clock.clearTimeout(h),
      },
    );
  }

  // ------------------------------------------------------------------------------------------
  // Store
  // ------------------------------------------------------------------------------------------

  getState(): AppState {
    return this.state;
  }

  /** Called with every new snapshot; returns the unsubscribe function. */
  subscribe(cb: (s: AppState) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private update(patch: Partial<AppState>, persist = false): void {
    this.state = { ...this.state, ...patch, revision: this.state.revision + 1 };
    if (persist) this.persist();
    for (const cb of [...this.listeners]) {
      try {
        cb(this.state);
      } catch (err) {
        console.error('elevate: state listener failed:', (err as Error).message);
      }
    }
  }

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** Load files, restore persisted elevation, claim state.json (pid), start the clock. */
  start(): AppState {
    this.started = true;
    const persisted = readAppState(this.env).state;
    this.reload();
    // Launch/handoff elevations still before their deadline come back; a switch elevation and the tier
    // itself come from active.json (syncActive), never from state.json.
    const restored = this.state.tiers.elevated
      ? restoreElevations(persisted, this.clock.now()).filter((e) => e.source !== 'switch')
      : [];
    this.setElevations(restored, {}, true);
    this.syncActive();
    this.startHandoff();
    this.watchSessions();
    this.schedule();
    return this.state;
  }

  /** Release state.json (no pid: the CLI then reports the app as not running) and timers. */
  stop(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.handoff?.close();
    this.handoff = null;
    this.sessionsWatcher?.close();
    this.sessionsWatcher = null;
    this.wsMonitor.stop();
    if (this.sessionsTimer !== null) this.clock.clearTimeout(this.sessionsTimer);
    this.sessionsTimer = null;
    if (this.usageTimer !== null) this.clock.clearTimeout(this.usageTimer);
    this.usageTimer = null;
    if (this.started && this.opts.persist !== false) {
      try {
        onAppQuit(new Date(this.clock.now()), this.env); // issue 7: quitting restores Claude settings files
      } catch (err) {
        console.error('elevate: restoring on quit failed:', (err as Error).message);
      }
      this.persist(false);
    }
    this.started = false;
    this.listeners.clear();
  }

  /** Re-read ~/.aws, settings and sessions. Problems become `configError`, never a crash. */
  reload(): AppState {
    let configError: string | null = null;
    try {
      this.ctx = loadContext(this.env);
    } catch (err) {
      this.ctx = null;
      configError = (err as Error).message;
    }
    const ctx = this.ctx;
    const tiers: AppState['tiers'] = ctx
      ? {
          readonly: tierInfo(ctx, 'readonly'),
          elevated: tierInfo(ctx, 'elevated'),
          source: ctx.tiers.source,
          notes: ctx.tiers.notes,
        }
      : { readonly: null, elevated: null, source: 'none', notes: [] };
    // Identities verified for a profile that is no longer the tier's profile are stale.
    const identities = { ...this.state.identities };
    const identityErrors = { ...this.state.identityErrors };
    for (const t of ['readonly', 'elevated'] as const) {
      if (identities[t] && identities[t]?.profile !== tiers[t]?.profile) identities[t] = null;
      if (!tiers[t]) identityErrors[t] = null; // no tier, nothing to have failed
    }
    const settings = ctx?.settings ?? safeSettings(this.env);
    const ws = settings?.workstation;
    this.state = { ...this.state, tiers };
    const activeTier = this.effectiveTier();
    this.update({
      configError,
      elevatedNeedsMfa: Boolean(ctx?.tiers.elevated && ctx.setup.profiles.get(ctx.tiers.elevated)?.mfaSerial),
      tiers,
      identities,
      identityErrors,
      activeTier,
      settings: summarize(settings),
      sessions: this.readSessions(),
      workstation: {
        ...this.state.workstation,
        configured: Boolean(ws && (ws.instanceId || ws.operatorProfile)),
        // an instance found by tag (no id in settings) stays known across reloads
        instanceId: ws?.instanceId ?? (ws?.operatorProfile ? this.state.workstation.instanceId : null),
        region: ws?.region ?? (ws?.operatorProfile ? this.state.workstation.region : null),
      },
    });
    this.refreshUsage(true);
    return this.state;
  }

  /**
   * The active tier (what everything started next uses) mirrors active.json, as `elevate status` reports
   * it; launch/handoff elevations are per session and show in `elevation`/`elevations`, not here.
   */
  private effectiveTier(): ActiveTier {
    if (this.state.elevations.some((e) => e.source === 'switch')) return 'elevated';
    return this.chosenTier;
  }

  /**
   * Overlapping elevations (a second elevated launch / approval while one runs): every live elevation is
   * tracked with its own deadline, and each ends (IAM credentials, runner, audit line) at its own deadline.
   * Why not one shared timer: replacing the first deadline with the second would either silently extend
   * the first session's window on screen (the countdown would lie about when its credentials stop) or cut
   * it short. Why not refuse: a second approved plan is a legitimate, separately approved window. So the
   * display is conservative both ways: "elevated" (countdown, tray) shows the one ending LAST, so the UI
   * never says "not elevated" while any elevated credentials are still issued; the 5/1-minute warnings and
   * expiry notifications fire per elevation, i.e. for the one ending FIRST; "Drop elevation" ends them all.
   */
  private setElevations(list: Elevation[], patch: Partial<AppState> = {}, persist = false): void {
    const elevations = [...list].sort((a, b) => Date.parse(a.deadline) - Date.parse(b.deadline));
    this.state = { ...this.state, elevations };
    this.update(
      {
        ...patch,
        elevations,
        elevation: elevations[elevations.length - 1] ?? null,
        activeTier: this.effectiveTier(),
      },
      persist,
    );
  }

  private readSessions(): SessionSummary[] {
    try {
      return listSessions(this.env)
        .slice(-20)
        .map((s) => ({
          id: s.id,
          kind: s.kind,
          tier: s.tier,
          profile: s.profile,
          cwd: s.cwd,
          createdAt: s.createdAt,
          deadline: s.deadline ?? null,
          live: isLive(s),
        }));
    } catch {
      return [];
    }
  }

  private persist(withPid = true): void {
    if (this.opts.persist === false) return;
    const prev = readAppState(this.env).state ?? {};
    const next: PersistedState = {
      ...prev,
      activeTier: this.state.activeTier,
      chosenTier: this.chosenTier,
      since: this.state.since,
      deadline: this.state.elevation?.deadline ?? null,
      elevation: this.state.elevation,
      elevations: this.state.elevations,
      updatedAt: this.nowIso(),
    };
    if (withPid) next.pid = process.pid;
    else delete next.pid;
    try {
      writeAppState(next, this.env);
    } catch (err) {
      this.recordError('state', {
        code: 'persist-failed',
        message: `could not write state.json: ${(err as Error).message}`,
      });
    }
  }

  // ------------------------------------------------------------------------------------------
  // Errors
  // ------------------------------------------------------------------------------------------

  private recordError(source: string, info: ErrorInfo): AppError {
    const e: AppError = {
      id: `e${++this.errorSeq}`,
      source,
      code: info.code,
      message: info.message,
      at: this.nowIso(),
    };
    this.update({ errors: [...this.state.errors, e].slice(-MAX_ERRORS) });
    return e;
  }

  dismissError(id?: string): void {
    this.update({ errors: id ? this.state.errors.filter((e) => e.id !== id) : [] });
  }

  // ------------------------------------------------------------------------------------------
  // Elevation (the timer; issue 5/7 services call startElevation / endElevation)
  // ------------------------------------------------------------------------------------------

  startElevation(input: {
    minutes?: number;
    deadline?: string;
    sessionId?: string | null;
    source: Elevation['source'];
  }): Elevation {
    const now = this.clock.now();
    const minutes = input.minutes ?? this.state.settings.elevationMinutes;
    const deadline = input.deadline ?? new Date(now + minutes * 60_000).toISOString();
    if (!(Date.parse(deadline) > now))
      throw new CoreError('invalid-deadline', `elevation deadline ${deadline} is not in the future`);
    if (!this.state.tiers.elevated) throw new CoreError('no-elevated-tier', 'no elevated tier is set up');
    const elevation: Elevation = {
      startedAt: new Date(now).toISOString(),
      deadline,
      sessionId: input.sessionId ?? null,
      source: input.source,
    };
    // A new switch elevation replaces the previous one (active.json holds one); session ones accumulate.
    const others = this.state.elevations.filter((e) => !(input.source === 'switch' && e.source === 'switch'));
    this.setElevations([...others, elevation], {}, true);
    this.audit({
      type: 'elevation-start',
      tier: 'elevated',
      profile: this.state.tiers.elevated.profile,
      sessionId: elevation.sessionId ?? undefined,
      deadline,
      source: input.source,
    });
    this.schedule();
    return elevation;
  }

  /**
   * Ends elevations (deadline reached, or dropped). Without `sessionId`, all of them ("Drop elevation"
   * ends every window); with it, only that session's. `audited`: the caller wrote the audit line already.
   */
  endElevation(
    reason: 'expired' | 'dropped',
    opts: { audited?: boolean | ((sessionId: string | null) => boolean); sessionId?: string } = {},
  ): void {
    const due = this.state.elevations.filter(
      (e) => opts.sessionId === undefined || e.sessionId === opts.sessionId,
    );
    for (const el of due) {
      const audited = typeof opts.audited === 'function' ? opts.audited(el.sessionId) : opts.audited === true;
      this.endOne(el, reason, audited);
    }
  }

  private endOne(el: Elevation, reason: 'expired' | 'dropped', audited: boolean): void {
    const rest = this.state.elevations.filter((e) => e !== el);
    if (rest.length === this.state.elevations.length) return; // already ended
    if (el.source === 'switch') {
      this.state = { ...this.state, elevations: rest };
      this.endSwitchElevation(reason);
      return;
    }
    const spec = el.sessionId
      ? listSessions(this.env).find((s) => s.id === el.sessionId && s.kind === 'claude')
      : undefined;
    const resumable = spec
      ? { sessionId: spec.id, cwd: spec.cwd, endedAt: this.nowIso(), reason }
      : this.state.resumable;
    this.setElevations(rest, { sessions: this.readSessions(), resumable }, true);
    const tier = this.state.activeTier;
    if (!audited)
      this.audit({
        type: reason === 'expired' ? 'expiry' : 'drop',
        tier: 'elevated',
        sessionId: el.sessionId ?? undefined,
        deadline: el.deadline,
        fallback: tier,
      });
    const last = this.state.elevation;
    this.platform.notify?.(
      reason === 'expired' ? 'Elevation ended' : 'Elevation dropped',
      last
        ? `Session ${el.sessionId ?? ''}: elevated credentials are no longer issued. ${rest.length} other elevation${rest.length === 1 ? '' : 's'} still running, until ${last.deadline.slice(11, 16)} UTC.`
        : `Back to ${tier === 'readonly' ? 'read-only' : tier === 'elevated' ? 'the elevated tier' : 'off'}. Elevated credentials are no longer issued.`,
    );
    this.schedule();
  }

  /** One timer for the next event (a warning or a deadline) of any elevation; never a polling loop. */
  private schedule(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    if (this.started) this.refreshUsage(); // elevated time starts or stops accruing: re-plan the cost guard
    if (!this.state.elevations.length || !this.started) return;
    const now = this.clock.now();
    const events = this.state.elevations
      .flatMap((el) => {
        const deadline = Date.parse(el.deadline);
        return [...WARN_BEFORE_MS.map((b) => deadline - b), deadline];
      })
      .filter((t) => t > now);
    const next = events.length ? Math.min(...events) : now;
    this.timer = this.clock.setTimeout(() => this.onTimer(), Math.min(next - now, 2 ** 31 - 1));
  }

  private onTimer(): void {
    this.timer = null;
    const now = this.clock.now();
    // Each elevation ends at its own deadline (soonest first)...
    for (const el of this.state.elevations.filter((e) => Date.parse(e.deadline) <= now)) {
      this.endOne(el, 'expired', false);
    }
    // ...and gets its own 5 and 1 minute warnings.
    const several = this.state.elevations.length > 1;
    for (const el of this.state.elevations) {
      const left = Date.parse(el.deadline) - now;
      for (const before of WARN_BEFORE_MS) {
        const key = `${el.sessionId ?? 'switch'}:${el.deadline}:${before}`;
        if (left <= before && !this.warned.has(key)) {
          this.warned.add(key);
          const mins = Math.ceil(left / 60_000);
          this.platform.notify?.(
            'Elevation ending soon',
            `${mins} minute${mins === 1 ? '' : 's'} of elevated access left (until ${el.deadline.slice(11, 16)} UTC)${several && el.sessionId ? ` for session ${el.sessionId}` : ''}.`,
          );
        }
      }
    }
    this.refreshUsage(); // at most once a minute
    // Re-emit so listeners repaint the "expiring" look even though no field changed.
    this.update({});
    this.schedule();
  }

  // ------------------------------------------------------------------------------------------
  // Cost guard (issue 8): today's usage in state, warnings in the tray and as notifications
  // ------------------------------------------------------------------------------------------

  /**
   * Re-read today's usage (session specs + audit log: cheap, but never more than once a minute unless
   * `force`: a reload). Each new warning is notified once a day; the next check is scheduled for the moment
   * the next warning or limit falls due — a timer only while limits are set, never a polling loop.
   */
  private refreshUsage(force = false): void {
    const now = this.clock.now();
    if (!force && now - this.usageAt < USAGE_MIN_INTERVAL_MS) {
      if (this.state.usage && hasLimits(this.state.usage.limits)) this.scheduleUsage(now);
      return;
    }
    this.usageAt = now;
    let report: UsageReport;
    try {
      report = readUsage(this.env, this.ctx?.settings ?? safeSettings(this.env), new Date(now));
    } catch (err) {
      console.error('elevate: reading usage failed:', (err as Error).message);
      return;
    }
    for (const w of report.warnings) {
      const key = `${report.dayStart}|${w.kind}|${w.level}|${w.sessionId ?? ''}`;
      if (this.usageNotified.has(key)) continue;
      this.usageNotified.add(key);
      this.platform.notify?.(
        w.level === 'reached' ? 'Cost guard: limit reached' : 'Cost guard: limit ahead',
        `${w.message.charAt(0).toUpperCase()}${w.message.slice(1)}.`,
      );
    }
    const limits = {
      maxElevatedMinutesPerDay: report.limits.maxElevatedMinutesPerDay ?? null,
      maxSessionMinutes: report.limits.maxSessionMinutes ?? null,
    };
    this.update({
      usage: {
        elevatedSecondsToday: report.elevatedSecondsToday,
        sessionsToday: report.sessionsToday,
        dayStart: report.dayStart,
        computedAt: new Date(now).toISOString(),
        limits,
        warnings: report.warnings,
      },
    });
    this.scheduleUsage(hasLimits(limits) ? this.nextUsageEvent(report, now) : null);
  }

  /** When the next cost-guard warning or limit can fall due (or the day rolls over), or null. */
  private nextUsageEvent(report: UsageReport, now: number): number {
    const at: number[] = [];
    const day = report.limits.maxElevatedMinutesPerDay;
    const accruing =
      this.state.elevation !== null || this.state.sessions.some((s) => s.live && s.tier === 'elevated');
    if (day && accruing) {
      const used = report.elevatedSecondsToday * 1000;
      for (const m of [day - warnLead(day), day]) if (m * 60_000 > used) at.push(now + m * 60_000 - used);
    }
    const max = report.limits.maxSessionMinutes;
    if (max) {
      for (const s of this.state.sessions.filter((x) => x.live)) {
        for (const m of [max - warnLead(max), max]) at.push(Date.parse(s.createdAt) + m * 60_000);
      }
    }
    const midnight = new Date(report.dayStart);
    at.push(new Date(midnight.getFullYear(), midnight.getMonth(), midnight.getDate() + 1).getTime());
    return Math.min(...at.filter((t) => t > now));
  }

  private scheduleUsage(at: number | null): void {
    if (this.usageTimer !== null) this.clock.clearTimeout(this.usageTimer);
    this.usageTimer = null;
    if (at === null || !this.started) return;
    const due = Math.max(at, this.usageAt + USAGE_MIN_INTERVAL_MS);
    this.usageTimer = this.clock.setTimeout(
      () => {
        this.usageTimer = null;
        this.refreshUsage(true);
      },
      Math.min(due - this.clock.now(), 2 ** 31 - 1),
    );
  }

  /** `policy:hints`: the CLI's grouping and IAM documents, with the profile each tier's role is behind. */
  private policyHints(): Response<'policy:hints'> {
    const records = readActivity(this.env);
    const h = buildPolicyHints(records);
    const doc = (st: IamStatement[]) => (st.length ? JSON.stringify(policyDocument(st), null, 2) : null);
    return {
      tiers: h.tiers.map((t) => ({
        tier: t.tier,
        profile: t.tier === 'unknown' ? null : (this.state.tiers[t.tier]?.profile ?? null),
        denied: t.denied,
        handoff: t.handoff,
        explicit: t.explicit,
        sensitive: t.sensitive,
        policy: doc(t.statements),
      })),
      elevatedForHandoff: doc(h.elevatedForHandoff),
      calls: records.length,
    };
  }

  private audit(event: Parameters<typeof appendAudit>[0]): void {
    try {
      appendAudit(JSON.parse(JSON.stringify(event)), this.env, new Date(this.clock.now()));
    } catch (err) {
      this.recordError('audit', {
        code: 'audit-failed',
        message: `could not append to the audit log: ${(err as Error).message}`,
      });
    }
  }

  // ------------------------------------------------------------------------------------------
  // Channel handlers (one per contract channel; the type makes a missing one a compile error)
  // ------------------------------------------------------------------------------------------

  // ------------------------------------------------------------------------------------------
  // Active tier (issue 7: electron/node/activeTier.ts owns it; the CLI may switch too)
  // ------------------------------------------------------------------------------------------

  /** Switch for everything started next; the caller (tray dialog, window) has confirmed elevated. */
  switchTier(tier: ActiveTier, minutes?: number): ReturnType<typeof switchResponse> {
    let r;
    try {
      r = switchTier(tier, {
        minutes,
        now: new Date(this.clock.now()),
        env: this.env,
        source: 'app',
        ctx: this.ctx ?? undefined,
      });
    } catch (err) {
      if (err instanceof SwitchError) throw new CoreError(err.code, err.message);
      throw err;
    }
    this.adoptActive(r.state);
    for (const w of r.warnings) this.recordError('tier:switch', { code: 'switch-target', message: w });
    return switchResponse(r);
  }

  /** Pick up the active tier from $ELEVATE_HOME/active.json (a CLI switch, a passed deadline). */
  syncActive(): void {
    try {
      const { state, fallback } = readActive(new Date(this.clock.now()), this.env);
      if (fallback)
        this.platform.notify?.(
          'Elevation ended',
          'Back to read-only. Elevated credentials are no longer issued.',
        );
      this.adoptActive(state);
    } catch (err) {
      this.recordError('tier', { code: 'active-tier', message: (err as Error).message });
    }
  }

  private adoptActive(s: ActiveState): void {
    // Never switched (no active.json) reads as `off`, exactly what `elevate status` says.
    this.chosenTier = s.tier;
    // Launch/handoff elevations stay; the switch elevation follows the file.
    const sw = switchElevation(s);
    const sessions = this.state.elevations.filter((e) => e.source !== 'switch');
    this.setElevations(sw ? [...sessions, sw] : sessions, { since: s.since ?? this.state.since }, true);
    this.schedule();
  }

  private endSwitchElevation(reason: 'expired' | 'dropped'): void {
    const now = new Date(this.clock.now());
    try {
      if (reason === 'expired') {
        const fb = tick(now, this.env, this.ctx ?? undefined);
        if (fb) for (const w of fb.warnings) this.recordError('tier', { code: 'switch-target', message: w });
      } else {
        switchTier('readonly', { now, env: this.env, source: 'drop', ctx: this.ctx ?? undefined });
      }
    } catch (err) {
      this.recordError('tier', { code: 'active-tier', message: (err as Error).message });
    }
    this.setElevations(
      this.state.elevations.filter((e) => e.source !== 'switch'),
      {},
      false,
    );
    this.syncActive();
    this.platform.notify?.(
      reason === 'expired' ? 'Elevation ended' : 'Elevation dropped',
      'Back to read-only. Elevated credentials are no longer issued.',
    );
  }

  // ------------------------------------------------------------------------------------------
  // Launches, handoff (issue 3 launcher, issue 5 handoff service) and dropping elevation
  // ------------------------------------------------------------------------------------------

  private launchOpts(): Partial<LaunchOptions> {
    return { ...(this.opts.self ? { self: this.opts.self } : {}), ...this.opts.launchOptions };
  }

  /**
   * Open a terminal running claude-ro / claude-el in `cwd` (asks for a folder when none is given).
   * `resumeId`: restart a stale session under `tier` (issue 7) — the live Elevate session running that
   * Claude conversation is ended first (runner: SIGTERM, then SIGKILL) and `claude --resume <id>` opens in
   * its folder (resume only finds conversations of the current directory). `mfaCode`: for an elevated
   * profile with mfa_serial (credentials are fetched once, now, with the code).
   */
  async launch(
    tier: Tier,
    cwd?: string,
    minutes?: number,
    extra: { resumeId?: string | undefined; mfaCode?: string | undefined } = {},
  ): Promise<Response<'launch:start'>> {
    const ctx = this.requireCtx();
    let folder = cwd ?? null;
    let old: SessionSpec | undefined;
    if (extra.resumeId !== undefined) {
      old = listSessions(this.env).find(
        (s) => s.kind === 'claude' && isLive(s) && claudeSessionIdOf(s) === extra.resumeId,
      );
      if (old && folder && path.resolve(folder) !== old.cwd) {
        throw new CoreError(
          'bad-option',
          `Claude session ${extra.resumeId} runs in ${old.cwd}: claude --resume only finds it there`,
        );
      }
      folder = folder ?? old?.cwd ?? null;
    }
    if (!folder) {
      if (!this.platform.pickFolder)
        throw new CoreError('unavailable', 'no folder picker in this environment: give a folder');
      folder = await this.platform.pickFolder(
        `Project folder for ${tier === 'elevated' ? 'claude-el' : 'claude-ro'}`,
      );
      if (!folder)
        return {
          launched: false,
          sessionId: null,
          cwd: null,
          terminal: null,
          removed: [],
          warnings: [],
          deadline: null,
        };
    }
    const now = () => new Date(this.clock.now());
    // One Claude process per conversation: the old one ends before the new one resumes it (after the
    // elevation's minutes were validated, so a bad request ends nothing).
    const dropOld = async () => {
      if (!old) return;
      try {
        await dropSession(old.id, { env: this.env, by: 'app', now });
      } catch (err) {
        throw new CoreError('drop-failed', `cannot end session ${old.id}: ${(err as Error).message}`);
      }
      this.endElevation('dropped', { sessionId: old.id, audited: true });
    };
    const resume = extra.resumeId !== undefined ? { resumeId: extra.resumeId } : {};
    // The MFA code (hardened layout) is asked by the elevated session's runner on its own terminal, where the
    // credentials are minted; extra.mfaCode is not used any more.
    let r: LaunchResult;
    try {
      if (tier === 'elevated') {
        const e = await elevatedLaunch({
          cwd: folder,
          env: this.env,
          ctx,
          now,
          minutes: minutes ?? ctx.settings.elevation.defaultMinutes,
          ...resume,
          launchOptions: this.launchOpts(),
          before: dropOld,
          // startElevation writes the one `elevation-start` audit line of this elevation
          record: (rec) =>
            void this.startElevation({ deadline: rec.deadline, sessionId: rec.sessionId, source: 'launch' }),
        });
        r = e.launch;
      } else {
        await dropOld();
        r = await launchSession({
          ...this.launchOpts(),
          tier,
          cwd: folder,
          env: this.env,
          ctx,
          now,
          ...resume,
        });
      }
    } catch (err) {
      if (err instanceof CoreError) throw err;
      if (err instanceof ElevatedLaunchError)
        throw new CoreError(err.code === 'bad-minutes' ? 'bad-option' : err.code, err.message);
      if (err instanceof LaunchError) throw new CoreError(err.code, err.message);
      if ((err as { name?: string }).name === 'TierError')
        throw new CoreError('no-tier', (err as Error).message);
      throw err;
    }
    const warnings: string[] = [];
    this.rememberFolder(r.spec.cwd);
    if (tier === 'readonly') this.handoff?.watch(r.spec.cwd);
    this.update({ sessions: this.readSessions() });
    return {
      launched: true,
      sessionId: r.spec.id,
      cwd: r.spec.cwd,
      terminal: r.terminal.label,
      removed: r.removed.map((v) => v.name),
      warnings: [...warnings, ...r.warnings],
      deadline: r.spec.deadline ?? null,
      replaced: old?.id ?? null,
    };
  }

  /** Session specs change when `elevate run` starts or ends a session: follow them (debounced). */
  private watchSessions(): void {
    if (this.opts.watchPlans === false || this.sessionsWatcher) return;
    try {
      const dir = files.sessions(this.env);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      this.sessionsWatcher = fs.watch(dir, () => {
        if (this.sessionsTimer !== null) return;
        this.sessionsTimer = this.clock.setTimeout(() => {
          this.sessionsTimer = null;
          this.update({ sessions: this.readSessions() });
        }, 200);
      });
      this.sessionsWatcher.on('error', () => undefined);
    } catch {
      /* no watching: sessions refresh on state:refresh and after launches */
    }
  }

  /** End one live session early (any tier): the runner ends its child; an elevation it carried ends too. */
  async dropOne(id: string): Promise<Response<'session:drop'>> {
    let r;
    try {
      r = await dropSession(id, { env: this.env, by: 'app', now: () => new Date(this.clock.now()) });
    } catch (err) {
      throw new CoreError('drop-failed', (err as Error).message);
    }
    this.endElevation('dropped', { sessionId: id, audited: true });
    this.update({ sessions: this.readSessions() });
    return { sessionId: id, forced: r.forced };
  }

  private startHandoff(): void {
    if (this.opts.watchPlans === false || this.handoff) return;
    try {
      const h = new HandoffService({
        env: this.env,
        now: () => new Date(this.clock.now()),
        launchOptions: this.launchOpts(),
      });
      h.on('changed', () => this.update({ handoff: handoffState(h.current()) }));
      h.on('plan-ready', (v) =>
        this.platform.notify?.('Plan ready — review', `${v.title || 'plan.md'} in ${v.cwd}`, 'plan'),
      );
      h.on('approval-void', (cwd, reason) => {
        this.platform.notify?.('Approval voided', reason, 'plan');
        this.recordError('plan', { code: 'approval-void', message: `${cwd}: ${reason}` });
      });
      h.on('rejected', (r) => this.recordError('plan', { code: 'plan-rejected', message: r.message }));
      this.handoff = h;
      h.syncFolders(this.state.settings.recentFolders);
    } catch (err) {
      this.recordError('plan', {
        code: 'watch-failed',
        message: `cannot watch plan.md files: ${(err as Error).message}`,
      });
    }
  }

  /** The user approved the plan they were shown: record its hash, launch elevated (resumed session). */
  async approvePlan(req: {
    cwd: string;
    planHash: string;
    minutes?: number;
    mfaCode?: string | undefined;
  }): Promise<Response<'plan:approve'>> {
    if (!this.handoff) throw new CoreError('unavailable', 'plan watching is off');
    let r;
    try {
      // The MFA code, where needed, is typed into the elevated session's own terminal (its runner mints the
      // credentials); startElevation writes the one `elevation-start` line of this elevation.
      r = await this.handoff.approveAndLaunch(
        {
          cwd: req.cwd,
          planHash: req.planHash,
          minutes: req.minutes ?? this.state.settings.elevationMinutes,
        },
        {
          record: (rec) =>
            void this.startElevation({ deadline: rec.deadline, sessionId: rec.sessionId, source: 'handoff' }),
        },
      );
    } catch (err) {
      if (err instanceof HandoffError || err instanceof LaunchError)
        throw new CoreError(err.code, err.message);
      if (err instanceof ElevatedLaunchError)
        throw new CoreError(err.code === 'bad-minutes' ? 'bad-option' : err.code, err.message);
      throw err;
    }
    this.update({ handoff: handoffState(this.handoff.current()), sessions: this.readSessions() });
    return {
      sessionId: r.launch.spec.id,
      deadline: r.deadline,
      resumed: r.resumed?.id ?? null,
      warnings: r.warnings,
    };
  }

  /** Reopen the conversation of an ended elevated session, read-only, in its folder. */
  async resumeReadonly(sessionId: string): Promise<Response<'session:resumeReadonly'>> {
    let r;
    try {
      r = await resumeReadonly(sessionId, {
        env: this.env,
        now: () => new Date(this.clock.now()),
        launchOptions: this.launchOpts(),
      });
    } catch (err) {
      if (err instanceof LaunchError) throw new CoreError(err.code, err.message);
      throw err;
    }
    this.handoff?.watch(r.launch.spec.cwd);
    this.update({ resumable: null, sessions: this.readSessions() });
    return { sessionId: r.launch.spec.id, resumeId: r.resumeId };
  }

  /** End elevation now: live elevated sessions are ended (runner: SIGTERM, then SIGKILL), tier → read-only. */
  async dropElevation(): Promise<Response<'elevation:drop'>> {
    const el = this.state.elevation;
    const live = listSessions(this.env).filter((s) => s.tier === 'elevated' && isLive(s));
    const dropped: string[] = [];
    const failed: string[] = [];
    for (const s of live) {
      try {
        await dropSession(s.id, { env: this.env, by: 'app', now: () => new Date(this.clock.now()) });
        dropped.push(s.id);
      } catch (err) {
        failed.push(`${s.id}: ${(err as Error).message}`);
      }
    }
    // every running elevation ends, not only the displayed one
    this.endElevation('dropped', { audited: (id) => id !== null && dropped.includes(id) });
    if (failed.length) throw new CoreError('drop-failed', `could not end ${failed.join('; ')}`);
    return { dropped, wasElevated: el !== null };
  }

  // ------------------------------------------------------------------------------------------
  // Workstation over SSM (issue 6 services)
  // ------------------------------------------------------------------------------------------

  private async workstationTarget(): Promise<WorkstationTarget & { instanceId: string }> {
    const ctx = this.requireCtx();
    const t = resolveTarget(ctx.settings, ctx.setup, this.env);
    return { ...t, instanceId: await resolveInstanceId(t) };
  }

  /** Run a workstation action; its failure is shown on the workstation panel (plain words) and returned. */
  private async withWorkstation<T>(busy: string, fn: () => Promise<T>): Promise<T> {
    this.update({ busy: [...this.state.busy, busy] });
    try {
      const r = await fn();
      return r;
    } catch (err) {
      const info =
        err instanceof WorkstationError
          ? { code: err.code, message: err.message }
          : { code: 'failed', message: (err as Error).message };
      this.update({ workstation: { ...this.state.workstation, error: info, checkedAt: this.nowIso() } });
      throw new CoreError(info.code, info.message);
    } finally {
      this.update({ busy: this.state.busy.filter((b) => b !== busy) });
    }
  }

  /** A window shows the workstation: keep its status fresh until the returned function is called. */
  watchWorkstation(): () => void {
    return this.wsMonitor.watch();
  }

  async workstationStatus(): Promise<Response<'ssm:status'>> {
    if (!this.state.workstation.configured) {
      throw new CoreError(
        'not-configured',
        'no workstation configured: set its instance id (or tag), region and operator profile in Settings',
      );
    }
    this.update({ busy: [...this.state.busy, 'ssm:status'] });
    try {
      const ws = await this.wsMonitor.refreshNow(); // joins a refresh already in flight
      if (ws.error) throw new CoreError(ws.error.code, ws.error.message);
      return {
        instanceId: ws.instanceId ?? '',
        pingStatus: ws.pingStatus ?? 'Unknown',
        platform: ws.platform ?? '',
        agentVersion: ws.agentVersion ?? '',
        lastPing: ws.lastPing,
      };
    } finally {
      this.update({ busy: this.state.busy.filter((b) => b !== 'ssm:status') });
    }
  }

  async workstationCloudInit(wait: boolean): Promise<Response<'ssm:cloudInit'>> {
    return this.withWorkstation('ssm:cloudInit', async () => {
      const t = await this.workstationTarget();
      const r = await checkCloudInit(t, {
        wait,
        timeoutSeconds: wait ? 900 : 60,
        onProgress: (p) =>
          this.update({
            workstation: {
              ...this.state.workstation,
              cloudInit: {
                status: p.cloudInit ?? 'running',
                elapsedSeconds: p.elapsedSeconds,
                output: p.lines.join('\n'),
                checkedAt: this.nowIso(),
              },
            },
          }),
      });
      this.update({
        workstation: {
          ...this.state.workstation,
          instanceId: r.instanceId,
          cloudInit: {
            status: r.status,
            elapsedSeconds: r.elapsedSeconds,
            output: r.output.split('\n').slice(-8).join('\n'),
            checkedAt: this.nowIso(),
          },
          error: null,
        },
      });
      return {
        instanceId: r.instanceId,
        status: r.status,
        responseCode: r.responseCode,
        elapsedSeconds: r.elapsedSeconds,
        output: r.output,
        message: r.message,
      };
    });
  }

  async workstationConnect(
    remoteClaude: Tier | undefined,
    anyway: boolean,
  ): Promise<Response<'ssm:connect'>> {
    return this.withWorkstation('ssm:connect', async () => {
      const el = this.state.elevation;
      const r = await connectWorkstation({
        env: this.env,
        ctx: this.requireCtx(),
        remoteClaude,
        anyway,
        launch: { ...this.launchOpts(), now: () => new Date(this.clock.now()) },
        // a remote elevated session shares the running elevation's deadline
        ...(remoteClaude === 'elevated' && el ? { deadline: new Date(el.deadline) } : {}),
      });
      const sessionId = r.launched?.spec.id ?? null;
      if (remoteClaude === 'elevated' && r.plan.deadline && !el) {
        this.startElevation({ deadline: r.plan.deadline, sessionId, source: 'launch' });
      }
      this.update({ sessions: this.readSessions() });
      return { sessionId, instanceId: r.plan.instanceId, cloudInit: r.cloudInit, deadline: r.plan.deadline };
    });
  }

  /** The same checks as `elevate doctor`, for the most recent project folder (Claude project settings). */
  async doctor(): Promise<Awaited<ReturnType<typeof runDoctor>>> {
    const cwd = this.state.settings.recentFolders[0] ?? this.env.HOME ?? process.cwd();
    return runDoctor(this.env, [
      claudeSettingsDoctor({ cwd, managedFiles: touchedFiles(this.env).map((t) => t.file) }),
      terminalDoctor(this.env),
      workstationDoctor(this.env),
      activityDoctor(this.env),
    ]);
  }

  private requireCtx(): CoreContext {
    if (!this.ctx) throw new CoreError('config', this.state.configError ?? 'configuration not loaded');
    return this.ctx;
  }

  async verify(tiers: Tier[]): Promise<Response<'tiers:verify'>> {
    const ctx = this.requireCtx();
    const wanted = tiers.filter((t) => ctx.tiers[t]);
    if (!wanted.length)
      throw new CoreError('no-tiers', 'no tiers are set up yet: add the profiles to ~/.aws/config first');
    this.update({ busy: [...this.state.busy, 'tiers:verify'] });
    try {
      const results = await Promise.all(
        wanted.map(async (tier) => {
          try {
            const id = await verifyTier(ctx, tier, { now: () => new Date(this.clock.now()) });
            const identity: Identity = {
              tier,
              profile: id.profile,
              account: id.account,
              arn: id.arn,
              userId: id.userId,
              roleName: id.roleName,
              sessionName: id.sessionName,
              sessionNameMatches: id.expectedSessionName ? id.sessionNameMatches : null,
              verifiedAt: id.verifiedAt,
            };
            return { tier, ok: true, identity, error: null };
          } catch (err) {
            const error: ErrorInfo =
              err instanceof IdentityError
                ? { code: err.code, message: err.message }
                : {
                    code: (err as { name?: string }).name === 'TierError' ? 'no-tier' : 'failed',
                    message: (err as Error).message,
                  };
            return { tier, ok: false, identity: null, error };
          }
        }),
      );
      const identities = { ...this.state.identities };
      const identityErrors = { ...this.state.identityErrors };
      for (const r of results) {
        identities[r.tier] = r.identity ?? (r.ok ? null : identities[r.tier]);
        identityErrors[r.tier] = r.error;
        if (!r.ok) identities[r.tier] = null;
      }
      this.update({ identities, identityErrors });
      return { results };
    } finally {
      this.update({ busy: this.state.busy.filter((b) => b !== 'tiers:verify') });
    }
  }

  async setSettings(patch: Record<string, unknown>): Promise<Settings> {
    const current = loadSettings(this.env);
    const merged = mergeSettingsPatch(current, patch);
    const r = parseSettings(merged);
    if (!r.ok) throw new CoreError('invalid-settings', r.errors.join('; '));
    saveSettings(r.settings, this.env);
    if ('launchAtLogin' in patch && r.settings.launchAtLogin !== current.launchAtLogin) {
      this.platform.setLaunchAtLogin?.(r.settings.launchAtLogin);
    }
    this.reload();
    // Issue 7: targets added/removed, Bedrock or tier profiles changed → bring the switch targets in step.
    if (['switchTargets', 'bedrock', 'tiers'].some((k) => k in patch)) {
      try {
        refreshTargets(new Date(this.clock.now()), this.env, this.ctx ?? undefined);
      } catch (err) {
        this.recordError('settings:set', { code: 'switch-target', message: (err as Error).message });
      }
    }
    return r.settings;
  }

  /** Remember a project folder (most recent first, at most 20). */
  rememberFolder(folder: string): void {
    const s = loadSettings(this.env);
    const recentFolders = [folder, ...s.recentFolders.filter((f) => f !== folder)].slice(0, 20);
    saveSettings({ ...s, recentFolders }, this.env);
    this.reload();
  }

  private handlers: Handlers = {
    'state:get': async () => this.state,
    'state:refresh': async () => this.reload(),
    'settings:get': async () => loadSettings(this.env),
    'settings:set': async (req) => this.setSettings(req.patch),
    'doctor:run': async () => ({ checks: await this.doctor() }),
    'audit:list': async (req) => ({ records: readAudit(this.env, req?.limit ?? 100) }),
    'errors:dismiss': async (req) => {
      this.dismissError(req?.id);
      return { ok: true as const };
    },
    'dialog:pickFolder': async (req) => {
      if (!this.platform.pickFolder)
        throw new CoreError('unavailable', 'no folder picker in this environment');
      return { path: await this.platform.pickFolder(req?.title) };
    },
    'shell:openExternal': async (req) => {
      if (!isAllowedExternalUrl(req.url))
        throw new CoreError('forbidden-url', `not an allowed link: ${req.url.slice(0, 200)}`);
      if (!this.platform.openExternal)
        throw new CoreError('unavailable', 'cannot open links in this environment');
      await this.platform.openExternal(req.url);
      return { ok: true as const };
    },
    'tiers:verify': async (req) => this.verify(req?.tier ? [req.tier] : ['readonly', 'elevated']),
    'tier:switch': async (req) => this.switchTier(req.tier, req.minutes),
    'launch:start': async (req) =>
      this.launch(req.tier, req.cwd, req.minutes, { resumeId: req.resumeId, mfaCode: req.mfaCode }),
    'plan:approve': async (req) => this.approvePlan(req),
    'elevation:drop': async () => this.dropElevation(),
    'session:resumeReadonly': async (req) => this.resumeReadonly(req.sessionId),
    'session:drop': async (req) => this.dropOne(req.sessionId),
    'activity:list': async (req) => {
      const all = readActivity(this.env, req?.session ? { sessionId: req.session } : {});
      return { records: all.slice(-(req?.limit ?? 200)), total: all.length };
    },
    'policy:hints': async () => this.policyHints(),
    'ssm:status': async () => this.workstationStatus(),
    'ssm:cloudInit': async (req) => this.workstationCloudInit(req?.wait === true),
    'ssm:connect': async (req) => this.workstationConnect(req?.remoteClaude, req?.anyway === true),
  };

  /** The window's dispatcher: checks the sender frame, then `invoke`. */
  async handle(channel: unknown, payload: unknown, sender?: Sender): Promise<IpcResult<unknown>> {
    if (!isChannel(channel)) return this.invoke(channel, payload);
    if (!this.opts.trustedSender || !sender || !this.opts.trustedSender(sender.url)) {
      return fail({
        code: IPC_ERRORS.forbiddenSender,
        message: `refused ${channel}: the request did not come from Elevate's own window`,
      });
    }
    return this.invoke(channel, payload);
  }

  /** Validate channel and payload; run; validate the response. Main-side callers (tray) use this directly. */
  async invoke(channel: unknown, payload: unknown): Promise<IpcResult<unknown>> {
    if (!isChannel(channel)) {
      return fail({
        code: IPC_ERRORS.unknownChannel,
        message: `unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}`,
      });
    }
    const spec = contract[channel];
    const parsed = spec.request.safeParse(payload);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
        .join('; ');
      return fail({ code: IPC_ERRORS.invalidRequest, message: `invalid ${channel} request: ${detail}` });
    }
    try {
      const run = this.handlers[channel] as (req: unknown) => Promise<unknown>;
      const data = await run(parsed.data);
      const out = spec.response.safeParse(data);
      if (!out.success) {
        return fail({
          code: IPC_ERRORS.invalidResponse,
          message: `${channel}: response did not match the contract (${out.error.issues[0]?.message ?? ''})`,
        });
      }
      return { ok: true, data: out.data };
    } catch (err) {
      const info: IpcError =
        err instanceof CoreError
          ? { code: err.code, message: err.message }
          : { code: IPC_ERRORS.failed, message: (err as Error).message || String(err) };
      this.recordError(channel, info);
      return fail(info);
    }
  }
}

function fail(error: IpcError): IpcResult<never> {
  return { ok: false, error };
}

function tierInfo(ctx: CoreContext, tier: Tier): TierInfo | null {
  const name = ctx.tiers[tier];
  if (!name) return null;
  const p = ctx.setup.profiles.get(name);
  const chain = resolveChain(ctx.setup.profiles, name);
  return {
    tier,
    profile: name,
    chain: chain.chain,
    roleArn: p?.roleArn ?? null,
    region: p?.region ?? null,
    roleSessionName: p?.roleSessionName ?? null,
    problems: p ? chain.problems : [`profile "${name}" is not in ${ctx.setup.configPath}`],
  };
}

/** Re-check usage at most this often (it reads session specs and the audit log). */
export const USAGE_MIN_INTERVAL_MS = 60_000;

function hasLimits(l: { maxElevatedMinutesPerDay?: number | null; maxSessionMinutes?: number | null }) {
  return Boolean(l.maxElevatedMinutesPerDay || l.maxSessionMinutes);
}

function safeSettings(env: Env): Settings | null {
  try {
    return loadSettings(env);
  } catch {
    return null;
  }
}

function summarize(s: Settings | null): AppState['settings'] {
  return {
    elevationMinutes: s?.elevation.defaultMinutes ?? 30,
    launchAtLogin: s?.launchAtLogin ?? false,
    recentFolders: s?.recentFolders ?? [],
    terminal: s?.terminal ?? null,
    claudePath: s?.claudePath ?? null,
    bedrock: {
      enabled: s?.bedrock.enabled ?? true,
      model: s?.bedrock.model ?? '',
      region: s?.bedrock.region ?? null,
    },
  };
}

/** An elevation persisted by a previous run that has not reached its deadline yet. */
export function restoreElevation(persisted: PersistedState | null, now: number): Elevation | null {
  const r = ElevationSchema.safeParse(persisted?.elevation);
  if (!r.success) return null;
  return Date.parse(r.data.deadline) > now ? r.data : null;
}

/** Every persisted elevation still before its deadline (`elevations`; older state.json: `elevation`). */
export function restoreElevations(persisted: PersistedState | null, now: number): Elevation[] {
  const list = Array.isArray(persisted?.elevations) ? (persisted.elevations as unknown[]) : null;
  if (!list) {
    const one = restoreElevation(persisted, now);
    return one ? [one] : [];
  }
  return list.flatMap((e) => {
    const r = ElevationSchema.safeParse(e);
    return r.success && Date.parse(r.data.deadline) > now ? [r.data] : [];
  });
}

/** Top-level keys replace, plain objects merge one level; `null` unsets a key (so a cleared field clears). */
export function mergeSettingsPatch(
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const merged: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete merged[k];
    else if (isObj(v) && isObj(merged[k])) {
      const inner: Record<string, unknown> = { ...(merged[k] as Record<string, unknown>) };
      for (const [ik, iv] of Object.entries(v)) {
        if (iv === null) delete inner[ik];
        else inner[ik] = iv;
      }
      merged[k] = inner;
    } else merged[k] = v;
  }
  return merged;
}

function handoffState(v: HandoffView | null): AppState['handoff'] {
  if (!v) return null;
  return {
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
