// Watches plan.md in project directories. fs.watch is put on the DIRECTORY, not the file: editors save
// by writing a temp file and renaming it over plan.md, which a file watch loses (it follows the old
// inode). Events are debounced per directory and the file is re-read (stat + bytes) each time, so the
// emitted state is always what is on disk now. Plans over 1 MB or not UTF-8 are rejected with a message.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import {
  checkPlanBytes,
  MAX_PLAN_BYTES,
  PLAN_FILE,
  planPreview,
  planTitle,
  tooLargeMessage,
  type ApprovalState,
} from '../../shared/plan';
import { reconcileApproval } from './approvals';
import type { Env } from './paths';

export interface PendingPlan {
  cwd: string;
  file: string;
  hash: string;
  size: number;
  mtimeMs: number;
  title: string;
  preview: string;
  text: string;
  /** The exact bytes hashed (the approval snapshot is a copy of these). */
  bytes: Uint8Array;
}

export type PlanRead =
  | { kind: 'plan'; plan: PendingPlan }
  | { kind: 'rejected'; cwd: string; file: string; size: number; reason: string; message: string }
  | { kind: 'absent'; cwd: string; file: string };

/** open(2) flags for a plan read: never follow a symlink, never block on a FIFO/device. */
export const PLAN_OPEN_FLAGS =
  fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

function classifyOpenError(cwd: string, file: string, e: unknown): PlanRead {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent', cwd, file };
  if (code === 'ELOOP' || code === 'EMLINK')
    return {
      kind: 'rejected',
      cwd,
      file,
      size: 0,
      reason: 'symlink',
      message: `${file} is a symbolic link: only a regular file can be approved`,
    };
  return {
    kind: 'rejected',
    cwd,
    file,
    size: 0,
    reason: 'unreadable',
    message: `cannot read ${file}: ${(e as Error).message}`,
  };
}

function checkOpened(cwd: string, file: string, st: fs.Stats): PlanRead | null {
  if (!st.isFile())
    return {
      kind: 'rejected',
      cwd,
      file,
      size: 0,
      reason: 'not-file',
      message: `${file} is not a regular file`,
    };
  if (st.size > MAX_PLAN_BYTES)
    return {
      kind: 'rejected',
      cwd,
      file,
      size: st.size,
      reason: 'too-large',
      message: tooLargeMessage(file, st.size),
    };
  return null;
}

function planFromBytes(cwd: string, file: string, bytes: Uint8Array, st: fs.Stats): PlanRead {
  const check = checkPlanBytes(bytes, file);
  if (!check.ok)
    return { kind: 'rejected', cwd, file, size: check.size, reason: check.reason, message: check.message };
  return {
    kind: 'plan',
    plan: {
      cwd,
      file,
      hash: check.hash,
      size: check.size,
      mtimeMs: st.mtimeMs,
      title: planTitle(check.text),
      preview: planPreview(check.text),
      text: check.text,
      bytes,
    },
  };
}

/**
 * Read plan.md in cwd now, on ONE descriptor opened with O_NOFOLLOW|O_NONBLOCK: a symlink is refused, a
 * FIFO/device never blocks and is refused after fstat, at most MAX_PLAN_BYTES+1 bytes are read.
 */
