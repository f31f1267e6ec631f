// ElevateCore: the facade of the app core. It builds the parts and keeps the public surface the glue
// (electron/main/index.ts), the e2e bridge and the tests use:
//   store.ts                   state, revision, subscribe, errors, withBusy
//   runtime.ts                 env + Clock/Platform seams + loaded config shared by the parts
//   schedulers/elevationClock  each elevation's deadline and warnings
//   schedulers/costGuard       today's usage and its limits
//   schedulers/tierSync        active.json ↔ the app (switch, fallback)
//   controllers/*              one use case per user action (settings, identity, doctor, workstation, …)
//   dispatcher.ts              channel → use case: sender check, zod request/response, native confirm, errors
// The four elevated-launch methods below (`launch`, `approvePlan`, `resumeReadonly`, `dropOne`) stay here
// until the elevation use case replaces them. No `electron` here: the whole core runs in plain Node.
import path from 'node:path';
import type { IpcResult, Response } from '../../shared/ipc';
import type { Settings } from '../../shared/settings';
import type { ActiveTier, AppState, Elevation } from '../../shared/state';
import type { Tier } from '../../shared/types';
import { readAppState, updateAppState } from '../node/appState';
import { readAudit } from '../node/audit';
import { onAppQuit, type switchResponse } from '../node/activeTier';
import { ElevatedLaunchError, elevatedLaunch } from '../node/elevatedLaunch';
import { HandoffError } from '../node/handoff';
import { resumeReadonly, type HandoffService } from '../node/handoffService';
import { LaunchError, launchSession, type LaunchResult } from '../node/launcher';
import { dropSession } from '../node/runner';
import { isLive, listSessions, type SessionSpec } from '../node/sessions';
import { claudeSessionIdOf } from '../node/tierSessions';
import type { CoreContext } from '../node/context';
import type { Env } from '../node/paths';
import { isAllowedExternalUrl } from '../../shared/ipc';
import { listActivity, policyHints } from './controllers/activity';
import { reloadConfig } from './controllers/config';
import { confirmationFor } from './controllers/confirm';
import { doctor } from './controllers/doctor';
import { verifyTiers } from './controllers/identity';
import { installCommandLineTool } from './controllers/cli';
import { handoffState, SessionsController } from './controllers/sessions';
import { SettingsController } from './controllers/settings';
import { WorkstationController } from './controllers/workstation';
import { Dispatcher, type Handlers, type InvokeOptions } from './dispatcher';
import { CoreError, Runtime, type CoreOptions, type Platform, type Sender } from './runtime';
import { CostGuard } from './schedulers/costGuard';
import { ElevationClock, restoreElevations } from './schedulers/elevationClock';
import { TierSync } from './schedulers/tierSync';
import { Store, systemClock, type Clock } from './store';

export { CoreError, type ConfirmRequest, type CoreOptions, type Platform, type Sender } from './runtime';
export { systemClock, type Clock } from './store';
export { WARN_BEFORE_MS, restoreElevation, restoreElevations } from './schedulers/elevationClock';
export { USAGE_MIN_INTERVAL_MS } from './schedulers/costGuard';
export { mergeSettingsPatch } from './controllers/settings';

export class ElevateCore {
  readonly env: Env;
  readonly clock: Clock;
  private readonly store: Store;
  private readonly rt: Runtime;
  private readonly elevations: ElevationClock;
  private readonly costGuard: CostGuard;
  private readonly tiers: TierSync;
  private readonly sessionsCtl: SessionsController;
  private readonly settingsCtl: SettingsController;
  private readonly workstation: WorkstationController;
  private readonly dispatcher: Dispatcher;

  constructor(opts: CoreOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.store = new Store(this.clock);
    this.rt = new Runtime(opts, this.store, this.clock);
    this.env = this.rt.env;
    this.store.onPersist = () => this.persist();
    this.elevations = new ElevationClock(this.rt);
    this.costGuard = new CostGuard(this.rt);
    this.elevations.hooks.refreshUsage = () => this.costGuard.refresh();
    this.tiers = new TierSync(this.rt, this.elevations);
    this.sessionsCtl = new SessionsController(this.rt, this.elevations);
    this.settingsCtl = new SettingsController(this.rt, () => this.reload());
    this.workstation = new WorkstationController(this.rt);
    this.dispatcher = new Dispatcher({
      handlers: this.handlers(),
      trustedSender: opts.trustedSender,
      confirmationFor: (channel, req) => confirmationFor(this.rt, channel, req),
      platform: this.rt.platform,
      recordError: (source, info) => this.store.recordError(source, info),
    });
  }

