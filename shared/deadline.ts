// Deadline arithmetic, in one pure module (no I/O): how long an elevation has left, whether it has passed,
// the whole-second comparison STS needs (credential `Expiration` has whole seconds, deadlines may carry
// milliseconds), and when the next warning falls due. Used by the app core (elevation clock, tier sync,
// restore), activeTier.ts, the window and the tray; the elevation/runner code can use it the same way.

/** Expiring: the elevation window has less than this left (the window's amber look; first warning). */
export const EXPIRING_MS = 5 * 60_000;
/** Elevation warnings, before the deadline (issue 5: 5 and 1 minute). */
export const WARN_BEFORE_MS = [EXPIRING_MS, 60_000] as const;

export type DeadlineInput = string | number | Date | null | undefined;

/** Epoch milliseconds of a deadline, or null when missing or unparseable. */
export function deadlineMs(d: DeadlineInput): number | null {
  if (d === null || d === undefined) return null;
  const t = typeof d === 'number' ? d : d instanceof Date ? d.getTime() : Date.parse(d);
  return Number.isFinite(t) ? t : null;
}

/** Epoch whole seconds of a deadline (rounded down: never later than the deadline), or null. */
export function deadlineEpochSeconds(d: DeadlineInput): number | null {
  const t = deadlineMs(d);
  return t === null ? null : Math.floor(t / 1000);
}

/** Milliseconds left (0 once passed), or null when there is no valid deadline. */
export function msLeft(d: DeadlineInput, now: number): number | null {
  const t = deadlineMs(d);
  return t === null ? null : Math.max(0, t - now);
}

/**
 * Whether the deadline has passed (at the deadline itself: passed). A missing or invalid deadline counts
 * as passed: never an elevation without an end.
 */
export function isPast(d: DeadlineInput, now: number): boolean {
  const t = deadlineMs(d);
  return t === null || t <= now;
}

/**
 * Whether something ending at `expiration` (e.g. STS credentials, whole seconds) ends no later than the
 * deadline, compared in whole seconds: a deadline of 12:00:00.400 and an Expiration of 12:00:00 match.
 */
export function endsByDeadline(expiration: DeadlineInput, d: DeadlineInput): boolean {
  const e = deadlineEpochSeconds(expiration);
  const t = deadlineEpochSeconds(d);
  return e !== null && t !== null && e <= t;
}

/** Whole seconds from `now` until the deadline (rounded down, never negative); 0 when invalid. */
export function wholeSecondsLeft(d: DeadlineInput, now: number): number {
  const t = deadlineEpochSeconds(d);
  return t === null ? 0 : Math.max(0, t - Math.ceil(now / 1000));
}

/** The warnings due by `now` (`before` values whose moment has come while the deadline has not passed). */
export function warningsDue(
  d: DeadlineInput,
  now: number,
  before: readonly number[] = WARN_BEFORE_MS,
): number[] {
  const t = deadlineMs(d);
  if (t === null || t <= now) return [];
  return before.filter((b) => t - b <= now);
}

/** The next moment after `now` something happens (a warning or the deadline), or null when none is left. */
export function nextEvent(
  d: DeadlineInput,
  now: number,
  before: readonly number[] = WARN_BEFORE_MS,
): number | null {
  const t = deadlineMs(d);
  if (t === null) return null;
  const events = [...before.map((b) => t - b), t].filter((x) => x > now);
  return events.length ? Math.min(...events) : null;
}