export function readPlan(cwd: string): PlanRead {
  const file = path.join(cwd, PLAN_FILE);
  let o: { fd: number; st: fs.Stats };
  try {
    const fd = fs.openSync(file, PLAN_OPEN_FLAGS);
    try {
      o = { fd, st: fs.fstatSync(fd) };
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  } catch (e) {
    return classifyOpenError(cwd, file, e);
  }
  try {
    const bad = checkOpened(cwd, file, o.st);
    if (bad) return bad;
    const buf = Buffer.alloc(MAX_PLAN_BYTES + 1);
    let off = 0;
    while (off < buf.length) {
      const n = fs.readSync(o.fd, buf, off, buf.length - off, off);
      if (n <= 0) break;
      off += n;
    }
    return planFromBytes(cwd, file, buf.subarray(0, off), o.st);
  } catch (e) {
    return classifyOpenError(cwd, file, e);
  } finally {
    fs.closeSync(o.fd);
  }
}

/** readPlan off the main thread (libuv's pool): for the app. */
export async function readPlanAsync(cwd: string): Promise<PlanRead> {
  const file = path.join(cwd, PLAN_FILE);
  let h: fs.promises.FileHandle;
  try {
    h = await fs.promises.open(file, PLAN_OPEN_FLAGS);
  } catch (e) {
    return classifyOpenError(cwd, file, e);
  }
  try {
    const st = await h.stat();
    const bad = checkOpened(cwd, file, st);
    if (bad) return bad;
    const buf = Buffer.alloc(MAX_PLAN_BYTES + 1);
    let off = 0;
    while (off < buf.length) {
      const { bytesRead } = await h.read(buf, off, buf.length - off, off);
      if (bytesRead <= 0) break;
      off += bytesRead;
    }
    return planFromBytes(cwd, file, buf.subarray(0, off), st);
  } catch (e) {
    return classifyOpenError(cwd, file, e);
  } finally {
    await h.close();
  }
}

export interface PlanWatcherEvents {
  /** A new or changed readable plan (hash differs from the last one emitted for that cwd). */
  plan: [plan: PendingPlan, approval: ApprovalState];
  /** plan.md exists but was rejected (too large, not UTF-8...). */
  rejected: [info: Extract<PlanRead, { kind: 'rejected' }>];
  /** plan.md disappeared. */
  removed: [cwd: string];
  /** An approval was voided because the plan changed (already audited). */
  /** sessionId: the elevated session already launched with that approval, if any (the UI may offer a drop). */
  'approval-void': [cwd: string, reason: string, sessionId: string | null];
  error: [cwd: string, error: Error];
}

export interface PlanWatcherOptions {
  env?: Env;
  debounceMs?: number;
  now?: () => Date;
  /** Seams for tests; default fs.watch and global timers. */
  watch?: typeof fs.watch;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (h: unknown) => void;
}

interface Entry {
  watcher: fs.FSWatcher | null;
  timer: unknown;
  lastKey: string | null;
  lastRead: PlanRead | null;
}

export class PlanWatcher extends EventEmitter<PlanWatcherEvents> {
  private readonly entries = new Map<string, Entry>();
  private readonly env: Env;
  private readonly debounceMs: number;
  private readonly now: () => Date;
  private readonly watchFn: typeof fs.watch;
  private readonly setT: (fn: () => void, ms: number) => unknown;
  private readonly clearT: (h: unknown) => void;

  constructor(opts: PlanWatcherOptions = {}) {
    super();
    this.env = opts.env ?? process.env;
    this.debounceMs = opts.debounceMs ?? 250;
    this.now = opts.now ?? (() => new Date());
    this.watchFn = opts.watch ?? fs.watch;
    this.setT = opts.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearT = opts.clearTimeout ?? ((h) => clearTimeout(h as NodeJS.Timeout));
  }

  /** Directories being watched. */
  get dirs(): string[] {
    return [...this.entries.keys()];
  }

  /** Latest state of each watched directory's plan. */
  current(): PlanRead[] {
    return [...this.entries.values()].flatMap((e) => (e.lastRead ? [e.lastRead] : []));
  }

  pending(): PendingPlan[] {
    return this.current().flatMap((r) => (r.kind === 'plan' ? [r.plan] : []));
  }

  /** Start watching cwd (idempotent). The current plan, if any, is emitted right away. */
  add(cwd: string): void {
    const dir = path.resolve(cwd);
    if (this.entries.has(dir)) return;
    const entry: Entry = { watcher: null, timer: null, lastKey: null, lastRead: null };
    this.entries.set(dir, entry);
    this.attach(dir, entry);
    this.check(dir);
  }

  remove(cwd: string): void {
    const dir = path.resolve(cwd);
    const e = this.entries.get(dir);
    if (!e) return;
    e.watcher?.close();
    if (e.timer !== null) this.clearT(e.timer);
    this.entries.delete(dir);
  }

  close(): void {
    for (const dir of [...this.entries.keys()]) this.remove(dir);
  }

  private attach(dir: string, entry: Entry): void {
    try {
      entry.watcher = this.watchFn(dir, { persistent: false }, (_event, filename) => {
        // filename can be null on some platforms: re-check then too.
        if (filename === null || filename === undefined || String(filename) === PLAN_FILE) this.schedule(dir);
      });
      entry.watcher.on('error', (err) => {
        entry.watcher?.close();
        entry.watcher = null;
        this.emit('error', dir, err);
      });
    } catch (err) {
      entry.watcher = null;
      this.emit('error', dir, err as Error);
    }
  }

  private schedule(dir: string): void {
    const e = this.entries.get(dir);
    if (!e) return;
    if (e.timer !== null) this.clearT(e.timer);
    e.timer = this.setT(() => {
      e.timer = null;
      // Off the main thread: a slow disk or a swapped-in special file never stalls the app.
      void readPlanAsync(dir).then((r) => {
        if (this.entries.get(dir) === e) this.apply(dir, e, r);
      });
    }, this.debounceMs);
  }

  /** Re-read plan.md in dir now and emit what changed. Also used to poll when a watch failed. */
  check(cwd: string): PlanRead | null {
    const dir = path.resolve(cwd);
    const e = this.entries.get(dir);
    if (!e) return null;
    if (!e.watcher) this.attach(dir, e);
    return this.apply(dir, e, readPlan(dir));
  }

  private apply(dir: string, e: Entry, r: PlanRead): PlanRead {
    const key =
      r.kind === 'plan'
        ? `plan:${r.plan.hash}`
        : r.kind === 'rejected'
          ? `rejected:${r.reason}:${r.size}`
          : 'absent';
    e.lastRead = r;
    const changed = key !== e.lastKey;
    e.lastKey = key;
    // Approval bookkeeping runs on every check (the approval may have been recorded since the last one).
    // A missing plan.md does not void (some editors delete then re-create on save); a changed or
    // rejected one does.
    const hash = r.kind === 'plan' ? r.plan.hash : null;
    const state: ApprovalState =
      r.kind === 'absent' ? { status: 'none' } : reconcileApproval(dir, hash, this.env, this.now());
    if (state.status === 'void' && state.voidedNow) {
      this.emit('approval-void', dir, state.reason, state.approval.sessionId ?? null);
    }
    if (!changed) return r;
    if (r.kind === 'plan') this.emit('plan', r.plan, state);
    else if (r.kind === 'rejected') this.emit('rejected', r);
    else this.emit('removed', dir);
    return r;
  }
}
