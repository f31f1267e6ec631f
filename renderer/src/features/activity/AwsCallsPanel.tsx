import type { ActivityRecordView } from '../../../../shared/ipc';
import type { AppState } from '../../../../shared/state';
import { tierCommand } from '../../../../shared/stateHelpers';
import { useChannel } from '../../hooks/useChannel';

function callName(r: ActivityRecordView): string {
  return [r.service, r.operation].filter(Boolean).join(':') || '(no command)';
}

/** The aws calls agents made in Elevate-launched sessions (activity.jsonl): names only, never values. */
export function AwsCallsPanel({ state }: { state: AppState }) {
  const { data, reload } = useChannel('activity:list', { limit: 100 }, state.revision);
  const records = data ? [...data.records].reverse() : null;
  return (
    <section className="card" aria-labelledby="calls-title" data-testid="aws-calls">
      <header className="card__head">
        <h2 id="calls-title">AWS calls</h2>
        <span className="card__head-side">
          <span className="muted">
            {data ? `${data.records.length} of ${data.total} · newest first` : 'activity.jsonl'}
          </span>
          <button type="button" className="btn btn--small btn--ghost" onClick={reload}>
            Refresh
          </button>
        </span>
      </header>
      {records === null ? (
        <p className="muted">Loading…</p>
      ) : records.length === 0 ? (
        <p className="muted">
          No aws calls recorded yet. Sessions Elevate launches record each aws CLI call (service, operation,
          exit code, denied action; never argument values or output).
        </p>
      ) : (
        <div className="table-wrap">
          <table className="calls">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Tier</th>
                <th scope="col">Call</th>
                <th scope="col">Exit</th>
                <th scope="col">Denied action</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r, i) => (
                <tr key={`${r.time}-${i}`} data-testid="aws-call" className={r.denied ? 'calls--denied' : ''}>
                  <td className="calls__time">
                    <time dateTime={r.time}>
                      {new Date(r.time).toLocaleTimeString([], {
                        hour: '2-digit',
                        minute: '2-digit',
                        second: '2-digit',
                      })}
                    </time>
                  </td>
                  <td>
                    <span className={`tag tag--${r.tier ?? 'launch'}`}>
                      {r.tier ? tierCommand(r.tier) : 'no tier'}
                    </span>
                  </td>
                  <td className="mono-wrap calls__name" title={r.sessionId ? `session ${r.sessionId}` : ''}>
                    {callName(r)}
                  </td>
                  <td>
                    <span className={`tag ${r.exitCode === 0 ? 'tag--ok' : 'tag--warn'}`}>
                      {r.signal ?? r.exitCode ?? '?'}
                    </span>
                  </td>
                  <td className="mono-wrap calls__denied">
                    {r.denied ? (
                      <>
                        {r.denied.action}
                        {r.denied.resource ? <span className="muted"> on {r.denied.resource}</span> : null}
                      </>
                    ) : r.errorCode ? (
                      <span className="muted">{r.errorCode}</span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
