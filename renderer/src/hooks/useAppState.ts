// The app state store on the window's side: main's snapshot, kept current by `state:changed`.
import { useEffect, useState } from 'react';
import type { AppState } from '../../../shared/state';
import { bridge, call } from '../bridge';

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
