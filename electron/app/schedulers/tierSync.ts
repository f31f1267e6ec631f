// Active tier sync (issue 7): electron/node/activeTier.ts owns active.json (the CLI may switch too); the
// app adopts what the file says, and ends a switch elevation through it.
import type { ActiveTier } from '../../../shared/state';
import {
  readActive,
  switchElevation,
  switchResponse,
  switchTier,
  tick,
  type ActiveState,
} from '../../node/activeTier';
import type { Runtime } from '../runtime';
import type { ElevationClock } from './elevationClock';

export class TierSync {
  constructor(
    private readonly rt: Runtime,
    private readonly clock: ElevationClock,
  ) {
    clock.hooks.endSwitch = (reason) => this.endSwitch(reason);
  }

  /** Switch for everything started next; the caller has had the human confirm elevated (dispatcher). */
  switchTier(tier: ActiveTier, minutes?: number): ReturnType<typeof switchResponse> {
    // SwitchError is an ElevateError: the dispatcher maps its code.
    const r = switchTier(tier, {
      minutes,
      now: this.rt.now(),
      env: this.rt.env,
      source: 'app',
      ctx: this.rt.ctx ?? undefined,
    });
    this.adopt(r.state);
    for (const w of r.warnings)
      this.rt.store.recordError('tier:switch', { code: 'switch-target', message: w });
    return switchResponse(r);
  }

  /** Pick up the active tier from $ELEVATE_HOME/active.json (a CLI switch, a passed deadline). */
  sync(): void {
    try {
      const { state, fallback } = readActive(this.rt.now(), this.rt.env);
      if (fallback)
        this.rt.platform.notify?.(
          'Elevation ended',
          'Back to read-only. Elevated credentials are no longer issued.',
        );
      this.adopt(state);
    } catch (err) {
      this.rt.store.recordError('tier', { code: 'active-tier', message: (err as Error).message });
    }
  }

  private adopt(s: ActiveState): void {
    // Never switched (no active.json) reads as `off`, exactly what `elevate status` says.
    this.rt.chosenTier = s.tier;
    // Launch/handoff elevations stay; the switch elevation follows the file.
    const sw = switchElevation(s);
    const state = this.rt.store.state;
    const sessions = state.elevations.filter((e) => e.source !== 'switch');
    this.clock.setElevations(sw ? [...sessions, sw] : sessions, { since: s.since ?? state.since }, true);
    this.clock.schedule();
  }

  private endSwitch(reason: 'expired' | 'dropped'): void {
    const now = this.rt.now();
    const ctx = this.rt.ctx ?? undefined;
    try {
      if (reason === 'expired') {
        const fb = tick(now, this.rt.env, ctx);
        if (fb)
          for (const w of fb.warnings)
            this.rt.store.recordError('tier', { code: 'switch-target', message: w });
      } else {
        switchTier('readonly', { now, env: this.rt.env, source: 'drop', ctx });
      }
    } catch (err) {
      this.rt.store.recordError('tier', { code: 'active-tier', message: (err as Error).message });
    }
    this.clock.setElevations(
      this.rt.store.state.elevations.filter((e) => e.source !== 'switch'),
      {},
      false,
    );
    this.sync();
    this.rt.platform.notify?.(
      reason === 'expired' ? 'Elevation ended' : 'Elevation dropped',
      'Back to read-only. Elevated credentials are no longer issued.',
    );
  }
}
