// The app's state as the tray, the window and the CLI see it: one snapshot, owned by the core in main
// (electron/main/services/core.ts). Pure data + pure helpers; the schema doubles as the contract of the
// `state:changed` event (shared/ipc.ts). No secrets: names, ARNs, ids, times.
import { z } from 'zod';

export const ACTIVE_TIERS = ['readonly', 'elevated', 'off'] as const;
export const ActiveTierSchema = z.enum(ACTIVE_TIERS);
export type ActiveTier = z.infer<typeof ActiveTierSchema>;

export const TierNameSchema = z.enum(['readonly', 'elevated']);

/** Expiring: the elevation window has less than this left. */
export const EXPIRING_MS = 5 * 60_000;

export const TierInfoSchema = z.object({
  tier: TierNameSchema,
  profile: z.string(),
  chain: z.array(z.string()),
  roleArn: z.string().nullable(),
  region: z.string().nullable(),
  roleSessionName: z.string().nullable(),
  problems: z.array(z.string()),
});
export type TierInfo = z.infer<typeof TierInfoSchema>;

export const IdentitySchema = z.object({
  tier: TierNameSchema,
  profile: z.string(),
  account: z.string(),
  arn: z.string(),
  userId: z.string().optional(),
  roleName: z.string().nullable().optional(),
  sessionName: z.string().nullable().optional(),
  sessionNameMatches: z.boolean().nullable().optional(),
  /** ISO time of the successful check. */
  verifiedAt: z.string(),
});
export type Identity = z.infer<typeof IdentitySchema>;

export const ErrorInfoSchema = z.object({
  code: z.string(),
  message: z.string(),
});
export type ErrorInfo = z.infer<typeof ErrorInfoSchema>;

export const AppErrorSchema = ErrorInfoSchema.extend({
  id: z.string(),
  /** What failed: a channel (`tiers:verify`), `config`, `elevation`... */
  source: z.string(),
  at: z.string(),
});
export type AppError = z.infer<typeof AppErrorSchema>;

export const ElevationSchema = z.object({
  startedAt: z.string(),
  deadline: z.string(),
  /** Elevate session the elevation belongs to (launch / handoff), or null for a tier switch. */
  sessionId: z.string().nullable(),
  source: z.enum(['launch', 'handoff', 'switch']),
});
export type Elevation = z.infer<typeof ElevationSchema>;

export const WorkstationSchema = z.object({
  configured: z.boolean(),
  instanceId: z.string().nullable(),
  region: z.string().nullable(),
  pingStatus: z.string().nullable(),
  platform: z.string().nullable(),
  agentVersion: z.string().nullable(),
  lastPing: z.string().nullable(),
  checkedAt: z.string().nullable(),
  cloudInit: z
    .object({
      status: z.string(),
      elapsedSeconds: z.number().nullable(),
      output: z.string(),
      checkedAt: z.string(),
    })
    .nullable(),
  error: ErrorInfoSchema.nullable(),
});
export type Workstation = z.infer<typeof WorkstationSchema>;

export const HandoffSchema = z.object({
  cwd: z.string(),
  planPath: z.string(),
  planHash: z.string(),
  /** The plan's Markdown (bounded by the handoff service); rendered sanitized in the window. */
  preview: z.string(),
  detectedAt: z.string(),
  approved: z.boolean(),
  /** Why an earlier approval was voided (plan changed), if it was. */
  voided: z.string().nullable(),
});
export type Handoff = z.infer<typeof HandoffSchema>;

export const SessionSummarySchema = z.object({
  id: z.string(),
  kind: z.string(),
  tier: TierNameSchema.nullable(),
  profile: z.string().nullable(),
  cwd: z.string(),
  createdAt: z.string(),
  deadline: z.string().nullable(),
  live: z.boolean(),
});
export type SessionSummary = z.infer<typeof SessionSummarySchema>;

export const SettingsSummarySchema = z.object({
  elevationMinutes: z.number(),
  launchAtLogin: z.boolean(),
  recentFolders: z.array(z.string()),
  terminal: z.string().nullable(),
  claudePath: z.string().nullable(),
  bedrock: z.object({ enabled: z.boolean(), model: z.string(), region: z.string().nullable() }),
});
export type SettingsSummary = z.infer<typeof SettingsSummarySchema>;

export const AppStateSchema = z.object({
  /** Bumped on every change, so a late snapshot never overwrites a newer one. */
  revision: z.number().int(),
  activeTier: ActiveTierSchema,
  /** ISO time the active tier was last set. */
  since: z.string(),
  tiers: z.object({
    readonly: TierInfoSchema.nullable(),
    elevated: TierInfoSchema.nullable(),
    source: z.string(),
    notes: z.array(z.string()),
  }),
  identities: z.object({ readonly: IdentitySchema.nullable(), elevated: IdentitySchema.nullable() }),
  identityErrors: z.object({ readonly: ErrorInfoSchema.nullable(), elevated: ErrorInfoSchema.nullable() }),
  elevation: ElevationSchema.nullable(),
  workstation: WorkstationSchema,
  handoff: HandoffSchema.nullable(),
  /** Problems reading the user's files or Elevate's settings: the app still runs and says what to fix. */
  configError: z.string().nullable(),
  errors: z.array(AppErrorSchema),
  settings: SettingsSummarySchema,
  sessions: z.array(SessionSummarySchema),
  /** Contract channels this build serves (features land incrementally; the UI hides what is absent). */
  capabilities: z.array(z.string()),
  busy: z.array(z.string()),
});
export type AppState = z.infer<typeof AppStateSchema>;

export function emptyWorkstation(): Workstation {
  return {
    configured: false,
    instanceId: null,
    region: null,
    pingStatus: null,
    platform: null,
    agentVersion: null,
    lastPing: null,
    checkedAt: null,
    cloudInit: null,
    error: null,
  };
}

export function initialState(now: Date = new Date(0)): AppState {
  return {
    revision: 0,
    activeTier: 'off',
    since: now.toISOString(),
    tiers: { readonly: null, elevated: null, source: 'none', notes: [] },
    identities: { readonly: null, elevated: null },
    identityErrors: { readonly: null, elevated: null },
    elevation: null,
    workstation: emptyWorkstation(),
    handoff: null,
    configError: null,
    errors: [],
    settings: {
      elevationMinutes: 30,
      launchAtLogin: false,
      recentFolders: [],
      terminal: null,
      claudePath: null,
      bedrock: { enabled: true, model: '', region: null },
    },
    sessions: [],
    capabilities: [],
    busy: [],
  };
}

// ------------------------------------------------------------------------------------------------
// Pure helpers (used by the tray model, the window and the core's timers)
// ------------------------------------------------------------------------------------------------

/** Milliseconds of elevation left (0 when expired), or null when not elevated. */
export function remainingMs(state: Pick<AppState, 'elevation'>, now: number): number | null {
  if (!state.elevation) return null;
  const deadline = Date.parse(state.elevation.deadline);
  if (!Number.isFinite(deadline)) return null;
  return Math.max(0, deadline - now);
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
