import { describe, expect, it } from 'vitest';
import {
  computeUsage,
  costWarnings,
  localDayStart,
  unionLength,
  warnLead,
  type UsageAuditLine,
  type UsageSession,
} from '../../shared/usage';

// Local times (the cost guard's day is the user's local day), whatever TZ the test runs in.
const at = (h: number, m = 0, day = 24) => new Date(2026, 10, day, h, m);
const iso = (d: Date) => d.toISOString();
const NOW = at(10, 0);

function sess(p: Partial<UsageSession>): UsageSession {
  return { tier: 'elevated', createdAt: iso(at(0, 0)), ...p };
}

describe('computeUsage', () => {
  it('counts only the part of an elevated session inside the local day', () => {
    const s = sess({ startedAt: iso(at(23, 40, 23)), endedAt: iso(at(0, 20)) });
    expect(localDayStart(NOW).getTime()).toBe(at(0, 0).getTime());
    expect(computeUsage([s], [], NOW)).toMatchObject({ elevatedSecondsToday: 20 * 60, sessionsToday: 0 });
  });

  it('read-only sessions do not count as elevated but count as sessions', () => {
    const u = computeUsage([sess({ tier: 'readonly', startedAt: iso(at(8)), endedAt: iso(at(9)) })], [], NOW);
    expect(u).toMatchObject({ elevatedSecondsToday: 0, sessionsToday: 1 });
  });

  it('a live session counts up to now; a dead one without endedAt up to its deadline', () => {
    const live = sess({ startedAt: iso(at(9, 30)), live: true, deadline: iso(at(10, 30)) });
    const dead = sess({ startedAt: iso(at(7)), live: false, deadline: iso(at(7, 15)) });
    expect(computeUsage([live, dead], [], NOW).elevatedSecondsToday).toBe((30 + 15) * 60);
  });

  it('active-tier switches: elevated until the next switch or the deadline; overlaps with sessions count once', () => {
    const audit: UsageAuditLine[] = [
      { time: iso(at(6)), type: 'switch', tier: 'elevated', deadline: iso(at(6, 30)) }, // 30 min (deadline)
      { time: iso(at(6, 45)), type: 'restore' },
      { time: iso(at(8)), type: 'switch', tier: 'elevated', deadline: iso(at(9)) },
      { time: iso(at(8, 20)), type: 'switch', tier: 'readonly' }, // ends the 8:00 window at 8:20
      { time: iso(at(9, 50)), type: 'switch', tier: 'elevated', deadline: iso(at(10, 50)) }, // 10 min so far
    ];
    // A session 8:10-8:40 overlaps the 8:00-8:20 switch window: union 8:00-8:40 = 40 min.
    const s = sess({ startedAt: iso(at(8, 10)), endedAt: iso(at(8, 40)) });
    expect(computeUsage([s], audit, NOW).elevatedSecondsToday).toBe((30 + 40 + 10) * 60);
  });

  it('sessionsToday counts sessions started today (not created-but-never-started ones)', () => {
    const u = computeUsage(
      [
        sess({ tier: 'readonly', startedAt: iso(at(23, 0, 23)), endedAt: iso(at(1)) }),
        sess({ tier: 'readonly', startedAt: iso(at(3)), endedAt: iso(at(4)) }),
        sess({ tier: 'readonly' }),
      ],
      [],
      NOW,
    );
    expect(u.sessionsToday).toBe(1);
  });

  it('unionLength merges overlaps and clips', () => {
    expect(
      unionLength(
        [
          [0, 10],
          [5, 20],
          [30, 40],
          [35, 36],
        ],
        2,
        38,
      ),
    ).toBe(18 + 8);
  });
});

describe('costWarnings', () => {
  it('day limit: nothing far from it, warn within the lead, reached at the limit', () => {
    expect(warnLead(60)).toBe(10);
    const g = { maxElevatedMinutesPerDay: 60 };
    expect(costWarnings({ elevatedSecondsToday: 45 * 60 }, [], g, NOW)).toEqual([]);
    expect(costWarnings({ elevatedSecondsToday: 50 * 60 }, [], g, NOW)).toEqual([
      {
        kind: 'elevated-day',
        level: 'warn',
        minutesLeft: 10,
        limitMinutes: 60,
        message: '10 min of elevated time left today (limit 60 min)',
      },
    ]);
    expect(costWarnings({ elevatedSecondsToday: 61 * 60 }, [], g, NOW)[0]).toMatchObject({
      level: 'reached',
      minutesLeft: 0,
    });
  });

  it('session length: warns for a live session near the limit, not for a young one', () => {
    const g = { maxSessionMinutes: 120 };
    const old = sess({ id: 's-old', tier: 'readonly', startedAt: iso(at(8, 5)), live: true });
    const young = sess({ id: 's-young', tier: 'readonly', startedAt: iso(at(9, 0)), live: true });
    const w = costWarnings({ elevatedSecondsToday: 0 }, [old, young], g, NOW);
    expect(w).toEqual([
      {
        kind: 'session-length',
        level: 'warn',
        minutesLeft: 5,
        limitMinutes: 120,
        sessionId: 's-old',
        message: 'session s-old reaches the 120 min session limit in 5 min',
      },
    ]);
  });

  it('no limits, no warnings', () => {
    expect(
      costWarnings({ elevatedSecondsToday: 86_000 }, [sess({ startedAt: iso(at(0)) })], {}, NOW),
    ).toEqual([]);
  });
});
