// Claude Code's own settings files, as far as they decide which AWS identity a session uses:
// read (JSONC-tolerant), merge with Claude's precedence, doctor checks, and the one edit Elevate offers
// (a minimal, comment-preserving change to the project's .claude/settings.local.json).
//
// Files and precedence (highest first), from the Claude Code settings docs
// (https://code.claude.com/docs/en/settings, "Configuration scopes" / "Settings precedence"):
//   managed (managed-settings.json) > command line (--settings) > .claude/settings.local.json
//   > .claude/settings.json > user (~/.claude/settings.json, or $CLAUDE_CONFIG_DIR/settings.json).
// Objects merge key by key, scalars from the higher scope win, arrays (permissions.allow, ...) are
// concatenated across scopes (and de-duplicated) rather than replaced.
// Size (over ~600 lines, on purpose): Claude's settings precedence (managed → CLI → local → project → user)
// has to be read, merged and edited with the same model; splitting it would put the precedence in two places.
import path from 'node:path';
import { applyEdits, modify, parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { OVERRIDE_VARS } from '../../shared/env';
import type { Tier } from '../../shared/types';
import { readTextIfExists, writeFileAtomic } from './atomicFile';
import type { CoreContext } from './context';
import type { Check, DoctorExtension } from './doctor';
import { claudeConfigDir, type Env } from './paths';

export type SettingsScope = 'managed' | 'cli' | 'local' | 'project' | 'user';
/** Lowest precedence first: the order layers are merged in. */
export const SCOPES_LOW_TO_HIGH: readonly SettingsScope[] = ['user', 'project', 'local', 'cli', 'managed'];

export type JsonObject = Record<string, unknown>;

export interface SettingsLayer {
  scope: SettingsScope;
  /** File path (for `cli`: '(--settings)'). */
  path: string;
  exists: boolean;
  data: JsonObject | null;
}

export interface ClaudeSettings {
  /** Highest precedence first (managed, cli, local, project, user), including files that do not exist. */
  layers: SettingsLayer[];
  merged: JsonObject;
}

export class ClaudeSettingsError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
    readonly offset?: number,
  ) {
    super(line !== undefined ? `${file}, line ${line}, column ${column}: ${detail}` : `${file}: ${detail}`);
    this.name = 'ClaudeSettingsError';
  }
}

/** The system-wide managed-settings.json (Claude Code docs, "Settings files"). */
export function managedSettingsPath(
  platform: NodeJS.Platform = process.platform,
  env: Env = process.env,
): string {
  if (platform === 'darwin') return '/Library/Application Support/ClaudeCode/managed-settings.json';
  if (platform === 'win32')
    return path.win32.join(
      env.ProgramData || env.PROGRAMDATA || 'C:\\ProgramData',
      'ClaudeCode',
      'managed-settings.json',
    );
  return '/etc/claude-code/managed-settings.json';
}

export function userSettingsPath(env: Env = process.env): string {
  return path.join(claudeConfigDir(env), 'settings.json');
}

export function projectSettingsPath(cwd: string): string {
  return path.join(cwd, '.claude', 'settings.json');
}

