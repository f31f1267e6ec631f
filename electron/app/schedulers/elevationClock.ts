// The elevation clock: every live elevation with its own deadline, one timer for the next event (a 5 or
// 1 minute warning, or a deadline) of any of them — never a polling loop. Launch/handoff elevations end
// here; a switch elevation (active.json) is ended through the tier sync (`endSwitch`).
import { isPast, nextEvent, WARN_BEFORE_MS, warningsDue } from '../../../shared/deadline';
import { ElevationSchema, type ActiveTier, type AppState, type Elevation } from '../../../shared/state';
import type { PersistedState } from '../../node/appState';
import { listSessions } from '../../node/sessions';
import { CoreError, type Runtime } from '../runtime';

export { WARN_BEFORE_MS };

export interface ElevationClockHooks {
  /** A switch elevation reached its deadline or was dropped: active.json falls back (tierSync). */
  endSwitch(reason: 'expired' | 'dropped'): void;
  /** Elevated time starts or stops accruing, or a minute passed: re-plan the cost guard. */
  refreshUsage(): void;
}

export class ElevationClock {
  private timer: unknown = null;
  private warned = new Set<string>();
  hooks: ElevationClockHooks = { endSwitch: () => undefined, refreshUsage: () => undefined };

  constructor(private readonly rt: Runtime) {}

  private get state(): AppState {
    return this.rt.store.state;
  }

  /**
   * The active tier (what everything started next uses) mirrors active.json, as `elevate status` reports
   * it; launch/handoff elevations are per session and show in `elevation`/`elevations`, not here.
   */
  effectiveTier(): ActiveTier {
    if (this.state.elevations.some((e) => e.source === 'switch')) return 'elevated';
    return this.rt.chosenTier;
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
  setElevations(list: Elevation[], patch: Partial<AppState> = {}, persist = false): void {
    const elevations = [...list].sort((a, b) => Date.parse(a.deadline) - Date.parse(b.deadline));
    this.rt.store.stage({ elevations });
    this.rt.store.update(
      {
        ...patch,
        elevations,
        elevation: elevations[elevations.length - 1] ?? null,
        activeTier: this.effectiveTier(),
      },
      persist,
    );
  }

  start(input: {
    minutes?: number;
    deadline?: string;
    sessionId?: string | null;
    source: Elevation['source'];
  }): Elevation {
    const now = this.rt.clock.now();
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
    this.rt.audit({
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
  end(
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
      this.rt.store.stage({ elevations: rest });
      this.hooks.endSwitch(reason);
      return;
    }
    const spec = el.sessionId
      ? listSessions(this.rt.env).find((s) => s.id === el.sessionId && s.kind === 'claude')
      : undefined;
    const resumable = spec
      ? { sessionId: spec.id, cwd: spec.cwd, endedAt: this.rt.store.nowIso(), reason }
      : this.state.resumable;
    this.setElevations(rest, { sessions: this.rt.readSessions(), resumable }, true);
    const tier = this.state.activeTier;
    if (!audited)
      this.rt.audit({
        type: reason === 'expired' ? 'expiry' : 'drop',
        tier: 'elevated',
        sessionId: el.sessionId ?? undefined,
        deadline: el.deadline,
        fallback: tier,
      });
    const last = this.state.elevation;
    this.rt.platform.notify?.(
      reason === 'expired' ? 'Elevation ended' : 'Elevation dropped',
      last
        ? `Session ${el.sessionId ?? ''}: elevated credentials are no longer issued. ${rest.length} other elevation${rest.length === 1 ? '' : 's'} still running, until ${last.deadline.slice(11, 16)} UTC.`
        : `Back to ${tier === 'readonly' ? 'read-only' : tier === 'elevated' ? 'the elevated tier' : 'off'}. Elevated credentials are no longer issued.`,
    );
    this.schedule();
  }

  /** One timer for the next event (a warning or a deadline) of any elevation; never a polling loop. */
  schedule(): void {
    this.stop();
    if (this.rt.started) this.hooks.refreshUsage(); // elevated time starts or stops accruing
    if (!this.state.elevations.length || !this.rt.started) return;
    const now = this.rt.clock.now();
    const events = this.state.elevations.flatMap((el) => nextEvent(el.deadline, now) ?? []);
    const next = events.length ? Math.min(...events) : now;
    this.timer = this.rt.clock.setTimeout(() => this.onTimer(), Math.min(next - now, 2 ** 31 - 1));
  }

  stop(): void {
    if (this.timer !== null) this.rt.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private onTimer(): void {
    this.timer = null;
    const now = this.rt.clock.now();
    // Each elevation ends at its own deadline (soonest first)...
    for (const el of this.state.elevations.filter((e) => isPast(e.deadline, now))) {
      this.endOne(el, 'expired', false);
    }
    // ...and gets its own 5 and 1 minute warnings.
    const several = this.state.elevations.length > 1;
    for (const el of this.state.elevations) {
      const left = Date.parse(el.deadline) - now;
      for (const before of warningsDue(el.deadline, now)) {
        const key = `${el.sessionId ?? 'switch'}:${el.deadline}:${before}`;
        if (!this.warned.has(key)) {
          this.warned.add(key);
          const mins = Math.ceil(left / 60_000);
          this.rt.platform.notify?.(
            'Elevation ending soon',
            `${mins} minute${mins === 1 ? '' : 's'} of elevated access left (until ${el.deadline.slice(11, 16)} UTC)${several && el.sessionId ? ` for session ${el.sessionId}` : ''}.`,
          );
        }
      }
    }
    this.hooks.refreshUsage(); // at most once a minute
    // Re-emit so listeners repaint the "expiring" look even though no field changed.
    this.rt.store.update({});
    this.schedule();
  }
}

/** An elevation persisted by a previous run that has not reached its deadline yet. */
export function restoreElevation(persisted: PersistedState | null, now: number): Elevation | null {
  const r = ElevationSchema.safeParse(persisted?.elevation);
  if (!r.success) return null;
  return isPast(r.data.deadline, now) ? null : r.data;
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
    return r.success && !isPast(r.data.deadline, now) ? [r.data] : [];
  });
}