  // ---- what the four launch methods below use (kept as they were) ----
  private get state(): AppState {
    return this.store.state;
  }
  private get opts(): CoreOptions {
    return this.rt.opts;
  }
  private get platform(): Platform {
    return this.rt.platform;
  }
  private get handoff(): HandoffService | null {
    return this.sessionsCtl.handoff;
  }
  private update(patch: Partial<AppState>, persist = false): void {
    this.store.update(patch, persist);
  }
  private readSessions() {
    return this.rt.readSessions();
  }
  private requireCtx(): CoreContext {
    return this.rt.requireCtx();
  }
  private launchOpts() {
    return this.rt.launchOpts();
  }

  // ------------------------------------------------------------------------------------------
  // Store
  // ------------------------------------------------------------------------------------------

  getState(): AppState {
    return this.store.state;
  }

  /** Called with every new snapshot; returns the unsubscribe function. */
  subscribe(cb: (s: AppState) => void): () => void {
    return this.store.subscribe(cb);
  }

  dismissError(id?: string): void {
    this.store.dismissError(id);
  }

  /** Load files, restore persisted elevation, claim state.json (pid), start the clock. */
  start(): AppState {
    this.rt.started = true;
    const persisted = readAppState(this.env).state;
    this.reload();
    // Launch/handoff elevations still before their deadline come back; a switch elevation and the tier
    // itself come from active.json (syncActive), never from state.json.
    const restored = this.state.tiers.elevated
      ? restoreElevations(persisted, this.clock.now()).filter((e) => e.source !== 'switch')
      : [];
    this.elevations.setElevations(restored, {}, true);
    this.syncActive();
    this.sessionsCtl.startHandoff();
    this.sessionsCtl.watchSessions();
    this.elevations.schedule();
    return this.state;
  }

  /** Release state.json (no pid: the CLI then reports the app as not running) and timers. */
  stop(): void {
    this.elevations.stop();
    this.sessionsCtl.stop();
    this.workstation.stop();
    this.costGuard.stop();
    if (this.rt.started && this.opts.persist !== false) {
      try {
        onAppQuit(new Date(this.clock.now()), this.env); // issue 7: quitting restores Claude settings files
      } catch (err) {
        console.error('elevate: restoring on quit failed:', (err as Error).message);
      }
      this.persist(false);
    }
    this.rt.started = false;
    this.store.clearListeners();
  }

  /** Re-read ~/.aws, settings and sessions. Problems become `configError`, never a crash. */
  reload(): AppState {
    reloadConfig(this.rt, () => this.elevations.effectiveTier());
    this.costGuard.refresh(true);
    return this.state;
  }

  /** state.json: the app's part (pid, elevations); merged under the lock with what activeTier.ts keeps. */
  private persist(withPid = true): void {
    if (this.opts.persist === false) return;
    const s = this.state;
    try {
      updateAppState((prev) => {
        const next = {
          ...prev,
          activeTier: s.activeTier,
          chosenTier: this.rt.chosenTier,
          since: s.since,
          deadline: s.elevation?.deadline ?? null,
          elevation: s.elevation,
          elevations: s.elevations,
          updatedAt: this.store.nowIso(),
        };
        if (withPid) next.pid = process.pid;
        else delete next.pid;
        return next;
      }, this.env);
    } catch (err) {
      this.store.recordError('state', {
        code: 'persist-failed',
        message: `could not write state.json: ${(err as Error).message}`,
      });
    }
  }

  // ------------------------------------------------------------------------------------------
  // Elevation clock and active tier
  // ------------------------------------------------------------------------------------------

  startElevation(input: {
    minutes?: number;
    deadline?: string;
    sessionId?: string | null;
    source: Elevation['source'];
  }): Elevation {
    return this.elevations.start(input);
  }

  /** Ends elevations (all, or one session's); `audited`: the caller wrote the audit line already. */
  endElevation(
    reason: 'expired' | 'dropped',
    opts: { audited?: boolean | ((sessionId: string | null) => boolean); sessionId?: string } = {},
  ): void {
    this.elevations.end(reason, opts);
  }

  /** Switch for everything started next (the dispatcher had the human confirm elevated in main). */
  switchTier(tier: ActiveTier, minutes?: number): ReturnType<typeof switchResponse> {
    return this.tiers.switchTier(tier, minutes);
  }

