// The one `claude --settings <json>` of an Elevate session (issue 12 P6, issue 14 item 2). Claude Code's
// command-line settings layer ranks above the user's, project and local files (only managed settings
// outrank it) and touches none of them. It carries, merged:
//   (a) env overrides where a Claude settings file disagrees with the launch env (launchSettingsGuard);
//   (b) defence-in-depth denies: permissions.deny (Read/Edit) and sandbox.filesystem for ~/.aws, the
//       user's AWS files elsewhere, Elevate's state and the other sessions; the session's own directory
//       (its secret-free AWS config) stays readable (claudeGuardSettings, shared/claudeGuard.ts);
//   (c) the Elevate hooks (SessionStart, PreToolUse/PostToolUse/PostToolUseFailure on Bash) and the status
//       line, each running the small hook bundle out/cli/elevate-hook.cjs (hookSettings, shared/iam/hooks.ts).
// The hooks read the session facts from the session's env, which the runner provides: ELEVATE_SESSION_ID,
// ELEVATE_TIER (buildRunEnv), AWS_PROFILE (the broker's env), ELEVATE_HOME (pinned in the terminal command
// and inherited by the child); the deadline comes from the session spec.
// No secret goes in: paths, profile/region names and the hook command only (the broker token stays in the
// child's env). IAM stays the boundary; this layer only narrows what a same-user agent can touch.
import { PACKAGED_CLI_FLAG } from './selfCommand';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { claudeGuardSettings } from '../../shared/claudeGuard';
import { hookSettings } from '../../shared/iam/hooks';
import { launchSettingsGuard } from './claudeSettings';
import { hookArgv as findHookArgv } from './iam/hookCommand';
import { awsConfigPath, awsCredentialsPath, elevateHome, files, type Env } from './paths';
import type { SelfCommand } from './selfCommand';
import { listSessions, SESSION_ID_RE } from './sessions';

/** Other open sessions denied by name in one session's settings (see sessionSettings). */
export const MAX_OTHER_SESSIONS = 16;

export type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Deep merge, later layers win for scalars; objects merge key by key; arrays are concatenated and
 * de-duplicated (by JSON value), as Claude Code merges permission arrays across scopes.
 */
export function mergeSettings(...layers: JsonObject[]): JsonObject {
  const out: JsonObject = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      const cur = out[k];
      if (Array.isArray(cur) && Array.isArray(v)) {
        const seen = new Set(cur.map((x) => JSON.stringify(x)));
        out[k] = [...cur, ...v.filter((x) => !seen.has(JSON.stringify(x)))];
      } else if (isObject(cur) && isObject(v)) {
        out[k] = mergeSettings(cur, v);
      } else {
        out[k] = Array.isArray(v) ? [...(v as unknown[])] : isObject(v) ? mergeSettings(v) : v;
      }
    }
  }
  return out;
}

/**
 * argv that runs the hook bundle from a Claude session: the self command's program (node, or the app
 * executable) with its variables (ELECTRON_RUN_AS_NODE=1 for the app) put in front through /usr/bin/env.
 * On every platform: Claude Code runs hook commands through a POSIX shell (hookSettings quotes for sh;
 * on Windows that is Git Bash, which has /usr/bin/env — not verified on Windows here), and the runner
 * removes ELECTRON_RUN_AS_NODE from the session env, so without it the app would start its window.
 */
export function sessionHookArgv(
  self: SelfCommand,
  find: (node: string) => string[] = findHookArgv,
): string[] {
  // Packaged app: the app binary is the CLI (`<app> --elevate-cli hook <event>`); no node to run a bundle with.
  if (self.argv.includes(PACKAGED_CLI_FLAG)) return [...self.argv, 'hook'];
  const [exe, ...rest] = find(self.argv[0]!);
  const vars = Object.entries(self.env).map(([k, v]) => `${k}=${v}`);
  return [...(vars.length ? ['/usr/bin/env', ...vars] : []), exe!, ...rest];
}

export interface SessionSettingsInput {
  /** The launching process's env (HOME, ELEVATE_HOME, AWS_CONFIG_FILE, Claude config dir...). */
  env: Env;
  cwd: string;
  /** What the launch sets in the session env (launchSettingsGuard compares Claude's files with it). */
  set: Record<string, string>;
  sessionId: string;
  /** argv of the hook command (sessionHookArgv). */
  hookArgv: string[];
  platform?: NodeJS.Platform;
  /** Test seam: managed-settings.json path (null: none). */
  managedPath?: string | null;
}

export interface SessionSettings {
  settings: JsonObject;
  /** The value of `claude --settings`. */
  json: string;
  /** launchSettingsGuard's notes (overridden keys, managed settings, override variables): for the user. */
  notes: string[];
  /** What the denies cannot cover (sessions started later...): for logs/doctor, not every launch. */
  denyNotes: string[];
}

function entries(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

const under = (p: string, dir: string): boolean => {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

export function sessionSettings(input: SessionSettingsInput): SessionSettings {
  const { env, sessionId } = input;
  if (!SESSION_ID_RE.test(sessionId)) throw new Error(`invalid session id ${JSON.stringify(sessionId)}`);
  const platform = input.platform ?? process.platform;
  const home = env.HOME || env.USERPROFILE || os.homedir();
  const stateDir = elevateHome(env, platform);
  const sessionsDir = files.sessions(env);

  const guard = launchSettingsGuard(
    env,
    input.cwd,
    input.set,
    input.managedPath !== undefined ? { managedPath: input.managedPath } : {},
  );
  const envLayer = guard.settingsJson ? (JSON.parse(guard.settingsJson) as JsonObject) : {};

  // The user's AWS files when they live outside ~/.aws (which is denied whole).
  const awsHome = path.join(home, '.aws');
  const awsPaths = [awsConfigPath(env), awsCredentialsPath(env)].filter((p) => !under(p, awsHome));
  // Other sessions not ended yet (running or pending), newest first, their directory and spec by name.
  // Ended ones are left out and the count is capped, so the argv stays well under the OS limits
  // (Windows: 32 767 characters per command line; each session adds about 1 kB of rules).
  const open = listSessions(env)
    .filter((x) => typeof x.id === 'string' && SESSION_ID_RE.test(x.id) && x.id !== sessionId && !x.endedAt)
    .reverse();
  const denyNotes: string[] = [];
  if (open.length > MAX_OTHER_SESSIONS)
    denyNotes.push(
      `${open.length} other sessions are open: only the newest ${MAX_OTHER_SESSIONS} are denied by name (IAM and each session's broker still bind the rest)`,
    );
  const others = open.slice(0, MAX_OTHER_SESSIONS).flatMap((x) => [x.id, `${x.id}.json`]);
  const denies = claudeGuardSettings({
    home,
    awsPaths,
    stateDir,
    sessionsDir,
    sessionId,
    stateEntries: entries(stateDir),
    otherSessionIds: others,
    platform: platform === 'win32' ? 'win32' : platform === 'darwin' ? 'darwin' : 'linux',
  });

  const hooks = hookSettings({ hookArgv: input.hookArgv });
  const settings = mergeSettings(
    envLayer,
    denies.settings as unknown as JsonObject,
    hooks as unknown as JsonObject,
  );
  return {
    settings,
    json: JSON.stringify(settings),
    notes: guard.notes,
    denyNotes: [...denies.notes, ...denyNotes],
  };
}
