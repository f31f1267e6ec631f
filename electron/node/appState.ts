// The app's persisted state file ($ELEVATE_HOME/state.json): read by the CLI and shell hooks. Holds no
// secrets. ONE writer: `updateAppState`, a read-modify-write always under active.lock (the running app's
// part and activeTier.ts's mirror of active.json are merged there, never written over each other).
import { readTextIfExists, writeFileAtomic } from './atomicFile';
import { withFileLock } from './lock';
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

/** Read state.json, change it with `fn`, write it back: under active.lock (re-entrant), atomically. */
export function updateAppState(
  fn: (prev: PersistedState) => PersistedState,
  env: Env = process.env,
): PersistedState {
  return withFileLock(files.activeLock(env), () => {
    const next = fn(readAppState(env).state ?? {});
    writeFileAtomic(files.state(env), `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    return next;
  });
}
