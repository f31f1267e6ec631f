// The app's state store: the one AppState snapshot, its revision counter, subscribers, the short error log
// and the `busy` markers. Pure in-memory (no files, no electron): persistence is a hook the facade sets.
import { initialState, type AppError, type AppState, type ErrorInfo } from '../../shared/state';

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

const MAX_ERRORS = 5;

export class Store {
  private current: AppState;
  private listeners = new Set<(s: AppState) => void>();
  private errorSeq = 0;
  /** Called after an update asked to persist (the facade writes state.json). */
  onPersist: (() => void) | null = null;

  constructor(private readonly clock: Clock) {
    this.current = initialState(new Date(clock.now()));
  }

  get state(): AppState {
    return this.current;
  }

  nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** Called with every new snapshot; returns the unsubscribe function. */
  subscribe(cb: (s: AppState) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  clearListeners(): void {
    this.listeners.clear();
  }

  /** Change fields without a new revision or notification (a later `update` publishes them). */
  stage(patch: Partial<AppState>): void {
    this.current = { ...this.current, ...patch };
  }

  /** A new snapshot (revision + 1), persisted when asked, then every subscriber is called. */
  update(patch: Partial<AppState>, persist = false): void {
    this.current = { ...this.current, ...patch, revision: this.current.revision + 1 };
    if (persist) this.onPersist?.();
    for (const cb of [...this.listeners]) {
      try {
        cb(this.current);
      } catch (err) {
        console.error('elevate: state listener failed:', (err as Error).message);
      }
    }
  }

  recordError(source: string, info: ErrorInfo): AppError {
    const e: AppError = {
      id: `e${++this.errorSeq}`,
      source,
      code: info.code,
      message: info.message,
      at: this.nowIso(),
    };
    this.update({ errors: [...this.current.errors, e].slice(-MAX_ERRORS) });
    return e;
  }

  dismissError(id?: string): void {
    this.update({ errors: id ? this.current.errors.filter((e) => e.id !== id) : [] });
  }

  /** Marks `key` busy (the window shows a spinner) while `fn` runs. */
  async withBusy<T>(key: string, fn: () => Promise<T>): Promise<T> {
    this.update({ busy: [...this.current.busy, key] });
    try {
      return await fn();
    } finally {
      this.update({ busy: this.current.busy.filter((b) => b !== key) });
    }
  }
}
