// Cost guard (issue 8): today's usage in state, warnings in the tray and as notifications. A timer only
// while limits are set, for the moment the next warning or limit falls due — never a polling loop.
import type { Settings } from '../../../shared/settings';
import { warnLead } from '../../../shared/usage';
import type { Env } from '../../node/paths';
import { loadSettings } from '../../node/settingsStore';
import { readUsage, type UsageReport } from '../../node/usage';
import type { Runtime } from '../runtime';

/** Re-check usage at most this often (it reads session specs and the audit log). */
export const USAGE_MIN_INTERVAL_MS = 60_000;

export function hasLimits(l: {
  maxElevatedMinutesPerDay?: number | null;
  maxSessionMinutes?: number | null;
}) {
  return Boolean(l.maxElevatedMinutesPerDay || l.maxSessionMinutes);
}

export function safeSettings(env: Env): Settings | null {
  try {
    return loadSettings(env);
  } catch {
    return null;
  }
}

export class CostGuard {
  private timer: unknown = null;
  private at = Number.NEGATIVE_INFINITY;
  private notified = new Set<string>();

  constructor(private readonly rt: Runtime) {}

  /**
   * Re-read today's usage (session specs + audit log: cheap, but never more than once a minute unless
   * `force`: a reload). Each new warning is notified once a day.
   */
  refresh(force = false): void {
    const { rt } = this;
    const state = rt.store.state;
    const now = rt.clock.now();
    if (!force && now - this.at < USAGE_MIN_INTERVAL_MS) {
      if (state.usage && hasLimits(state.usage.limits)) this.scheduleAt(now);
      return;
    }
    this.at = now;
    let report: UsageReport;
    try {
      report = readUsage(rt.env, rt.ctx?.settings ?? safeSettings(rt.env), new Date(now));
    } catch (err) {
      console.error('elevate: reading usage failed:', (err as Error).message);
      return;
    }
    for (const w of report.warnings) {
      const key = `${report.dayStart}|${w.kind}|${w.level}|${w.sessionId ?? ''}`;
      if (this.notified.has(key)) continue;
      this.notified.add(key);
      rt.platform.notify?.(
        w.level === 'reached' ? 'Cost guard: limit reached' : 'Cost guard: limit ahead',
        `${w.message.charAt(0).toUpperCase()}${w.message.slice(1)}.`,
      );
    }
    const limits = {
      maxElevatedMinutesPerDay: report.limits.maxElevatedMinutesPerDay ?? null,
      maxSessionMinutes: report.limits.maxSessionMinutes ?? null,
    };
    rt.store.update({
      usage: {
        elevatedSecondsToday: report.elevatedSecondsToday,
        sessionsToday: report.sessionsToday,
        dayStart: report.dayStart,
        computedAt: new Date(now).toISOString(),
        limits,
        warnings: report.warnings,
      },
    });
    this.scheduleAt(hasLimits(limits) ? this.nextEvent(report, now) : null);
  }

  /** When the next cost-guard warning or limit can fall due (or the day rolls over). */
  private nextEvent(report: UsageReport, now: number): number {
    const state = this.rt.store.state;
    const at: number[] = [];
    const day = report.limits.maxElevatedMinutesPerDay;
    const accruing = state.elevation !== null || state.sessions.some((s) => s.live && s.tier === 'elevated');
    if (day && accruing) {
      const used = report.elevatedSecondsToday * 1000;
      for (const m of [day - warnLead(day), day]) if (m * 60_000 > used) at.push(now + m * 60_000 - used);
    }
    const max = report.limits.maxSessionMinutes;
    if (max) {
      for (const s of state.sessions.filter((x) => x.live)) {
        for (const m of [max - warnLead(max), max]) at.push(Date.parse(s.createdAt) + m * 60_000);
      }
    }
    const midnight = new Date(report.dayStart);
    at.push(new Date(midnight.getFullYear(), midnight.getMonth(), midnight.getDate() + 1).getTime());
    return Math.min(...at.filter((t) => t > now));
  }

  private scheduleAt(at: number | null): void {
    this.stop();
    if (at === null || !this.rt.started) return;
    const due = Math.max(at, this.at + USAGE_MIN_INTERVAL_MS);
    this.timer = this.rt.clock.setTimeout(
      () => {
        this.timer = null;
        this.refresh(true);
      },
      Math.min(due - this.rt.clock.now(), 2 ** 31 - 1),
    );
  }

  stop(): void {
    if (this.timer !== null) this.rt.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
