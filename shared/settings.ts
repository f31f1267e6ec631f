// Elevate's own settings ($ELEVATE_HOME/settings.json). Unknown keys are kept (looseObject) so a newer
// version's settings survive an older version's save.
import { z } from 'zod';

export const DEFAULT_MODEL = 'us.anthropic.claude-sonnet-4-6';
export const DEFAULT_ELEVATION_MINUTES = 30;
export const MIN_ELEVATION_MINUTES = 15;
export const MAX_ELEVATION_MINUTES = 60;
/** The elevation lengths offered in menus, the window and prompts: the one list (validator: shared/plan.ts validateElevationMinutes). */
export const ELEVATION_MINUTE_CHOICES: readonly number[] = [15, 30, 45, 60];

const profileName = z.string().min(1).max(256);
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as us-east-1');

export const SettingsSchema = z.looseObject({
  tiers: z
    .looseObject({
      readonly: profileName.nullable().optional(),
      elevated: profileName.nullable().optional(),
    })
    .default({}),
  bedrock: z
    .looseObject({
      enabled: z.boolean().default(true),
      model: z.string().min(1).default(DEFAULT_MODEL),
      region: region.optional(),
    })
    .default({ enabled: true, model: DEFAULT_MODEL }),
  /** Terminal adapter id (e.g. "xterm", "gnome-terminal", "iterm2"); unset = detect. */
  terminal: z.string().min(1).optional(),
  /** Path or name of the claude executable; unset = `claude` on PATH. */
  claudePath: z.string().min(1).optional(),
  elevation: z
    .looseObject({
      defaultMinutes: z
        .number()
        .int()
        .min(MIN_ELEVATION_MINUTES)
        .max(MAX_ELEVATION_MINUTES)
        .default(DEFAULT_ELEVATION_MINUTES),
    })
    .default({ defaultMinutes: DEFAULT_ELEVATION_MINUTES }),
  /** Cost guard (Bedrock spend grows with time): warnings before these limits (shared/usage.ts); unset = none. */
  costGuard: z
    .looseObject({
      maxElevatedMinutesPerDay: z.number().int().min(1).max(1440).optional(),
      maxSessionMinutes: z.number().int().min(1).max(10080).optional(),
    })
    .default({}),
  launchAtLogin: z.boolean().default(false),
  /**
   * Where a tier switch takes effect besides launches (issue 7). Claude settings edits are opt-in; the shell
   * hook only acts where the user added `elevate shell-init` to an rc file, so it defaults on.
   */
  switchTargets: z
    .looseObject({
      claudeUserSettings: z.boolean().default(false),
      projectLocalSettings: z.array(z.string().min(1)).max(50).default([]),
      shellHook: z.boolean().default(true),
    })
    .default({ claudeUserSettings: false, projectLocalSettings: [], shellHook: true }),
  recentFolders: z.array(z.string()).max(20).default([]),
  /** Endpoint override for every AWS call Elevate makes (LocalStack, tests). */
  endpointUrl: z.url().optional(),
  workstation: z
    .looseObject({
      instanceId: z.string().optional(),
      tagKey: z.string().default('Name'),
      tagPrefix: z.string().default('claudecode-'),
      region: region.optional(),
      operatorProfile: z.string().optional(),
      remoteReadonlyProfile: z.string().default('claudecode-readonly'),
      remoteElevatedProfile: z.string().default('claudecode-elevated'),
      remoteUser: z.string().default('ec2-user'),
      portForward: z
        .looseObject({ document: z.string(), parameters: z.record(z.string(), z.array(z.string())) })
        .optional(),
    })
    .default({
      tagKey: 'Name',
      tagPrefix: 'claudecode-',
      remoteReadonlyProfile: 'claudecode-readonly',
      remoteElevatedProfile: 'claudecode-elevated',
      remoteUser: 'ec2-user',
    }),
});

export type Settings = z.infer<typeof SettingsSchema>;

export function defaultSettings(): Settings {
  return SettingsSchema.parse({});
}

/** Validate user-provided settings; returns readable messages rather than throwing. */
export function parseSettings(
  input: unknown,
): { ok: true; settings: Settings } | { ok: false; errors: string[] } {
  const r = SettingsSchema.safeParse(input);
  if (r.success) return { ok: true, settings: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`),
  };
}

// ---------------------------------------------------------------------------------------------
// Keys: what the schema knows, unknown keys with the closest known one, and the schema of a dotted key.
// ---------------------------------------------------------------------------------------------

interface ZodLike {
  _zod: { def: { type: string; shape?: Record<string, ZodLike>; innerType?: ZodLike } };
}

function unwrap(s: ZodLike): ZodLike {
  let cur = s;
  while (
    cur._zod.def.innerType &&
    ['default', 'optional', 'nullable', 'prefault'].includes(cur._zod.def.type)
  )
    cur = cur._zod.def.innerType;
  return cur;
}

function shapeOf(s: ZodLike): Record<string, ZodLike> | null {
  const u = unwrap(s);
  return u._zod.def.type === 'object' ? (u._zod.def.shape ?? {}) : null;
}

/** The schema of a dotted key (`workstation.instanceId`), or null when the schema does not know it. */
export function settingSchemaAt(key: string): z.ZodType | null {
  let cur: ZodLike = SettingsSchema as unknown as ZodLike;
  for (const part of key.split('.')) {
    const shape = shapeOf(cur);
    if (!shape || !Object.hasOwn(shape, part)) return null;
    cur = shape[part] as ZodLike;
  }
  return cur as unknown as z.ZodType;
}

/** Every known dotted key (leaves and objects). */
export function knownSettingKeys(): string[] {
  const keys: string[] = [];
  const walk = (s: ZodLike, prefix: string) => {
    const shape = shapeOf(s);
    if (!shape) return;
    for (const [k, v] of Object.entries(shape)) {
      const key = prefix ? `${prefix}.${k}` : k;
      keys.push(key);
      // Records (portForward.parameters) take any key: not descended into.
      walk(v, key);
    }
  };
  walk(SettingsSchema as unknown as ZodLike, '');
  return keys;
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
        d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
  return d[a.length]![b.length]!;
}

/** The known name closest to `name` (case-insensitive edit distance), if it is close enough to be a typo. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

export interface UnknownSettingKey {
  /** Dotted path of the unknown key. */
  key: string;
  /** The known key it is probably a typo of (same parent). */
  suggestion?: string;
}

/** Keys of a settings object the schema does not know (they are kept, but have no effect). */
export function unknownSettingKeys(input: unknown): UnknownSettingKey[] {
  const found: UnknownSettingKey[] = [];
  const walk = (value: unknown, s: ZodLike, prefix: string) => {
    const shape = shapeOf(s);
    if (!shape || typeof value !== 'object' || value === null || Array.isArray(value)) return;
    const known = Object.keys(shape);
    for (const [k, v] of Object.entries(value)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (!Object.hasOwn(shape, k)) {
        const near = closest(k, known);
        found.push({ key, ...(near ? { suggestion: prefix ? `${prefix}.${near}` : near } : {}) });
      } else walk(v, shape[k] as ZodLike, key);
    }
  };
  walk(input, SettingsSchema as unknown as ZodLike, '');
  return found;
}