  /** Pick up the active tier from $ELEVATE_HOME/active.json (a CLI switch, a passed deadline). */
  syncActive(): void {
    this.tiers.sync();
  }

  // ------------------------------------------------------------------------------------------
  // Launches, handoff (issue 3 launcher, issue 5 handoff service) and dropping elevation
  // ------------------------------------------------------------------------------------------

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

  /** The user approved the plan they were shown: record its hash, launch elevated (resumed session). */
  async approvePlan(req: {
    cwd: string;
    planHash: string;
    minutes?: number;
    mfaCode?: string | undefined;
    scope?: 'plan' | 'full' | undefined;
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
          scope: req.scope,
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
      scope: r.scope,
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
    return this.sessionsCtl.dropElevation();
  }

  // ------------------------------------------------------------------------------------------
  // Other use cases (controllers/*)
  // ------------------------------------------------------------------------------------------

  /** A window shows the workstation: keep its status fresh until the returned function is called. */
  watchWorkstation(): () => void {
    return this.workstation.watch();
  }

  async workstationStatus(): Promise<Response<'ssm:status'>> {
    return this.workstation.status();
  }

  async workstationCloudInit(wait: boolean): Promise<Response<'ssm:cloudInit'>> {
    return this.workstation.cloudInit(wait);
  }

  async workstationConnect(
    remoteClaude: Tier | undefined,
    anyway: boolean,
  ): Promise<Response<'ssm:connect'>> {
    return this.workstation.connect(remoteClaude, anyway);
  }

  /** The same checks as `elevate doctor`, for the most recent project folder (Claude project settings). */
  async doctor(): Promise<Awaited<ReturnType<typeof doctor>>> {
    return doctor(this.rt);
  }

  async verify(tiers: Tier[]): Promise<Response<'tiers:verify'>> {
    return verifyTiers(this.rt, tiers);
  }

  async setSettings(patch: Record<string, unknown>): Promise<Settings> {
    return this.settingsCtl.set(patch);
  }

  /** Remember a project folder (most recent first, at most 20). */
  rememberFolder(folder: string): void {
    this.settingsCtl.rememberFolder(folder);
  }

  // ------------------------------------------------------------------------------------------
  // Dispatch (dispatcher.ts: sender check, validation, native confirmation, error mapping)
  // ------------------------------------------------------------------------------------------

  /** The window's dispatcher: checks the sender frame, then `invoke`. */
  async handle(channel: unknown, payload: unknown, sender?: Sender): Promise<IpcResult<unknown>> {
    return this.dispatcher.handle(channel, payload, sender);
  }

  /** Validate, confirm in main when needed, run, validate the response. Main-side callers (tray) use this. */
  async invoke(channel: unknown, payload: unknown, opts: InvokeOptions = {}): Promise<IpcResult<unknown>> {
    return this.dispatcher.invoke(channel, payload, opts);
  }

  /** One use case per channel (the type makes a missing one a compile error). */
  private handlers(): Handlers {
    const rt = this.rt;
    return {
      'state:get': async () => this.state,
      'state:refresh': async () => this.reload(),
      'settings:get': async () => this.settingsCtl.get(),
      'settings:set': async (req) => this.setSettings(req.patch),
      'doctor:run': async () => ({ checks: await this.doctor() }),
      'audit:list': async (req) => ({ records: readAudit(this.env, req?.limit ?? 100) }),
      'errors:dismiss': async (req) => {
        this.dismissError(req?.id);
        return { ok: true as const };
      },
      'dialog:pickFolder': async (req) => {
        if (!rt.platform.pickFolder)
          throw new CoreError('unavailable', 'no folder picker in this environment');
        return { path: await rt.platform.pickFolder(req?.title) };
      },
      'shell:openExternal': async (req) => {
        if (!isAllowedExternalUrl(req.url))
          throw new CoreError('forbidden-url', `not an allowed link: ${req.url.slice(0, 200)}`, 2);
        if (!rt.platform.openExternal)
          throw new CoreError('unavailable', 'cannot open links in this environment');
        await rt.platform.openExternal(req.url);
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
      'activity:list': async (req) => listActivity(rt, req),
      'policy:hints': async () => policyHints(rt),
      'cli:install': async () => installCommandLineTool(rt),
      'ssm:status': async () => this.workstationStatus(),
      'ssm:cloudInit': async (req) => this.workstationCloudInit(req?.wait === true),
      'ssm:connect': async (req) => this.workstationConnect(req?.remoteClaude, req?.anyway === true),
    };
  }
}
