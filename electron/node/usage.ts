// The day's usage for the cost guard, read from session specs and the audit log (computation: shared/usage.ts).
import type { Settings } from '../../shared/settings';
import {
  computeUsage,
  costWarnings,
  type CostGuard,
  type CostWarning,
  type UsageSession,
} from '../../shared/usage';
import { readAudit } from './audit';
import { isLive, listSessions } from './sessions';
import type { Env } from './paths';

export interface UsageReport {
  elevatedSecondsToday: number;
  sessionsToday: number;
  dayStart: string;
  limits: CostGuard;
  warnings: CostWarning[];
}

export function readUsage(
  env: Env,
  settings: Pick<Settings, 'costGuard'> | null,
  now: Date = new Date(),
): UsageReport {
  const sessions: UsageSession[] = listSessions(env).map((s) => ({
    id: s.id,
    tier: s.tier,
    kind: s.kind,
    createdAt: s.createdAt,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    deadline: s.deadline,
    live: isLive(s),
  }));
  const audit = readAudit(env, 20_000);
  const usage = computeUsage(sessions, audit, now);
  const limits: CostGuard = {
    ...(settings?.costGuard?.maxElevatedMinutesPerDay
      ? { maxElevatedMinutesPerDay: settings.costGuard.maxElevatedMinutesPerDay }
      : {}),
    ...(settings?.costGuard?.maxSessionMinutes
      ? { maxSessionMinutes: settings.costGuard.maxSessionMinutes }
      : {}),
  };
  const live = sessions.filter((s) => s.live && s.startedAt && !s.endedAt);
  return { ...usage, limits, warnings: costWarnings(usage, live, limits, now) };
}
