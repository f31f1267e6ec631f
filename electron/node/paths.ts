// Where things live. Every path honours the standard override variable first (test seams, DESIGN.md).
import os from 'node:os';
import path from 'node:path';
import { SHELL_FILE, type ShellFamily } from '../../shared/shellHook';

export type Env = Record<string, string | undefined>;

function home(env: Env): string {
  return env.HOME || env.USERPROFILE || os.homedir();
}

function expandHome(p: string, env: Env): string {
  return p === '~' ? home(env) : p.startsWith('~/') ? path.join(home(env), p.slice(2)) : p;
}

export function awsConfigPath(env: Env = process.env): string {
  return expandHome(env.AWS_CONFIG_FILE || path.join(home(env), '.aws', 'config'), env);
}

export function awsCredentialsPath(env: Env = process.env): string {
  return expandHome(env.AWS_SHARED_CREDENTIALS_FILE || path.join(home(env), '.aws', 'credentials'), env);
}

/** Elevate's settings, audit log, sessions and state: $ELEVATE_HOME or the OS config dir. */
export function elevateHome(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.ELEVATE_HOME) return expandHome(env.ELEVATE_HOME, env);
  if (platform === 'darwin') return path.join(home(env), 'Library', 'Application Support', 'Elevate');
  if (platform === 'win32')
    return path.join(env.APPDATA || path.join(home(env), 'AppData', 'Roaming'), 'Elevate');
  return path.join(env.XDG_CONFIG_HOME || path.join(home(env), '.config'), 'elevate');
}

/** Claude Code's own config dir (~/.claude, or CLAUDE_CONFIG_DIR). */
export function claudeConfigDir(env: Env = process.env): string {
  return expandHome(env.CLAUDE_CONFIG_DIR || path.join(home(env), '.claude'), env);
}

/**
 * Every file and folder Elevate keeps under $ELEVATE_HOME (one place; modules use these, never their own
 * path.join). Who writes each one is in its module's header: one writer per state file.
 */
export const files = {
  /** The user's Elevate settings (settingsStore.ts). */
  settings: (env: Env = process.env) => path.join(elevateHome(env), 'settings.json'),
  /** The running app's state (appState.ts updateAppState, always under active.lock). */
  state: (env: Env = process.env) => path.join(elevateHome(env), 'state.json'),
  /** The active tier, authoritative (activeTier.ts, under active.lock). */
  active: (env: Env = process.env) => path.join(elevateHome(env), 'active.json'),
  /** The cross-process lock of active.json and state.json (lock.ts; records its holder). */
  activeLock: (env: Env = process.env) => path.join(elevateHome(env), 'active.lock'),
  /** Approved plan hashes (approvals.ts). */
  approvals: (env: Env = process.env) => path.join(elevateHome(env), 'approvals.json'),
  /** The append-only audit log (audit.ts). */
  audit: (env: Env = process.env) => path.join(elevateHome(env), 'audit.jsonl'),
  /** The `aws` activity log of launched sessions (activity.ts); `.1` is the previous generation. */
  activity: (env: Env = process.env) => path.join(elevateHome(env), 'activity.jsonl'),
  /** Session specs (`<id>.json`) and per-session folders (`<id>/`: elevation, aws config, shim). */
  sessions: (env: Env = process.env) => path.join(elevateHome(env), 'sessions'),
  sessionSpec: (id: string, env: Env = process.env) => path.join(elevateHome(env), 'sessions', `${id}.json`),
  /** A session's own folder: its elevation (elevation.json, cache.json, config, credentials), its shim. */
  sessionDir: (id: string, env: Env = process.env) => path.join(elevateHome(env), 'sessions', id),
  elevationSpec: (id: string, env: Env = process.env) =>
    path.join(elevateHome(env), 'sessions', id, 'elevation.json'),
  credentialCache: (id: string, env: Env = process.env) =>
    path.join(elevateHome(env), 'sessions', id, 'cache.json'),
  activityBin: (id: string, env: Env = process.env) => path.join(elevateHome(env), 'sessions', id, 'bin'),
  /** Shell state files read by the `elevate shell-init` hook (activeTier.ts renders them). */
  shellDir: (env: Env = process.env) => path.join(elevateHome(env), 'shell'),
  shellState: (family: ShellFamily, env: Env = process.env) =>
    path.join(elevateHome(env), 'shell', SHELL_FILE[family]),
  /** Restore records of Claude settings files Elevate changed (claudeSettingsSync.ts). */
  restoreDir: (env: Env = process.env) => path.join(elevateHome(env), 'restore'),
};