export function localSettingsPath(cwd: string): string {
  return path.join(cwd, '.claude', 'settings.local.json');
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Parse a settings file as Claude does (comments and trailing commas tolerated). Empty text is `{}`.
 * Invalid JSON or a non-object root throws ClaudeSettingsError with line and column.
 */
export function parseSettingsText(text: string, file: string): JsonObject {
  if (text.trim() === '') return {};
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const { line, column } = lineColumn(text, first.offset);
    throw new ClaudeSettingsError(
      file,
      `invalid JSON (${printParseErrorCode(first.error)})`,
      line,
      column,
      first.offset,
    );
  }
  if (!isObject(value)) throw new ClaudeSettingsError(file, 'the top level must be a JSON object ({ ... })');
  return value;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readLayer(scope: SettingsScope, file: string): SettingsLayer {
  const text = readTextIfExists(file);
  if (text === null) return { scope, path: file, exists: false, data: null };
  return { scope, path: file, exists: true, data: parseSettingsText(text, file) };
}

/** Deep merge, `over` winning for scalars; arrays concatenate (without duplicates). */
function mergeInto(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const cur = out[k];
    if (Array.isArray(cur) && Array.isArray(v)) {
      const seen = new Set(cur.map((x) => JSON.stringify(x)));
      out[k] = [...cur, ...v.filter((x) => !seen.has(JSON.stringify(x)))];
    } else if (isObject(cur) && isObject(v)) {
      out[k] = mergeInto(cur, v);
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** Merge layers given lowest precedence first. */
export function mergeSettings(lowToHigh: Array<JsonObject | null | undefined>): JsonObject {
  let merged: JsonObject = {};
  for (const layer of lowToHigh) if (layer) merged = mergeInto(merged, layer);
  return merged;
}

export interface ReadClaudeSettingsOptions {
  /** Project directory (default process.cwd()). */
  cwd?: string;
  /** managed-settings.json path; null skips it. Default: the OS path from the Claude Code docs. */
  managedPath?: string | null;
  /** Settings passed with `claude --settings` (already parsed). */
  cliSettings?: JsonObject;
}

/** Read every settings file Claude would read for `cwd`. Throws ClaudeSettingsError on invalid JSON. */
export function readClaudeSettings(
  env: Env = process.env,
  opts: ReadClaudeSettingsOptions = {},
): ClaudeSettings {
  const cwd = opts.cwd ?? process.cwd();
  const managedPath =
    opts.managedPath === undefined ? managedSettingsPath(process.platform, env) : opts.managedPath;
  const byScope: Record<SettingsScope, SettingsLayer> = {
    user: readLayer('user', userSettingsPath(env)),
    project: readLayer('project', projectSettingsPath(cwd)),
    local: readLayer('local', localSettingsPath(cwd)),
    cli: {
      scope: 'cli',
      path: '(--settings)',
      exists: opts.cliSettings !== undefined,
      data: opts.cliSettings ?? null,
    },
    managed: managedPath
      ? readLayer('managed', managedPath)
      : { scope: 'managed', path: '(none)', exists: false, data: null },
  };
  const merged = mergeSettings(SCOPES_LOW_TO_HIGH.map((s) => byScope[s].data));
  return { layers: [...SCOPES_LOW_TO_HIGH].reverse().map((s) => byScope[s]), merged };
}

// ---------------------------------------------------------------------------------------------
// What the settings mean for AWS
// ---------------------------------------------------------------------------------------------

/** The env block of one settings object (string values only, as Claude applies them). */
export function envBlock(settings: JsonObject | null | undefined): Record<string, string> {
  const env = settings?.env;
  if (!isObject(env)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env))
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  return out;
}

export function allowRules(settings: JsonObject | null | undefined): string[] {
  const perms = settings?.permissions;
  if (!isObject(perms) || !Array.isArray(perms.allow)) return [];
  return perms.allow.filter((r): r is string => typeof r === 'string');
}

/** `Bash(aws *)` (current syntax), the older `Bash(aws:*)`, and narrower aws rules such as `Bash(aws s3 ls:*)`. */
export function isAwsBashRule(rule: string): boolean {
  return /^Bash\(\s*aws(?=[\s:*)])/.test(rule.trim());
}

export const AWS_BASH_RULE = 'Bash(aws *)';

/** The highest-precedence layer that sets env[name] (the one whose value Claude uses). */
export function envSource(
  settings: ClaudeSettings,
  name: string,
): { layer: SettingsLayer; value: string } | null {
  for (const layer of settings.layers) {
    const v = envBlock(layer.data)[name];
    if (v !== undefined) return { layer, value: v };
  }
  return null;
}

function truthy(v: string | undefined): boolean {
  return v !== undefined && v !== '' && !/^(0|false|no|off)$/i.test(v.trim());
}

export interface EnvConflict {
  name: string;
  value: string;
  file: string;
  scope: SettingsScope;
  reason: string;
}

/**
 * Variables in Claude's settings `env` blocks that would change the identity of a launch of `tier` with
 * profile `profile`. Claude Code applies a settings file's `env` block itself, "so they take effect no
 * matter how claude was launched" (https://code.claude.com/docs/en/env-vars, "In settings files"): the
 * block wins over the environment Elevate launches Claude with. Elevate treats any such variable as a
 * conflict whichever way the precedence goes.
 */
export function envConflicts(settings: ClaudeSettings, tier: Tier, profile: string): EnvConflict[] {
  const out: EnvConflict[] = [];
  const p = envSource(settings, 'AWS_PROFILE');
  if (p && p.value !== profile) {
    out.push({
      name: 'AWS_PROFILE',
      value: p.value,
      file: p.layer.path,
      scope: p.layer.scope,
      reason: `sets AWS_PROFILE=${p.value}, but the ${tier} tier launches with profile ${profile}; Claude applies its settings env over the launch env`,
    });
  }
  for (const name of Object.keys(OVERRIDE_VARS)) {
    const s = envSource(settings, name);
    if (s) {
      out.push({
        name,
        value: '(hidden)',
        file: s.layer.path,
        scope: s.layer.scope,
        reason: `sets ${name}: ${OVERRIDE_VARS[name]}; Elevate removes it from the launch env, but Claude re-applies it from its settings`,
      });
    }
  }
  return out;
}

export interface ClaudeChecksInput {
  settings: ClaudeSettings;
  /** Profile per tier (null = no such tier). */
  tiers: { readonly: string | null; elevated: string | null };
  bedrock: { enabled: boolean; region?: string | undefined };
  /** Region from each tier's ~/.aws/config section (Elevate sets AWS_REGION from it at launch). */
  profileRegions?: Partial<Record<Tier, string | undefined>>;
  /**
   * Settings files whose env keys Elevate's own active-tier sync manages (claudeSettingsSync
   * touchedFiles). An AWS_PROFILE there was written by `elevate switch`: still reported for the other
   * tier, as a warning rather than a failure, and `claude-settings --apply` leaves it alone.
   */
  managedFiles?: readonly string[];
}

/** Doctor checks for Claude settings (pure: the settings are already read). */
export function claudeSettingsChecks(input: ClaudeChecksInput): Check[] {
  const { settings } = input;
  const checks: Check[] = [];
  const found = settings.layers.filter((l) => l.exists).map((l) => `${l.scope}: ${l.path}`);
  checks.push({
    id: 'claude-settings',
    status: 'ok',
    message: found.length ? `read ${found.join(', ')}` : 'no Claude settings files',
  });

  for (const tier of ['readonly', 'elevated'] as const) {
    const profile = input.tiers[tier];
    if (!profile) continue;
    const conflicts = envConflicts(settings, tier, profile);
    const bySync = (c: EnvConflict): boolean =>
      c.name === 'AWS_PROFILE' &&
      (input.managedFiles ?? []).some((f) => path.resolve(f) === path.resolve(c.file));
    const onlySync = conflicts.length > 0 && conflicts.every(bySync);
    checks.push(
      conflicts.length
        ? {
            id: `claude-env-${tier}`,
            status: onlySync ? 'warn' : 'fail',
            message: conflicts
              .map(
                (c) => `${c.file} ${c.reason}${bySync(c) ? ' (written by Elevate\u2019s tier switch)' : ''}`,
              )
              .join('; '),
            fix: onlySync
              ? `\`elevate switch ${tier}\` (or \`elevate switch off\`) before launching the ${tier} tier in this project`
              : conflicts.some((c) => c.scope === 'local' && c.name === 'AWS_PROFILE' && !bySync(c))
                ? 'run `elevate claude-settings --apply` (removes env.AWS_PROFILE from .claude/settings.local.json), and remove the others from the files named'
                : 'remove these variables from the "env" block of the files named: Elevate sets the profile per launch',
          }
        : {
            id: `claude-env-${tier}`,
            status: 'ok',
            message: `Claude settings do not override the ${tier} profile (${profile})`,
          },
    );
  }

  const mergedEnv = envBlock(settings.merged);
  const bedrockFromClaude = truthy(mergedEnv.CLAUDE_CODE_USE_BEDROCK);
  if (bedrockFromClaude || input.bedrock.enabled) {
    const where = bedrockFromClaude
      ? 'CLAUDE_CODE_USE_BEDROCK in Claude settings'
      : 'bedrock.enabled in Elevate settings';
    const claudeRegion = mergedEnv.AWS_REGION;
    const missing: string[] = [];
    for (const tier of ['readonly', 'elevated'] as const) {
      if (!input.tiers[tier]) continue;
      if (!claudeRegion && !input.bedrock.region && !input.profileRegions?.[tier])
        missing.push(`${tier} (${input.tiers[tier]})`);
    }
    if (!input.tiers.readonly && !input.tiers.elevated && !claudeRegion && !input.bedrock.region)
      missing.push('every launch');
    checks.push(
      missing.length
        ? {
            id: 'claude-bedrock-region',
            status: 'warn',
            message: `Bedrock is on (${where}) but no AWS_REGION for ${missing.join(', ')}: Claude Code does not read the region from ~/.aws/config`,
            fix: 'set bedrock.region in Elevate settings, or region = ... in the profile section (Elevate exports it as AWS_REGION)',
          }
        : {
            id: 'claude-bedrock-region',
            status: 'ok',
            message: `Bedrock is on (${where}); AWS_REGION comes from ${claudeRegion ? `Claude settings (${claudeRegion})` : input.bedrock.region ? `Elevate settings (${input.bedrock.region})` : 'the profile region'}`,
          },
    );
  }

  const rules = allowRules(settings.merged).filter(isAwsBashRule);
  checks.push(
    rules.length
      ? { id: 'claude-aws-permission', status: 'ok', message: `permissions.allow has ${rules.join(', ')}` }
      : {
          id: 'claude-aws-permission',
          status: 'warn',
          message: 'permissions.allow has no aws Bash rule: Claude will ask before every aws command',
          fix: `run \`elevate claude-settings --apply\` to add "${AWS_BASH_RULE}" to .claude/settings.local.json (IAM, not the prompt, limits what the profile can do)`,
        },
  );
  return checks;
}

export interface ClaudeDoctorOptions {
  cwd?: string;
  managedPath?: string | null;
  /** See ClaudeChecksInput.managedFiles. */
  managedFiles?: readonly string[];
}

/** `doctor` extension: reads Claude's settings for `cwd` and checks them against the tiers. */
export function claudeSettingsDoctor(opts: ClaudeDoctorOptions = {}): DoctorExtension {
  return (ctx: CoreContext): Check[] => {
    let settings: ClaudeSettings;
    try {
      settings = readClaudeSettings(ctx.env, {
        cwd: opts.cwd ?? process.cwd(),
        managedPath: opts.managedPath,
      });
    } catch (err) {
      if (err instanceof ClaudeSettingsError) {
        return [
          {
            id: 'claude-settings',
            status: 'fail',
            message: err.message,
            fix: 'fix the JSON at the line shown (Claude ignores or rejects an invalid settings file)',
          },
        ];
      }
      throw err;
    }
    const regionOf = (name: string | null): string | undefined =>
      name ? ctx.setup.profiles.get(name)?.region : undefined;
    return claudeSettingsChecks({
      settings,
      tiers: { readonly: ctx.tiers.readonly, elevated: ctx.tiers.elevated },
      bedrock: ctx.settings.bedrock,
      profileRegions: { readonly: regionOf(ctx.tiers.readonly), elevated: regionOf(ctx.tiers.elevated) },
      ...(opts.managedFiles ? { managedFiles: opts.managedFiles } : {}),
    });
  };
}

// ---------------------------------------------------------------------------------------------
// The minimal fix to .claude/settings.local.json
// ---------------------------------------------------------------------------------------------

export interface LocalFixPlan {
  file: string;
  exists: boolean;
  before: string | null;
  after: string;
  changed: boolean;
  /** What the edit does, in words. */
  changes: string[];
  /** Things Elevate found but does not change (other files, secrets). */
  notes: string[];
  diff: string;
}

/** The indentation and line ending a JSON file already uses, so jsonc-parser edits match it. */
export function detectFormatting(text: string): { insertSpaces: boolean; tabSize: number; eol: string } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const m = /^([ \t]+)\S/m.exec(text);
  const indent = m?.[1] ?? '  ';
  return indent.includes('\t')
    ? { insertSpaces: false, tabSize: 1, eol }
    : { insertSpaces: true, tabSize: indent.length, eol };
}

/**
 * Plan the change to `<cwd>/.claude/settings.local.json`: add `Bash(aws *)` to permissions.allow unless any
 * settings file already allows an aws Bash rule, and drop env.AWS_PROFILE from this file. Edits are textual
 * (jsonc-parser modify/applyEdits) so comments, key order and unknown keys survive.
 */
export function planLocalFix(
  env: Env,
  opts: ReadClaudeSettingsOptions & { managedFiles?: readonly string[] } = {},
): LocalFixPlan {
  const cwd = opts.cwd ?? process.cwd();
  const file = localSettingsPath(cwd);
  const before = readTextIfExists(file);
  const local = before === null ? {} : parseSettingsText(before, file); // throws first, before anything else
  const settings = readClaudeSettings(env, { ...opts, cwd });
  const changes: string[] = [];
  const notes: string[] = [];
  const fmt = detectFormatting(before ?? '');
  let text = before === null || before.trim() === '' ? '{}\n' : before;

  const existing = allowRules(settings.merged).filter(isAwsBashRule);
  if (existing.length === 0) {
    const perms = local.permissions;
    if (perms !== undefined && !isObject(perms))
      throw new ClaudeSettingsError(file, '"permissions" is not an object; fix it by hand');
    const allow = isObject(perms) ? perms.allow : undefined;
    if (allow !== undefined && !Array.isArray(allow))
      throw new ClaudeSettingsError(file, '"permissions.allow" is not an array; fix it by hand');
    const edits = Array.isArray(allow)
      ? modify(text, ['permissions', 'allow', allow.length], AWS_BASH_RULE, {
          isArrayInsertion: true,
          formattingOptions: fmt,
        })
      : modify(text, ['permissions', 'allow'], [AWS_BASH_RULE], { formattingOptions: fmt });
    text = applyEdits(text, edits);
    changes.push(`add "${AWS_BASH_RULE}" to permissions.allow`);
  } else {
    notes.push(`an aws Bash rule is already allowed: ${existing.join(', ')}`);
  }

  const localEnv = local.env;
  const syncManaged = (opts.managedFiles ?? []).some((f) => path.resolve(f) === path.resolve(file));
  if (isObject(localEnv) && Object.hasOwn(localEnv, 'AWS_PROFILE') && syncManaged) {
    notes.push(
      `env.AWS_PROFILE (${String(localEnv.AWS_PROFILE)}) in ${file} is kept in step with the active tier by \`elevate switch\`; left alone (\`elevate switch off\` restores the file)`,
    );
  } else if (isObject(localEnv) && Object.hasOwn(localEnv, 'AWS_PROFILE')) {
    text = applyEdits(text, modify(text, ['env', 'AWS_PROFILE'], undefined, { formattingOptions: fmt }));
    changes.push(
      `remove env.AWS_PROFILE (${String(localEnv.AWS_PROFILE)}): Elevate sets the profile per launch`,
    );
  }
  for (const layer of settings.layers) {
    if (layer.scope === 'local' || !layer.exists) continue;
    const e = envBlock(layer.data);
    if (e.AWS_PROFILE === undefined) continue;
    const bySwitch = (opts.managedFiles ?? []).some((f) => path.resolve(f) === path.resolve(layer.path));
    notes.push(
      bySwitch
        ? `${layer.path} sets env.AWS_PROFILE=${e.AWS_PROFILE} through \`elevate switch\` (\`elevate switch off\` restores it)`
        : `${layer.path} also sets env.AWS_PROFILE=${e.AWS_PROFILE}; Elevate edits only ${file}: remove it there by hand`,
    );
  }
  for (const layer of settings.layers) {
    if (!layer.exists) continue;
    const names = Object.keys(envBlock(layer.data)).filter((n) => Object.hasOwn(OVERRIDE_VARS, n));
    if (names.length)
      notes.push(
        `${layer.path} sets ${names.join(', ')} in env: these override the profile; remove them by hand`,
      );
  }
  if (before !== null && !before.endsWith('\n') && text.endsWith('\n') && before.trim() !== '')
    text = text.slice(0, -1);
  const changed = changes.length > 0;
  const after = changed ? text : (before ?? '');
  return {
    file,
    exists: before !== null,
    before,
    after,
    changed,
    changes,
    notes,
    diff: changed ? unifiedDiff(before ?? '', after, file) : '',
  };
}

/** Write a plan: atomic, with `<file>.elevate-bak` beside it when the file existed. */
export function applyLocalFix(plan: LocalFixPlan): { written: boolean; backup?: string } {
  if (!plan.changed) return { written: false };
  // Re-check the file did not change since the plan was made.
  const now = readTextIfExists(plan.file);
  if (now !== plan.before)
    throw new ClaudeSettingsError(
      plan.file,
      'the file changed while Elevate was planning the edit; run the command again',
    );
  const r = writeFileAtomic(plan.file, plan.after, { backup: plan.exists, mode: 0o600 });
  return { written: true, ...(r.backup ? { backup: r.backup } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Unified diff (line based, small files)
// ---------------------------------------------------------------------------------------------

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A unified diff (3 lines of context) of two texts; '' when equal. */
export function unifiedDiff(a: string, b: string, file: string, context = 3): string {
  if (a === b) return '';
  const x = splitLines(a);
  const y = splitLines(b);
  const n = x.length;
  const m = y.length;
  // LCS table (settings files are small).
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  type Op = { t: ' ' | '-' | '+'; line: string; ai: number; bi: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      ops.push({ t: ' ', line: x[i]!, ai: i, bi: j });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      ops.push({ t: '-', line: x[i]!, ai: i, bi: j });
      i++;
    } else {
      ops.push({ t: '+', line: y[j]!, ai: i, bi: j });
      j++;
    }
  }
  const out = [`--- ${a === '' ? '/dev/null' : file}`, `+++ ${file}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.t === ' ') {
      k++;
      continue;
    }
    let start = Math.max(0, k - context);
    let end = k;
    // Extend the hunk while changes are within 2*context of each other.
    for (;;) {
      while (end < ops.length && ops[end]!.t !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next]!.t === ' ') next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const hunk = ops.slice(start, stop);
    const aStart = hunk[0]!.ai;
    const bStart = hunk[0]!.bi;
    const aLen = hunk.filter((o) => o.t !== '+').length;
    const bLen = hunk.filter((o) => o.t !== '-').length;
    out.push(`@@ -${aLen ? aStart + 1 : aStart},${aLen} +${bLen ? bStart + 1 : bStart},${bLen} @@`);
    for (const o of hunk) out.push(`${o.t}${o.line}`);
    k = stop;
    start = stop;
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Launch guard
// ---------------------------------------------------------------------------------------------

export interface LaunchSettingsGuard {
  /** JSON for `claude --settings`, or null when no settings file changes what Elevate sets. */
  settingsJson: string | null;
  /** What was overridden, or could not be (managed settings, override variables, unreadable files). */
  notes: string[];
}

/**
 * Claude applies its settings `env` over the launch env, so a launch whose `set` (AWS_PROFILE, AWS_REGION,
 * Bedrock variables, a per-session AWS_CONFIG_FILE...) disagrees with a user/project/local settings file
 * would silently run with the file's values — e.g. `elevate switch` wrote the read-only profile into
 * ~/.claude/settings.json and the user launches claude-el. `claude --settings <json>` is the command-line
 * layer, above user, project and local settings (only managed settings outrank it), so the launch passes
 * exactly the disagreeing keys there. Override variables (AWS_ACCESS_KEY_ID...) cannot be removed that way
 * and are reported.
 */
export function launchSettingsGuard(
  env: Env,
  cwd: string,
  set: Record<string, string>,
  opts: { managedPath?: string | null } = {},
): LaunchSettingsGuard {
  let settings: ClaudeSettings;
  try {
    settings = readClaudeSettings(env, {
      cwd,
      ...(opts.managedPath !== undefined ? { managedPath: opts.managedPath } : {}),
    });
  } catch (e) {
    return {
      settingsJson: null,
      notes: [`Claude settings not checked: ${(e as Error).message} (Claude will refuse that file too)`],
    };
  }
  const override: Record<string, string> = {};
  const notes: string[] = [];
  for (const [name, value] of Object.entries(set)) {
    const src = envSource(settings, name);
    if (!src || src.value === value) continue;
    if (src.layer.scope === 'managed') {
      notes.push(
        `managed Claude settings (${src.layer.path}) set ${name}=${src.value}; they outrank everything, so this session uses that value`,
      );
      continue;
    }
    override[name] = value;
    notes.push(
      `${src.layer.path} sets ${name}=${src.value}; overridden for this session with claude --settings`,
    );
  }
  for (const name of Object.keys(OVERRIDE_VARS)) {
    const src = envSource(settings, name);
    if (src)
      notes.push(
        `${src.layer.path} sets ${name} in its env block: Claude will use it whatever Elevate removes (fix: elevate claude-settings --apply, or remove it)`,
      );
  }
  return {
    settingsJson: Object.keys(override).length ? JSON.stringify({ env: override }) : null,
    notes,
  };
}
