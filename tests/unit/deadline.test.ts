// shared/deadline.ts: the one deadline arithmetic (time left, passed?, whole seconds, warnings).
import { describe, expect, it } from 'vitest';
import {
  deadlineEpochSeconds,
  endsByDeadline,
  isPast,
  msLeft,
  nextEvent,
  warningsDue,
  wholeSecondsLeft,
} from '../../shared/deadline';

const D = '2026-11-24T12:00:00.400Z';
const t = Date.parse(D);

describe('deadline', () => {
  it('time left and passed: at the deadline it has passed; a missing or invalid deadline counts as passed', () => {
    expect(msLeft(D, t - 1500)).toBe(1500);
    expect(msLeft(D, t + 10)).toBe(0);
    expect(msLeft('not a date', t)).toBeNull();
    expect(isPast(D, t - 1)).toBe(false);
    expect(isPast(D, t)).toBe(true);
    expect(isPast(null, t)).toBe(true);
    expect(isPast('garbage', 0)).toBe(true);
  });

  it('whole seconds: rounded down, so STS credentials ending 12:00:00 fit a 12:00:00.400 deadline', () => {
    expect(deadlineEpochSeconds(D)).toBe(Math.floor(t / 1000));
    expect(endsByDeadline('2026-11-24T12:00:00Z', D)).toBe(true);
    expect(endsByDeadline('2026-11-24T12:00:01Z', D)).toBe(false);
    expect(endsByDeadline(null, D)).toBe(false);
    expect(wholeSecondsLeft(D, t - 60_000)).toBe(59); // 11:59:00.400 → 12:00:00: 59 whole seconds (ceil now)
    expect(wholeSecondsLeft(D, t + 5)).toBe(0);
  });

  it('warnings at 5 and 1 minute, then the deadline; nothing after it', () => {
    expect(nextEvent(D, t - 10 * 60_000)).toBe(t - 5 * 60_000);
    expect(nextEvent(D, t - 5 * 60_000)).toBe(t - 60_000);
    expect(nextEvent(D, t - 30_000)).toBe(t);
    expect(nextEvent(D, t)).toBeNull();
    expect(warningsDue(D, t - 6 * 60_000)).toEqual([]);
    expect(warningsDue(D, t - 4 * 60_000)).toEqual([5 * 60_000]);
    expect(warningsDue(D, t - 30_000)).toEqual([5 * 60_000, 60_000]);
    expect(warningsDue(D, t)).toEqual([]); // passed: it ends, no more warnings
  });
});
