// Pure helpers over AppState (no zod, so the renderer can use them without the schemas).
import { EXPIRING_MS, msLeft } from './deadline';
import type { ActiveTier, AppState } from './state';

export { EXPIRING_MS };

// ------------------------------------------------------------------------------------------------

/** Milliseconds of elevation left (0 when expired), or null when not elevated. */
export function remainingMs(state: Pick<AppState, 'elevation'>, now: number): number | null {
  if (!state.elevation) return null;
  return msLeft(state.elevation.deadline, now);
}

export type ElevationPhase = 'none' | 'elevated' | 'expiring' | 'expired';

export function elevationPhase(state: Pick<AppState, 'elevation'>, now: number): ElevationPhase {
  const left = remainingMs(state, now);
  if (left === null) return 'none';
  if (left <= 0) return 'expired';
  return left < EXPIRING_MS ? 'expiring' : 'elevated';
}

/** `14:32` (mm:ss, minutes may exceed 59 — elevation is at most 60 min); `1:02:03` above an hour. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 && total > 3600 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(Math.floor(total / 60))}:${pad(s)}`;
}

/** "just now", "3 min ago", "2 h ago", "3 days ago". */
export function formatAgo(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return 'at an unknown time';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 36) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

export function tierLabel(tier: ActiveTier): string {
  return tier === 'readonly' ? 'Read-only' : tier === 'elevated' ? 'Elevated' : 'Off';
}

/** The launch command names the UI uses for each tier. */
export function tierCommand(tier: 'readonly' | 'elevated'): string {
  return tier === 'readonly' ? 'claude-ro' : 'claude-el';
}

export function hasTiers(state: Pick<AppState, 'tiers'>): boolean {
  return state.tiers.readonly !== null || state.tiers.elevated !== null;
}

/** Last path component, for compact folder labels (handles / and \). */
export function folderName(p: string): string {
  const parts = p.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}

/** Shorten a path for a menu label: keep the last two components. */
export function shortPath(p: string, max = 48): string {
  if (p.length <= max) return p;
  const parts = p.split(/[\\/]+/).filter(Boolean);
  const tail = parts.slice(-2).join('/');
  return tail.length + 2 <= max ? `…/${tail}` : `…${p.slice(p.length - max + 1)}`;
}
