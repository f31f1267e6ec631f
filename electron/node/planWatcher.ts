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
}

export type PlanRead =
  | { kind: 'plan'; plan: PendingPlan }
  | { kind: 'rejected'; cwd: string; file: string; size: number; reason: string; message: string }
  | { kind: 'absent'; cwd: string; file: string };

/** Read plan.md in cwd now: size checked on stat and again on the bytes read (it may grow meanwhile). */
export function readPlan(cwd: string): PlanRead {
  const file = path.join(cwd, PLAN_FILE);
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return { kind: 'absent', cwd, file };
  }
  if (!st.isFile()) {
    return {
      kind: 'rejected',
      cwd,
      file,
      size: 0,
      reason: 'not-file',
      message: `${file} is not a regular file`,
    };
  }
  if (st.size > MAX_PLAN_BYTES) {
    return {
      kind: 'rejected',
      cwd,
      file,
      size: st.size,
      reason: 'too-large',
      message: tooLargeMessage(file, st.size),
    };
  }
  let bytes: Buffer;
  try {
    bytes = readAtMost(file, MAX_PLAN_BYTES + 1);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent', cwd, file };
    return {
      kind: 'rejected',
      cwd,
      file,
      size: st.size,
      reason: 'unreadable',
      message: `cannot read ${file}: ${(e as Error).message}`,
    };
  }
  const check = checkPlanBytes(bytes, file);
  if (!check.ok) {
    // A too-large read reports the real size from a fresh stat when it can.
    return { kind: 'rejected', cwd, file, size: check.size, reason: check.reason, message: check.message };
  }
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
    },
  };
}

function readAtMost(file: string, max: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(max);
    let off = 0;
    while (off < max) {
      const n = fs.readSync(fd, buf, off, max - off, off);
      if (n <= 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    fs.closeSync(fd);
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
      this.check(dir);
    }, this.debounceMs);
  }

  /** Re-read plan.md in dir now and emit what changed. Also used to poll when a watch failed. */
  check(cwd: string): PlanRead | null {
    const dir = path.resolve(cwd);
    const e = this.entries.get(dir);
    if (!e) return null;
    if (!e.watcher) this.attach(dir, e);
    const r = readPlan(dir);
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
