// The app's state as the tray, the window and the CLI see it: one snapshot, owned by the core in main
// (electron/app/core.ts). Pure data + pure helpers; the schema doubles as the contract of the
// `state:changed` event (shared/ipc.ts). No secrets: names, ARNs, ids, times.
import { z } from 'zod';

export const ACTIVE_TIERS = ['readonly', 'elevated', 'off'] as const;
export const ActiveTierSchema = z.enum(ACTIVE_TIERS);
export type ActiveTier = z.infer<typeof ActiveTierSchema>;

export const TierNameSchema = z.enum(['readonly', 'elevated']);

/**
 * Can the read-only tier reach the elevated one without the human (shared/selfElevation.ts, issue 12 P2)?
 * The same finding `elevate doctor` prints; only on the elevated tier.
 */
export const SelfElevationSchema = z.object({
  status: z.enum(['ok', 'warn', 'fail']),
  message: z.string(),
  fix: z.string().optional(),
});
export type SelfElevationView = z.infer<typeof SelfElevationSchema>;

export const TierInfoSchema = z.object({
  tier: TierNameSchema,
  profile: z.string(),
  chain: z.array(z.string()),
  roleArn: z.string().nullable(),
  region: z.string().nullable(),
  roleSessionName: z.string().nullable(),
  problems: z.array(z.string()),
  /** Elevated tier only: the self-elevation finding (null: nothing to judge, e.g. a broken chain). */
  selfElevation: SelfElevationSchema.nullable().optional(),
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

/** The plan's AWS side (issue 14 item 3): shared/iam/planReview.ts's PlanAwsReview, as the window gets it. */
export const PlanAwsReviewSchema = z.object({
  commands: z.array(
    z.object({
      line: z.number(),
      source: z.enum(['fenced', 'inline']),
      text: z.string(),
      actions: z.array(
        z.object({
          action: z.string(),
          accessLevel: z.enum(['List', 'Read', 'Write', 'Permissions management', 'Tagging']).nullable(),
          resources: z.array(z.object({ type: z.string(), arn: z.string() })),
          /** The lowest tier whose policy allows it (null: none, as deployed). */
          tier: TierNameSchema.nullable(),
          /** Why it is destructive (null: not destructive). */
          destructive: z.string().nullable(),
        }),
      ),
      notes: z.array(z.string()),
    }),
  ),
  /** Commands that could not be understood: listed, never dropped. */
  unparsed: z.array(
    z.object({
      line: z.number(),
      source: z.enum(['fenced', 'inline']),
      text: z.string(),
      reason: z.string(),
    }),
  ),
  /** Every action Read/List and every command understood. */
  noElevationNeeded: z.boolean(),
  actions: z.array(z.string()),
  resources: z.record(z.string(), z.array(z.string())),
  destructive: z.array(z.string()),
});
export type PlanAwsReviewState = z.infer<typeof PlanAwsReviewSchema>;

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
  title: z.string().optional(),
  truncated: z.boolean().optional(),
  /** Claude session the elevated run will resume (null: a fresh session). */
  claudeSessionId: z.string().nullable().optional(),
  /** The AWS side of the plan (of `preview`: all of it unless `truncated`); null when it could not be computed. */
  aws: PlanAwsReviewSchema.nullable().optional(),
  /** Why `aws` is null (the review failed), shown instead of the table. */
  awsError: z.string().nullable().optional(),
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

/** A cost-guard warning (shared/usage.ts costWarnings): before and at a limit. */
export const CostWarningSchema = z.object({
  kind: z.enum(['elevated-day', 'session-length']),
  level: z.enum(['warn', 'reached']),
  minutesLeft: z.number(),
  limitMinutes: z.number(),
  sessionId: z.string().optional(),
  message: z.string(),
});
export type CostWarningView = z.infer<typeof CostWarningSchema>;

/** Today's usage for the cost guard (electron/node/usage.ts readUsage), refreshed at most once a minute. */
export const UsageStateSchema = z.object({
  elevatedSecondsToday: z.number(),
  sessionsToday: z.number().int(),
  /** Local midnight the totals count from (ISO). */
  dayStart: z.string(),
  /** When the totals were computed (ISO). */
  computedAt: z.string(),
  limits: z.object({
    maxElevatedMinutesPerDay: z.number().nullable(),
    maxSessionMinutes: z.number().nullable(),
  }),
  warnings: z.array(CostWarningSchema),
});
export type UsageState = z.infer<typeof UsageStateSchema>;

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
  /**
   * The elevation shown as "elevated" (countdown, tray): of all running elevations, the one ending LAST.
   * Every running elevation, each with its own deadline, is in `elevations` (sorted, soonest first).
   */
  elevation: ElevationSchema.nullable(),
  elevations: z.array(ElevationSchema),
  /** The elevated profile (or its chain) has mfa_serial: elevated launches / approvals need a 6-digit code. */
  elevatedNeedsMfa: z.boolean(),
  workstation: WorkstationSchema,
  handoff: HandoffSchema.nullable(),
  /** Problems reading the user's files or Elevate's settings: the app still runs and says what to fix. */
  configError: z.string().nullable(),
  errors: z.array(AppErrorSchema),
  settings: SettingsSummarySchema,
  sessions: z.array(SessionSummarySchema),
  busy: z.array(z.string()),
  /** The elevated session that just ended (deadline or drop): the UI offers "Resume read-only". */
  resumable: z
    .object({ sessionId: z.string(), cwd: z.string(), endedAt: z.string(), reason: z.string() })
    .nullable(),
  /** Today's elevated time, sessions, cost-guard limits and warnings (null until first computed). */
  usage: UsageStateSchema.nullable(),
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
    elevations: [],
    elevatedNeedsMfa: false,
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
    busy: [],
    resumable: null,
    usage: null,
  };
}

// Pure helpers live in a zod-free module so the renderer bundle does not carry zod.
export * from './stateHelpers';
