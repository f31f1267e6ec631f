// The day's usage for the cost guard (pure; the caller passes `now`, session specs and audit lines).
//
// Elevated time is the UNION of (a) elevated sessions run by Elevate ([startedAt, endedAt], or up to now /
// their deadline while open) and (b) periods where the active tier was `elevated` (audit `switch` /
// `fallback` lines: from the switch to the next switch, its deadline or now). Overlaps count once, and only
// the part inside today's LOCAL day [00:00, now] counts (the day of the machine the user sits at).
import type { Tier } from './types';

export interface UsageSession {
  id?: string;
  tier: Tier | null;
  kind?: string;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  deadline?: string;
  /** Runner or child still alive (callers decide; sessions.isLive). Unknown = treated as ended at its deadline or now. */
  live?: boolean;
}

export interface UsageAuditLine {
  time: string;
  type: string;
  tier?: string;
  deadline?: string;
}

export interface CostGuard {
  maxElevatedMinutesPerDay?: number;
  maxSessionMinutes?: number;
}

export interface Usage {
  elevatedSecondsToday: number;
  sessionsToday: number;
  /** Local day start used, ISO. */
  dayStart: string;
}

export interface CostWarning {
  kind: 'elevated-day' | 'session-length';
  level: 'warn' | 'reached';
  /** Minutes left before the limit (0 when reached). */
  minutesLeft: number;
  limitMinutes: number;
  sessionId?: string;
  message: string;
}

type Interval = [number, number];

/** Local midnight of `now`'s day (the JS runtime's time zone). */
export function localDayStart(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

function ms(iso: string | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** Merge overlapping intervals and sum their length inside [from, to]. */
export function unionLength(intervals: readonly Interval[], from: number, to: number): number {
  const clipped = intervals
    .map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as Interval)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let cur: Interval | null = null;
  for (const iv of clipped) {
    if (cur && iv[0] <= cur[1]) cur[1] = Math.max(cur[1], iv[1]);
    else {
      if (cur) total += cur[1] - cur[0];
      cur = [iv[0], iv[1]];
    }
  }
  if (cur) total += cur[1] - cur[0];
  return total;
}

/** When a session's run ended (or ends, for the computation): endedAt, else now if live, else min(deadline, now). */
function sessionEnd(s: UsageSession, now: number): number {
  const ended = ms(s.endedAt);
  if (ended !== null) return Math.min(ended, now);
  const deadline = ms(s.deadline);
  if (s.live === false) return Math.min(deadline ?? ms(s.startedAt) ?? now, now);
  return deadline !== null && s.live === undefined ? Math.min(deadline, now) : now;
}

export function elevatedIntervals(
  sessions: readonly UsageSession[],
  audit: readonly UsageAuditLine[],
  now: Date,
): Interval[] {
  const n = now.getTime();
  const out: Interval[] = [];
  for (const s of sessions) {
    if (s.tier !== 'elevated') continue;
    const start = ms(s.startedAt);
    if (start === null) continue;
    out.push([start, sessionEnd(s, n)]);
  }
  const switches = audit
    .filter((a) => a.type === 'switch' || a.type === 'fallback')
    .map((a) => ({ t: ms(a.time), tier: a.tier, deadline: ms(a.deadline) }))
    .filter((a): a is { t: number; tier: string | undefined; deadline: number | null } => a.t !== null)
    .sort((a, b) => a.t - b.t);
  switches.forEach((sw, i) => {
    if (sw.tier !== 'elevated') return;
    const next = switches[i + 1]?.t ?? n;
    out.push([sw.t, Math.min(next, sw.deadline ?? next, n)]);
  });
  return out;
}

export function computeUsage(
  sessions: readonly UsageSession[],
  audit: readonly UsageAuditLine[],
  now: Date,
): Usage {
  const dayStart = localDayStart(now);
  const from = dayStart.getTime();
  const elevatedMs = unionLength(elevatedIntervals(sessions, audit, now), from, now.getTime());
  const sessionsToday = sessions.filter((s) => {
    const t = ms(s.startedAt);
    return t !== null && t >= from && t <= now.getTime();
  }).length;
  return {
    elevatedSecondsToday: Math.floor(elevatedMs / 1000),
    sessionsToday,
    dayStart: dayStart.toISOString(),
  };
}

/** Warn this many minutes before a limit: 20% of it, at least 1 and at most 10. */
export function warnLead(limitMinutes: number): number {
  return Math.min(10, Math.max(1, Math.round(limitMinutes * 0.2)));
}

/** Warnings before (and at) the cost-guard limits, for the day's elevated time and each live session. */
export function costWarnings(
  usage: Pick<Usage, 'elevatedSecondsToday'>,
  liveSessions: readonly UsageSession[],
  guard: CostGuard,
  now: Date,
): CostWarning[] {
  const out: CostWarning[] = [];
  const day = guard.maxElevatedMinutesPerDay;
  if (day) {
    const left = day - usage.elevatedSecondsToday / 60;
    if (left <= warnLead(day)) {
      const m = Math.max(0, Math.ceil(left));
      out.push({
        kind: 'elevated-day',
        level: left <= 0 ? 'reached' : 'warn',
        minutesLeft: m,
        limitMinutes: day,
        message:
          left <= 0
            ? `elevated time today has reached the ${day} min limit`
            : `${m} min of elevated time left today (limit ${day} min)`,
      });
    }
  }
  const max = guard.maxSessionMinutes;
  if (max) {
    for (const s of liveSessions) {
      const start = ms(s.startedAt);
      if (start === null || s.endedAt) continue;
      const left = max - (now.getTime() - start) / 60_000;
      if (left > warnLead(max)) continue;
      const m = Math.max(0, Math.ceil(left));
      out.push({
        kind: 'session-length',
        level: left <= 0 ? 'reached' : 'warn',
        minutesLeft: m,
        limitMinutes: max,
        ...(s.id ? { sessionId: s.id } : {}),
        message:
          left <= 0
            ? `session ${s.id ?? ''} has run past the ${max} min session limit`.replace('  ', ' ')
            : `session ${s.id ?? ''} reaches the ${max} min session limit in ${m} min`.replace('  ', ' '),
      });
    }
  }
  return out;
}
