// The renderer's only way to main: `window.elevate`, exposed by the preload (electron/preload/index.ts).
import { useEffect, useState } from 'react';
import type { Channel, ElevateBridge, IpcResult, Request, Response } from '../../shared/ipc';
import type { AppState } from '../../shared/state';

declare global {
  interface Window {
    elevate?: ElevateBridge;
  }
}

function bridge(): ElevateBridge {
  if (!window.elevate) throw new Error('Elevate bridge missing: this page must run inside the Elevate app');
  return window.elevate;
}

export function call<C extends Channel>(channel: C, payload?: Request<C>): Promise<IpcResult<Response<C>>> {
  return bridge().invoke(channel, payload);
}

export function onShow(cb: Parameters<ElevateBridge['onShow']>[0]): () => void {
  return bridge().onShow(cb);
}

/** The latest state snapshot from main (never an older revision over a newer one). */
export function useAppState(): { state: AppState | null; error: string | null } {
  const [state, setState] = useState<AppState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const missing = window.elevate ? null : 'Elevate bridge missing: this page must run inside the Elevate app';
  useEffect(() => {
    if (!window.elevate) return;
    const accept = (s: AppState) => setState((prev) => (prev && prev.revision > s.revision ? prev : s));
    const off = bridge().onState(accept);
    void call('state:get').then((r) => (r.ok ? accept(r.data) : setError(r.error.message)));
    return off;
  }, []);
  return { state, error: missing ?? error };
}

/** Current time, ticking every `ms` while `active` (the countdown); frozen otherwise. */
export function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const first = setTimeout(() => setNow(Date.now()), 0);
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => {
      clearTimeout(first);
      clearInterval(t);
    };
  }, [active, ms]);
  return now;
}
