import { describe, expect, it } from 'vitest';
import type { Workstation } from '../../shared/state';
import {
  REFRESH_INTERVAL_AFTER_ERROR_MS,
  REFRESH_INTERVAL_MS,
  WorkstationMonitor,
  type MonitorClock,
} from '../../electron/node/workstationMonitor';

function manualClock(): MonitorClock & {
  pending: { fn: () => void; ms: number; id: number }[];
  fire(): void;
} {
  let next = 1;
  const c = {
    pending: [] as { fn: () => void; ms: number; id: number }[],
    setTimeout(fn: () => void, ms: number) {
      const id = next++;
      c.pending.push({ fn, ms, id });
      return id;
    },
    clearTimeout(h: unknown) {
      c.pending = c.pending.filter((p) => p.id !== h);
    },
    fire() {
      const p = c.pending.shift();
      if (!p) throw new Error('no timer pending');
      p.fn();
    },
  };
  return c;
}

const slice = (n: number, error: Workstation['error'] = null): Workstation => ({
  configured: true,
  instanceId: 'i-0123456789abcdef0',
  region: 'eu-west-1',
  pingStatus: 'Online',
  platform: 'Amazon Linux 2023',
  agentVersion: `3.3.${n}`,
  lastPing: null,
  checkedAt: null,
  cloudInit: null,
  error,
});

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('WorkstationMonitor', () => {
  it('refreshes when the window opens, every 3 minutes while open, and never after it closes', async () => {
    const clock = manualClock();
    let calls = 0;
    const seen: Workstation[] = [];
    const m = new WorkstationMonitor(
      async () => slice(++calls),
      (w) => seen.push(w),
      clock,
    );
    expect(clock.pending).toHaveLength(0);
    const close = m.watch();
    await tick();
    expect(calls).toBe(1);
    expect(clock.pending.map((p) => p.ms)).toEqual([REFRESH_INTERVAL_MS]);
    clock.fire();
    await tick();
    expect(calls).toBe(2);
    expect(clock.pending.map((p) => p.ms)).toEqual([REFRESH_INTERVAL_MS]);
    const closeSecond = m.watch(); // a second viewer does not trigger another refresh
    await tick();
    expect(calls).toBe(2);
    closeSecond();
    expect(clock.pending).toHaveLength(1);
    close();
    close(); // idempotent
    expect(m.watching).toBe(false);
    expect(clock.pending).toHaveLength(0);
    await m.refreshNow(); // the refresh button still works with the window closed, without scheduling
    await tick();
    expect(calls).toBe(3);
    expect(clock.pending).toHaveLength(0);
    expect(seen.map((w) => w.agentVersion)).toEqual(['3.3.1', '3.3.2', '3.3.3']);
  });

  it('joins a refresh in flight (no overlapping calls) and backs off after an error', async () => {
    const clock = manualClock();
    let calls = 0;
    let release!: () => void;
    const m = new WorkstationMonitor(
      () =>
        new Promise<Workstation>((res) => {
          calls++;
          release = () => res(slice(calls, { code: 'agent-offline', message: 'x' }));
        }),
      () => undefined,
      clock,
    );
    const close = m.watch();
    const a = m.refreshNow();
    const b = m.refreshNow();
    expect(a).toBe(b);
    expect(calls).toBe(1);
    release();
    await a;
    await tick();
    expect(clock.pending.map((p) => p.ms)).toEqual([REFRESH_INTERVAL_AFTER_ERROR_MS]);
    close();
    expect(clock.pending).toHaveLength(0);
  });

  it('a throwing refresh becomes an error in the slice, not an unhandled rejection', async () => {
    const clock = manualClock();
    const seen: Workstation[] = [];
    const m = new WorkstationMonitor(
      async () => {
        throw new Error('boom');
      },
      (w) => seen.push(w),
      clock,
      slice(7),
    );
    const w = await m.refreshNow();
    expect(w.error).toEqual({ code: 'internal', message: 'boom' });
    expect(w.agentVersion).toBe('3.3.7');
    expect(seen).toHaveLength(1);
  });
});
