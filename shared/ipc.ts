// THE bridge contract between the window (renderer) and main: every channel with its request and
// response schema. Main validates every request against it (electron/main/ipc.ts → core.handle), the
// preload exposes exactly these channels, and the renderer's types are derived from it.
// A channel is listed only once the service behind it exists — no stubs. Its name goes into
// shared/channels.ts too (the preload's list; `satisfies` below keeps the two identical).
// Shared file: several engineers add channels here — small, precise edits only.
import { z } from 'zod';
import { SettingsSchema } from './settings';
import { CHANNEL_NAMES, type ChannelName } from './channels';
import { ActiveTierSchema, AppStateSchema, IdentitySchema, ErrorInfoSchema, TierNameSchema } from './state';
import { MAX_ELEVATION_MINUTES, MIN_ELEVATION_MINUTES } from './settings';
import { MFA_CODE_RE, RESUME_ID_RE } from './ids';

/** 6-digit code for an elevated profile with mfa_serial (state.elevatedNeedsMfa); never stored or logged. */
const MfaCode = z.string().regex(MFA_CODE_RE, 'a 6-digit MFA code');

/** Channels without a payload accept nothing but `undefined` or `{}`. */
const NoPayload = z.object({}).strict().optional();

const Ok = z.object({ ok: z.literal(true) });

export const DoctorCheckSchema = z.object({
  id: z.string(),
  status: z.enum(['ok', 'warn', 'fail']),
  message: z.string(),
  fix: z.string().optional(),
});
export type DoctorCheck = z.infer<typeof DoctorCheckSchema>;

export const AuditRecordSchema = z.looseObject({ time: z.string(), type: z.string() });
export type AuditRecordView = z.infer<typeof AuditRecordSchema>;

export const VerifyResultSchema = z.object({
  tier: TierNameSchema,
  ok: z.boolean(),
  identity: IdentitySchema.nullable(),
  error: ErrorInfoSchema.nullable(),
});
export type VerifyResult = z.infer<typeof VerifyResultSchema>;

