// Workstation state for the tray and the window: one-shot refreshes that produce the `Workstation` slice of
// AppState (shared/state.ts), and a monitor that refreshes every few minutes only while someone is looking
// (the window is open). Never a busy loop: one refresh in flight at a time, a fixed interval, and a longer
// one after failures. Timers come in through a clock seam.
import { emptyWorkstation, type Workstation } from '../../shared/state';
import { loadContext, type CoreContext } from './context';
import {
  WorkstationError,
  checkCloudInit,
  getInstanceStatus,
  resolveTarget,
  type CloudInitProgress,
  type SsmDeps,
  type WorkstationFlags,
} from './ssm';
import type { Env } from './paths';

export const REFRESH_INTERVAL_MS = 3 * 60_000;
export const REFRESH_INTERVAL_AFTER_ERROR_MS = 10 * 60_000;

function errorInfo(e: unknown): { code: string; message: string } {
  if (e instanceof WorkstationError) return { code: e.code, message: e.message };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

function configured(ctx: CoreContext): boolean {
  const ws = ctx.settings.workstation;
  return Boolean(ws.instanceId || ws.operatorProfile || ws.region);
}

/** Base slice from settings alone (no AWS call). */
export function workstationFromSettings(ctx: CoreContext, prev?: Workstation): Workstation {
  const ws = ctx.settings.workstation;
  return {
    configured: configured(ctx),
    instanceId: ws.instanceId ?? prev?.instanceId ?? null,
    region: ws.region ?? prev?.region ?? null,
    pingStatus: prev?.pingStatus ?? null,
    platform: prev?.platform ?? null,
    agentVersion: prev?.agentVersion ?? null,
    lastPing: prev?.lastPing ?? null,
    checkedAt: prev?.checkedAt ?? null,
    cloudInit: prev?.cloudInit ?? null,
    error: null,
  };
}

export interface RefreshOptions {
  env?: Env;
  ctx?: CoreContext;
  flags?: WorkstationFlags;
  ssm?: SsmDeps;
  now?: () => Date;
}

/** DescribeInstanceInformation → the Workstation slice (errors are kept in `error`, never thrown). */
export async function refreshWorkstationStatus(
  prev: Workstation | undefined,
  o: RefreshOptions = {},
): Promise<Workstation> {
  const now = o.now ?? (() => new Date());
  let ctx: CoreContext;
  try {
    ctx = o.ctx ?? loadContext(o.env ?? process.env);
  } catch (e) {
    return { ...(prev ?? emptyWorkstation()), error: errorInfo(e), checkedAt: now().toISOString() };
  }
  const base = workstationFromSettings(ctx, prev);
  try {
    const target = resolveTarget(ctx.settings, ctx.setup, ctx.env, o.flags);
    const s = await getInstanceStatus(target, o.ssm);
    return {
      ...base,
      configured: true,
      instanceId: s.instanceId,
      region: target.region,
      pingStatus: s.pingStatus,
      platform: s.platform,
      agentVersion: s.agentVersion,
      lastPing: s.lastPing,
      checkedAt: now().toISOString(),
      // A cloud-init result belongs to one instance.
      cloudInit: prev?.instanceId === s.instanceId ? (prev?.cloudInit ?? null) : null,
      error: null,
    };
  } catch (e) {
    return { ...base, checkedAt: now().toISOString(), error: errorInfo(e) };
  }
}

/** One cloud-init check (or a bounded wait) → the Workstation slice, with progress for the window. */
export async function refreshCloudInit(
  prev: Workstation | undefined,
  o: RefreshOptions & {
    wait?: boolean;
    timeoutSeconds?: number;
    onProgress?: (p: CloudInitProgress) => void;
  } = {},
): Promise<Workstation> {
  const now = o.now ?? (() => new Date());
  let ctx: CoreContext;
  try {
    ctx = o.ctx ?? loadContext(o.env ?? process.env);
  } catch (e) {
    return { ...(prev ?? emptyWorkstation()), error: errorInfo(e) };
  }
  const base = workstationFromSettings(ctx, prev);
  try {
    const target = resolveTarget(ctx.settings, ctx.setup, ctx.env, o.flags);
    const r = await checkCloudInit(
      target,
      {
        wait: o.wait === true,
        ...(o.timeoutSeconds ? { timeoutSeconds: o.timeoutSeconds } : {}),
        ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      },
      o.ssm,
    );
    return {
      ...base,
      configured: true,
      instanceId: r.instanceId,
      region: target.region,
      pingStatus: 'Online', // checkCloudInit refuses unless the agent is Online
      cloudInit: {
        status: r.status,
        elapsedSeconds: r.elapsedSeconds,
        output: r.output,
        checkedAt: now().toISOString(),
      },
      error: r.timedOut ? { code: 'timeout', message: r.message } : null,
    };
  } catch (e) {
    const err = errorInfo(e);
    const offline =
      e instanceof WorkstationError && e.code === 'agent-offline'
        ? (e.details.pingStatus ?? null)
        : undefined;
    return { ...base, ...(offline !== undefined ? { pingStatus: offline } : {}), error: err };
  }
}

export interface MonitorClock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemTimers: MonitorClock = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Refreshes the workstation status while at least one viewer (the window) is open: at once when the first
 * viewer arrives, then every REFRESH_INTERVAL_MS (REFRESH_INTERVAL_AFTER_ERROR_MS after a failure).
 * `refreshNow()` (the "refresh" button) joins a refresh already in flight instead of starting another.
 */
export class WorkstationMonitor {
  private viewers = 0;
  private timer: unknown = null;
  private inflight: Promise<Workstation> | null = null;
  private state: Workstation | undefined;

  constructor(
    private readonly refresh: (prev: Workstation | undefined) => Promise<Workstation>,
    private readonly onUpdate: (ws: Workstation) => void,
    private readonly clock: MonitorClock = systemTimers,
    initial?: Workstation,
  ) {
    this.state = initial;
  }

  /** The window opened (or another viewer subscribed). Returns a function to call when it closes. */
  watch(): () => void {
    this.viewers++;
    if (this.viewers === 1) void this.refreshNow();
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      this.viewers--;
      if (this.viewers === 0) this.cancelTimer();
    };
  }

  get watching(): boolean {
    return this.viewers > 0;
  }

  refreshNow(): Promise<Workstation> {
    if (this.inflight) return this.inflight;
    this.cancelTimer();
    const run = (async () => {
      let next: Workstation;
      try {
        next = await this.refresh(this.state);
      } catch (e) {
        next = { ...(this.state ?? emptyWorkstation()), error: errorInfo(e) };
      }
      this.state = next;
      this.onUpdate(next);
      return next;
    })();
    this.inflight = run;
    void run.finally(() => {
      this.inflight = null;
      if (this.viewers > 0)
        this.schedule(this.state?.error ? REFRESH_INTERVAL_AFTER_ERROR_MS : REFRESH_INTERVAL_MS);
    });
    return run;
  }

  stop(): void {
    this.viewers = 0;
    this.cancelTimer();
  }

  private schedule(ms: number): void {
    this.cancelTimer();
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      void this.refreshNow();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
