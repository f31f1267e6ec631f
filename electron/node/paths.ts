// Where things live. Every path honours the standard override variable first (test seams, DESIGN.md).
import os from 'node:os';
import path from 'node:path';

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

export const files = {
  settings: (env: Env = process.env) => path.join(elevateHome(env), 'settings.json'),
  state: (env: Env = process.env) => path.join(elevateHome(env), 'state.json'),
  audit: (env: Env = process.env) => path.join(elevateHome(env), 'audit.jsonl'),
  sessions: (env: Env = process.env) => path.join(elevateHome(env), 'sessions'),
};
