// The elevation countdown, pure: remaining time, phase (colour), and which notification is due. The
// tray, window and `elevate run` all read the same numbers. Clock and timers are injected (seams).

export type ElevationPhase = 'active' | 'warn5' | 'warn1' | 'expired';
/** Notifications in the order they fire. */
export type ElevationNotice = 'warn5' | 'warn1' | 'expired';

export const WARN5_MS = 5 * 60_000;
export const WARN1_MS = 60_000;

const RANK: Record<ElevationPhase, number> = { active: 0, warn5: 1, warn1: 2, expired: 3 };

export interface ElevationSnapshot {
  deadline: number;
  now: number;
  /** Milliseconds left (0 when expired). */
  remainingMs: number;
  /** Whole seconds left, rounded up (so "0:01" shows until the very end). */
  remainingSeconds: number;
  phase: ElevationPhase;
  /** "29:59", "4:05", "0:00" (hours shown as "1:00:00"). */
  label: string;
  /** Suggested colour for tray/window: green, amber, red, grey. */
  color: 'green' | 'amber' | 'red' | 'grey';
}

export function phaseAt(deadline: number, now: number): ElevationPhase {
  const left = deadline - now;
  if (left <= 0) return 'expired';
  if (left <= WARN1_MS) return 'warn1';
  if (left <= WARN5_MS) return 'warn5';
  return 'active';
}

export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const COLOR: Record<ElevationPhase, ElevationSnapshot['color']> = {
  active: 'green',
  warn5: 'amber',
  warn1: 'red',
  expired: 'grey',
};

export function elevationSnapshot(deadline: number | string | Date, now: number): ElevationSnapshot {
  const d = typeof deadline === 'number' ? deadline : new Date(deadline).getTime();
  const remainingMs = Math.max(0, d - now);
  const phase = phaseAt(d, now);
  return {
    deadline: d,
    now,
    remainingMs,
    remainingSeconds: Math.ceil(remainingMs / 1000),
    phase,
    label: formatRemaining(remainingMs),
    color: COLOR[phase],
  };
}

/**
 * The notification to show now, given the last one shown (null = none yet). Only the most recent phase
 * is announced: after a sleep that skipped the 5-minute warning, the user gets "1 minute left" (or
 * "expired"), not a burst of stale warnings.
 */
export function noticeDue(
  deadline: number,
  now: number,
  lastNotified: ElevationNotice | null,
): ElevationNotice | null {
  const phase = phaseAt(deadline, now);
  if (phase === 'active') return null;
  if (lastNotified !== null && RANK[lastNotified] >= RANK[phase]) return null;
  return phase;
}

/** Milliseconds until the label or phase next changes (for scheduling the next tick). */
export function msUntilNextChange(deadline: number, now: number): number | null {
  const left = deadline - now;
  if (left <= 0) return null;
  // The label changes whenever the rounded-up second changes; phases change on whole minutes.
  const toNextSecond = left % 1000 === 0 ? 1000 : left % 1000;
  return Math.max(1, Math.min(toNextSecond, left));
}

export function noticeText(notice: ElevationNotice, profile?: string): { title: string; body: string } {
  const who = profile ? ` (${profile})` : '';
  switch (notice) {
    case 'warn5':
      return { title: 'Elevation ends in 5 minutes', body: `Elevated AWS access${who} ends in 5 minutes.` };
    case 'warn1':
      return { title: 'Elevation ends in 1 minute', body: `Elevated AWS access${who} ends in 1 minute.` };
    case 'expired':
      return {
        title: 'Elevation ended',
        body: `Elevated AWS access${who} has ended. Resume read-only, or approve a plan again to extend.`,
      };
  }
}

export interface TimerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ElevationTimerCallbacks {
  onTick?(snapshot: ElevationSnapshot): void;
  onNotice?(notice: ElevationNotice, snapshot: ElevationSnapshot): void;
  onExpired?(snapshot: ElevationSnapshot): void;
}

/**
 * Drives the callbacks from a deadline: a tick on every label change, each notice once, expiry once.
 * `lastNotified` lets a restarted app resume without repeating a notification.
 */
export class ElevationTimer {
  private handle: unknown = null;
  private last: ElevationNotice | null;
  private stopped = false;

  constructor(
    readonly deadline: number,
    private readonly clock: TimerClock,
    private readonly cb: ElevationTimerCallbacks,
    lastNotified: ElevationNotice | null = null,
  ) {
    this.last = lastNotified;
  }

  get lastNotified(): ElevationNotice | null {
    return this.last;
  }

  start(): this {
    this.stopped = false;
    this.tick();
    return this;
  }

  stop(): void {
    this.stopped = true;
    if (this.handle !== null) this.clock.clearTimeout(this.handle);
    this.handle = null;
  }

  /** Evaluate now (also called by the clock); exposed so a resume-from-sleep can force a check. */
  tick(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    const snap = elevationSnapshot(this.deadline, now);
    this.cb.onTick?.(snap);
    const notice = noticeDue(this.deadline, now, this.last);
    if (notice) {
      this.last = notice;
      this.cb.onNotice?.(notice, snap);
    }
    if (snap.phase === 'expired') {
      this.cb.onExpired?.(snap);
      this.stop();
      return;
    }
    const wait = msUntilNextChange(this.deadline, now) ?? 1000;
    if (this.handle !== null) this.clock.clearTimeout(this.handle);
    this.handle = this.clock.setTimeout(() => {
      this.handle = null;
      this.tick();
    }, wait);
  }
}
