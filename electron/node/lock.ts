// A cross-process lock file that records its holder (issue 12 P7): pid + the process's start time, so a
// crashed holder's lock is taken at once (a reused pid has another start time) instead of blocking others.
//
// Taking it: the holder record is written to a private temp file, then hard-linked to the lock path —
// link(2) is atomic and fails when the path exists, so the lock never exists without its holder record.
// Re-entrant within one process (activeTier.ts writes state.json through appState.ts under the same lock).
// A lock without a readable record (an older Elevate's `active.lock/` directory, a torn file) is stale
// after STALE_MS, as before.
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ElevateError } from '../../shared/errors';

export interface LockHolder {
  pid: number;
  /** Process start time as the OS reports it (Linux: /proc start ticks; macOS: ps lstart); null if unknown. */
  start: string | null;
  token: string;
  at: string;
}

export class LockTimeoutError extends ElevateError {
  constructor(
    readonly file: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      'locked',
      `another Elevate process holds ${file}${holder ? ` (pid ${holder.pid}, since ${holder.at})` : ''}; try again`,
    );
  }
}

const STALE_MS = 15_000;
const held = new Map<string, number>();
const startCache = new Map<number, string | null>();

/** The OS's start time of a process (distinguishes a reused pid), or null when it cannot be read. */
export function processStart(pid: number): string | null {
  if (pid === process.pid && startCache.has(pid)) return startCache.get(pid) ?? null;
  let start: string | null = null;
  try {
    if (process.platform === 'linux') {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // fields after "(comm)": state is field 3, starttime field 22
      start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
    } else if (process.platform !== 'win32') {
      const r = spawnSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', timeout: 2000 });
      start = r.status === 0 ? r.stdout.trim() || null : null;
    }
  } catch {
    start = null;
  }
  if (pid === process.pid) startCache.set(pid, start);
  return start;
}

/** Whether the process that wrote `h` is still running (same pid AND same start time). */
export function holderAlive(h: LockHolder): boolean {
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (h.start === null) return true;
  const now = processStart(h.pid);
  return now === null || now === h.start;
}

export function readHolder(file: string): LockHolder | null {
  try {
    const j = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof j.pid !== 'number' || !Number.isInteger(j.pid) || j.pid <= 0) return null;
    return {
      pid: j.pid,
      start: typeof j.start === 'string' ? j.start : null,
      token: typeof j.token === 'string' ? j.token : '',
      at: typeof j.at === 'string' ? j.at : '',
    };
  } catch {
    return null;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Try once: true when we now hold `file`. */
function tryTake(file: string, me: LockHolder): boolean {
  const tmp = `${file}.${process.pid}.${me.token}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(me), { mode: 0o600 });
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'EISDIR' && code !== 'ENOTEMPTY') throw e;
    return false;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Remove a lock whose holder is gone (dead, or no record and older than STALE_MS). */
function clearIfStale(file: string): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return; // released meanwhile
  }
  const holder = st.isFile() ? readHolder(file) : null;
  const stale = holder ? !holderAlive(holder) : Date.now() - st.mtimeMs > STALE_MS;
  if (!stale) return;
  // Only remove what we judged: a fresh lock taken meanwhile by someone else has another inode.
  try {
    const again = fs.lstatSync(file);
    if (again.ino !== st.ino) return;
    fs.rmSync(file, { recursive: true, force: true });
  } catch {
    /* gone already */
  }
}

/**
 * Run `fn` holding the lock file (waits up to `timeoutMs`, then throws LockTimeoutError). The holder's
 * record says who holds it; a dead holder's lock is taken at once.
 */
export function withFileLock<T>(file: string, fn: () => T, opts: { timeoutMs?: number } = {}): T {
  const depth = held.get(file) ?? 0;
  if (depth > 0) {
    held.set(file, depth + 1);
    try {
      return fn();
    } finally {
      held.set(file, depth);
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const me: LockHolder = {
    pid: process.pid,
    start: processStart(process.pid),
    token: crypto.randomBytes(8).toString('hex'),
    at: new Date().toISOString(),
  };
  const begin = Date.now();
  const timeout = opts.timeoutMs ?? 5_000;
  while (!tryTake(file, me)) {
    clearIfStale(file);
    if (tryTake(file, me)) break;
    if (Date.now() - begin > timeout) throw new LockTimeoutError(file, readHolder(file));
    sleepSync(15);
  }
  held.set(file, 1);
  try {
    return fn();
  } finally {
    held.delete(file);
    // release only our own lock (never one a peer took after judging ours stale)
    if (readHolder(file)?.token === me.token) fs.rmSync(file, { force: true });
  }
}
