import { useState } from 'react';
import type { AppState } from '../../../../shared/state';
import { call } from '../../bridge';

/**
 * Refresh, cloud-init, Connect, and Claude on the workstation. "Claude (EL)" stays visible so the human
 * learns why it is not offered: the app refuses remote elevated sessions (issue 12 P2) and the refusal,
 * with what to do instead, is shown here.
 */
export function WorkstationActions({ state }: { state: AppState }) {
  const busy = state.busy.filter((b) => b.startsWith('ssm:'));
  const [refusal, setRefusal] = useState<string | null>(null);
  const any = busy.length > 0;
  return (
    <>
      <div className="card__actions">
        <button
          type="button"
          className="btn btn--small"
          disabled={any}
          onClick={() => void call('ssm:status')}
        >
          {busy.includes('ssm:status') ? 'Checking…' : 'Refresh'}
        </button>
        <button
          type="button"
          className="btn btn--small"
          disabled={any}
          onClick={() => void call('ssm:cloudInit', { wait: false })}
        >
          {busy.includes('ssm:cloudInit') ? 'Checking cloud-init…' : 'Check cloud-init'}
        </button>
        <>
          <button
            type="button"
            className="btn btn--small"
            disabled={any}
            onClick={() => void call('ssm:connect', {})}
          >
            {busy.includes('ssm:connect') ? 'Connecting…' : 'Connect'}
          </button>
          <button
            type="button"
            className="btn btn--small"
            disabled={any}
            onClick={() => void call('ssm:connect', { remoteClaude: 'readonly' })}
          >
            Claude (RO)
          </button>
          <button
            type="button"
            className="btn btn--small"
            disabled={any}
            title="Not supported: the workstation cannot assume the elevated role"
            onClick={() => {
              void call('ssm:connect', { remoteClaude: 'elevated' }).then((r) =>
                setRefusal(r.ok ? null : r.error.message),
              );
            }}
          >
            Claude (EL)
          </button>
        </>
      </div>
      {refusal ? (
        <div className="alert alert--inline alert--warn" role="alert" aria-label="Remote elevation refused">
          {refusal}{' '}
          <button type="button" className="btn btn--small btn--ghost" onClick={() => setRefusal(null)}>
            Dismiss
          </button>
        </div>
      ) : null}
    </>
  );
}