/** An absolute path (POSIX or Windows), no NUL; the service checks that it exists. */
const AbsPath = z
  .string()
  .min(1)
  .max(4096)
  .refine(
    (p) => !p.includes('\0') && (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\')),
    {
      message: 'an absolute path',
    },
  );

/** A file a tier switch updated (Claude settings, shell state files): what happened and why (issue 7). */
export const SwitchTargetSchema = z.object({
  kind: z.enum(['claude-user', 'claude-project', 'shell']),
  file: z.string(),
  ok: z.boolean(),
  action: z.string(),
  changedMeanwhile: z.boolean().optional(),
  keptUserKeys: z.array(z.string()).optional(),
  backup: z.string().optional(),
  message: z.string().optional(),
});

/** One aws call recorded by a session's shim (activity.jsonl; shared/activity.ts): names, never values. */
export const ActivityRecordSchema = z.object({
  time: z.string(),
  sessionId: z.string().nullable(),
  tier: TierNameSchema.nullable(),
  profile: z.string().nullable(),
  service: z.string().nullable(),
  operation: z.string().nullable(),
  flags: z.array(z.string()),
  profileArg: z.string().optional(),
  region: z.string().optional(),
  exitCode: z.number().nullable(),
  signal: z.string().optional(),
  durationMs: z.number(),
  errorCode: z.string().optional(),
  denied: z
    .object({
      action: z.string(),
      resource: z.string().optional(),
      reason: z.string(),
      inferred: z.boolean(),
    })
    .optional(),
});
export type ActivityRecordView = z.infer<typeof ActivityRecordSchema>;

/** A denied IAM action of one tier, grouped (shared/activity.ts DeniedEntry). */
export const DeniedEntrySchema = z.object({
  action: z.string(),
  class: z.enum(['read', 'write']),
  sensitive: z.boolean(),
  resources: z.array(z.string()),
  count: z.number().int(),
  lastSeen: z.string(),
  explicitDeny: z.boolean(),
  inferred: z.boolean(),
  commands: z.array(z.string()),
});
export type DeniedEntryView = z.infer<typeof DeniedEntrySchema>;

/** Policy hints of one tier (what `elevate policy-hints --json` prints), the IAM policy as JSON text. */
export const TierHintsSchema = z.object({
  tier: z.enum(['readonly', 'elevated', 'unknown']),
  /** The tier's profile (the role the statement would go on), when the tier is set up. */
  profile: z.string().nullable(),
  denied: z.array(DeniedEntrySchema),
  handoff: z.array(DeniedEntrySchema),
  explicit: z.array(DeniedEntrySchema),
  sensitive: z.array(DeniedEntrySchema),
  /** `{"Version": "2012-10-17", "Statement": [...]}`, pretty-printed; null when nothing to allow. */
  policy: z.string().nullable(),
});
export type TierHintsView = z.infer<typeof TierHintsSchema>;

/** A running Elevate-launched session still on another tier, with the argv that resumes it. */
export const StaleSessionSchema = z.object({
  id: z.string(),
  tier: TierNameSchema.nullable(),
  profile: z.string().nullable(),
  cwd: z.string(),
  createdAt: z.string(),
  claudeSessionId: z.string().nullable(),
  restartArgv: z.array(z.string()),
});

export const contract = {
  /** The whole state snapshot (the window asks once, then follows `state:changed`). */
  'state:get': { request: NoPayload, response: AppStateSchema },
  /** Re-read ~/.aws/config, settings and sessions. */
  'state:refresh': { request: NoPayload, response: AppStateSchema },
  'settings:get': { request: NoPayload, response: SettingsSchema },
  /** Top-level keys replace, nested objects merge one level; the result is validated as a whole. */
  'settings:set': {
    request: z.object({ patch: z.record(z.string(), z.unknown()) }).strict(),
    response: SettingsSchema,
  },
  'doctor:run': { request: NoPayload, response: z.object({ checks: z.array(DoctorCheckSchema) }) },
  'audit:list': {
    request: z
      .object({ limit: z.number().int().min(1).max(500).optional() })
      .strict()
      .optional(),
    response: z.object({ records: z.array(AuditRecordSchema) }),
  },
  'errors:dismiss': {
    request: z
      .object({ id: z.string().max(64).optional() })
      .strict()
      .optional(),
    response: Ok,
  },
  /** STS GetCallerIdentity through the tier's profile (both tiers when no tier is given). */
  'tiers:verify': {
    request: z.object({ tier: TierNameSchema.optional() }).strict().optional(),
    response: z.object({ results: z.array(VerifyResultSchema) }),
  },
  /** The OS folder picker (main owns the dialog); null when cancelled. */
  'dialog:pickFolder': {
    request: z
      .object({ title: z.string().max(200).optional() })
      .strict()
      .optional(),
    response: z.object({ path: AbsPath.nullable() }),
  },
  /** Opens an https link from the allowlist below in the user's browser; anything else is refused. */
  'shell:openExternal': {
    request: z.object({ url: z.string().max(2048) }).strict(),
    response: Ok,
  },
  /**
   * Set the active tier for everything started next (issue 7). Elevated lasts `minutes` (default: settings)
   * and is confirmed by main's own native dialog (issue 12 P4; the dispatcher): `confirmed: true` is still
   * required of the window, but it is only the window's intent — it never counts as the human's yes. Target problems come back in `targets`
   * / `warnings`; the switch itself still happened.
   */
  'tier:switch': {
    request: z
      .object({
        tier: ActiveTierSchema,
        minutes: z.number().int().min(MIN_ELEVATION_MINUTES).max(MAX_ELEVATION_MINUTES).optional(),
        confirmed: z.boolean().optional(),
      })
      .strict()
      .refine((r) => r.tier !== 'elevated' || r.confirmed === true, {
        message: 'switching to elevated needs confirmed: true (ask the user first)',
      }),
    response: z.object({
      activeTier: ActiveTierSchema,
      deadline: z.string().nullable(),
      since: z.string().nullable(),
      changed: z.boolean(),
      targets: z.array(SwitchTargetSchema),
      staleSessions: z.array(StaleSessionSchema),
      warnings: z.array(z.string()),
    }),
  },
  /** Open a terminal running claude-ro / claude-el (issue 3 launcher); no `cwd` → the folder picker. */
  'launch:start': {
    request: z
      .object({
        tier: TierNameSchema,
        cwd: AbsPath.optional(),
        minutes: z.number().int().min(MIN_ELEVATION_MINUTES).max(MAX_ELEVATION_MINUTES).optional(),
        /**
         * Restart a stale session under `tier` (issue 7): `claude --resume <id>`; the live Elevate session
         * running that Claude conversation is ended first, and the new one opens in its folder.
         */
        resumeId: z.string().regex(RESUME_ID_RE, 'a Claude session id').optional(),
        mfaCode: MfaCode.optional(),
      })
      .strict(),
    response: z.object({
      /** false when the user cancelled the folder picker. */
      launched: z.boolean(),
      sessionId: z.string().nullable(),
      cwd: z.string().nullable(),
      terminal: z.string().nullable(),
      /** Variables removed from the environment (names only). */
      removed: z.array(z.string()),
      warnings: z.array(z.string()),
      deadline: z.string().nullable(),
      /** The Elevate session a restart (`resumeId`) ended, if one was still running. */
      replaced: z.string().nullable().optional(),
    }),
  },
  /** Approve the plan.md the user was shown (by its hash) and launch the elevated handoff (issue 5). */
  'plan:approve': {
    request: z
      .object({
        cwd: AbsPath,
        planHash: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 hex digest'),
        minutes: z.number().int().min(MIN_ELEVATION_MINUTES).max(MAX_ELEVATION_MINUTES).optional(),
        mfaCode: MfaCode.optional(),
        /** plan: only the plan's AWS actions; full: the whole elevated role. Absent: the default for the plan. */
        scope: z.enum(['plan', 'full']).optional(),
      })
      .strict(),
    response: z.object({
      sessionId: z.string(),
      deadline: z.string(),
      resumed: z.string().nullable(),
      warnings: z.array(z.string()),
      scope: z.enum(['plan', 'full']).optional(),
    }),
  },
  /** End elevation now: live elevated sessions end, the tier falls back to read-only. */
  'elevation:drop': {
    request: NoPayload,
    response: z.object({ dropped: z.array(z.string()), wasElevated: z.boolean() }),
  },
  /** Workstation agent status over SSM DescribeInstanceInformation (issue 6), with the operator profile. */
  'ssm:status': {
    request: NoPayload,
    response: z.object({
      instanceId: z.string(),
      pingStatus: z.string(),
      platform: z.string(),
      agentVersion: z.string(),
      lastPing: z.string().nullable(),
    }),
  },
  /** `cloud-init status` on the workstation via SendCommand; `wait` re-checks until it is no longer running. */
  'ssm:cloudInit': {
    request: z.object({ wait: z.boolean().optional() }).strict().optional(),
    response: z.object({
      instanceId: z.string(),
      status: z.enum(['done', 'running', 'error', 'degraded', 'disabled', 'unknown']),
      responseCode: z.number().nullable(),
      elapsedSeconds: z.number(),
      output: z.string(),
      message: z.string(),
    }),
  },
  /** A terminal with `aws ssm start-session` (or remote Claude); waits for cloud-init unless `anyway`. */
  'ssm:connect': {
    request: z
      .object({ remoteClaude: TierNameSchema.optional(), anyway: z.boolean().optional() })
      .strict()
      .optional(),
    response: z.object({
      sessionId: z.string().nullable(),
      instanceId: z.string(),
      cloudInit: z.string(),
      deadline: z.string().nullable(),
    }),
  },
  /** After an elevation ended: reopen the same Claude conversation read-only (issue 5 resumeReadonly). */
  'session:resumeReadonly': {
    request: z.object({ sessionId: z.string().regex(/^[a-z0-9][a-z0-9-]{7,63}$/) }).strict(),
    response: z.object({ sessionId: z.string(), resumeId: z.string().nullable() }),
  },
  /** End one live Elevate-launched session early (issue 5 "drop"): SIGTERM, then SIGKILL after the grace. */
  'session:drop': {
    request: z.object({ sessionId: z.string().regex(/^[a-z0-9][a-z0-9-]{7,63}$/) }).strict(),
    response: z.object({ sessionId: z.string(), forced: z.boolean() }),
  },
  /** aws calls recorded in Elevate-launched sessions (issue 8 shim), oldest first, the last `limit` (200). */
  'activity:list': {
    request: z
      .object({
        session: z
          .string()
          .regex(/^[a-z0-9][a-z0-9-]{7,63}$/)
          .optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict()
      .optional(),
    response: z.object({ records: z.array(ActivityRecordSchema), total: z.number().int() }),
  },
  /** Denied actions grouped by tier with least-privilege IAM statements (`elevate policy-hints`). */
  'policy:hints': {
    request: NoPayload,
    response: z.object({
      tiers: z.array(TierHintsSchema),
      /** Writes handed off from read-only: what the ELEVATED role needs if it cannot do them either. */
      elevatedForHandoff: z.string().nullable(),
      /** How many recorded calls the hints come from. */
      calls: z.number().int(),
    }),
  },
  /**
   * "Install command-line tool" (issue 13 item 2): the `elevate` launcher into a user bin directory
   * (electron/node/installCli.ts). Confirmed in main's native dialog first: it writes a command on PATH.
   */
  'cli:install': {
    request: NoPayload,
    response: z.object({
      path: z.string(),
      status: z.enum(['installed', 'updated', 'unchanged']),
      /** Whether the launcher's directory is on PATH; if not, `pathHint` says what to add. */
      onPath: z.boolean(),
      pathHint: z.string().optional(),
    }),
  },
} as const satisfies { [K in ChannelName]: { request: z.ZodType; response: z.ZodType } };

/** Events main sends to the window (no request/response: one payload each). */
export const events = {
  'state:changed': AppStateSchema,
  /** Main asks the window to show a section (tray "Plan ready — review", "Set up tiers…"). */
  'ui:show': z.object({ section: z.enum(['overview', 'plan', 'settings', 'setup', 'doctor', 'audit']) }),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type EventName = keyof typeof events;
export type Request<C extends Channel> = z.input<Contract[C]['request']>;
/** A request after validation (defaults applied): what the dispatcher hands to a use case. */
export type ParsedRequest<C extends Channel> = z.output<Contract[C]['request']>;
export type Response<C extends Channel> = z.output<Contract[C]['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const CHANNELS: readonly Channel[] = CHANNEL_NAMES;
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(contract, value);
}

// Defined beside the channel names (zod-free: the renderer reads the codes without the schemas).
export { IPC_ERRORS } from './channels';

export interface IpcError {
  code: string;
  message: string;
}
export type IpcResult<T> = { ok: true; data: T } | { ok: false; error: IpcError };

/** What `window.elevate` is (preload ↔ renderer). */
export interface ElevateBridge {
  /** The channels this build serves (same as CHANNELS in main). */
  readonly channels: readonly Channel[];
  invoke<C extends Channel>(channel: C, payload?: Request<C>): Promise<IpcResult<Response<C>>>;
  onState(cb: (state: EventPayload<'state:changed'>) => void): () => void;
  onShow(cb: (msg: EventPayload<'ui:show'>) => void): () => void;
}

// ------------------------------------------------------------------------------------------------
// Security policies shared by main (enforcement) and tests
// ------------------------------------------------------------------------------------------------

/** Hosts the window may open in the browser (docs the UI links to). https only, no credentials in URL. */
export const EXTERNAL_HOSTS = [
  'docs.aws.amazon.com',
  'aws.amazon.com',
  'console.aws.amazon.com',
  'docs.anthropic.com',
  'docs.claude.com',
  'code.claude.com',
  'github.com',
] as const;

export function isAllowedExternalUrl(raw: string): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username || u.password || u.port) return false;
  return (EXTERNAL_HOSTS as readonly string[]).includes(u.hostname);
}

/**
 * Whether an IPC sender frame is the app's own renderer: the same file:// document main loaded
 * (query and hash ignored), or — in `electron-vite dev` only — the exact dev-server origin.
 */
export function isTrustedRendererUrl(
  senderUrl: string,
  rendererUrl: string,
  devOrigin?: string | null,
): boolean {
  let sender: URL;
  let own: URL;
  try {
    sender = new URL(senderUrl);
    own = new URL(rendererUrl);
  } catch {
    return false;
  }
  if (devOrigin) {
    try {
      if (sender.origin === new URL(devOrigin).origin && sender.protocol.startsWith('http')) return true;
    } catch {
      return false;
    }
  }
  return (
    sender.protocol === 'file:' &&
    own.protocol === 'file:' &&
    sender.host === own.host &&
    sender.pathname === own.pathname
  );
}
