// The app's persisted state file ($ELEVATE_HOME/state.json): written by the running app (and by CLI
// commands that change state), read by the CLI and shell hooks. Holds no secrets.
import { readTextIfExists, writeFileAtomic } from './atomicFile';
import { files, type Env } from './paths';

export interface PersistedState {
  /** pid of the running Elevate app, if any. */
  pid?: number;
  activeTier?: 'readonly' | 'elevated' | 'off' | 'none';
  [key: string]: unknown;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readAppState(env: Env = process.env): { state: PersistedState | null; running: boolean } {
  const text = readTextIfExists(files.state(env));
  if (!text) return { state: null, running: false };
  try {
    const state = JSON.parse(text) as PersistedState;
    return { state, running: typeof state.pid === 'number' && alive(state.pid) };
  } catch {
    return { state: null, running: false };
  }
}

export function writeAppState(state: PersistedState, env: Env = process.env): void {
  writeFileAtomic(files.state(env), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}
