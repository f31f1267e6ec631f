// Fetch-on-mount for one bridge channel: asks main once, again whenever the payload or `refreshKey`
// (e.g. the state revision) changes or `reload()` is called, and ignores answers that arrive after
// unmount or after a newer request. The last good data stays shown while a new request runs.
import { useCallback, useEffect, useState } from 'react';
import type { Channel, Request, Response } from '../../../shared/ipc';
import { call } from '../bridge';

export interface ChannelResult<C extends Channel> {
  /** The last successful response, or null before the first one. */
  data: Response<C> | null;
  /** The last request's error message (null after a success). */
  error: string | null;
  /** The newest request has not answered yet (true from mount until the first answer). */
  loading: boolean;
  /** Ask again with the same payload. */
  reload: () => void;
}

export function useChannel<C extends Channel>(
  channel: C,
  payload?: Request<C>,
  refreshKey?: string | number,
): ChannelResult<C> {
  const [data, setData] = useState<Response<C> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const [answered, setAnswered] = useState<string | null>(null);
  // The payload as a value (callers pass object literals): a new request only when its content changes.
  const body = JSON.stringify(payload ?? null);
  const request = JSON.stringify([channel, body, refreshKey ?? null, round]);
  useEffect(() => {
    let live = true;
    const parsed = JSON.parse(body) as Request<C> | null;
    void call(channel, parsed ?? undefined).then((r) => {
      if (!live) return;
      if (r.ok) {
        setData(r.data);
        setError(null);
      } else setError(r.error.message);
      setAnswered(request);
    });
    return () => {
      live = false;
    };
  }, [channel, body, request]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, error, loading: answered !== request, reload };
}
