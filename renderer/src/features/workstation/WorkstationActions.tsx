import { useState } from 'react';
import type { AppState } from '../../../../shared/state';
import { call } from '../../bridge';
import { Cancelled } from '../../components/Cancelled';
import { cancelledNote } from '../../lib/outcome';

/** Refresh, cloud-init, Connect, and Claude on the workstation (elevated asks first). */
export function WorkstationActions({ state }: { state: AppState }) {
  const busy = state.busy.filter((b) => b.startsWith('ssm:'));
  const [confirmEl, setConfirmEl] = useState(false);
  const [cancelled, setCancelled] = useState<string | null>(null);
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
            disabled={any || !state.tiers.elevated}
            onClick={() => setConfirmEl(true)}
          >
            Claude (EL)…
          </button>
        </>
      </div>
      {cancelled ? <Cancelled text={cancelled} /> : null}
      {confirmEl ? (
        <div
          className="alert alert--inline alert--warn"
          role="alertdialog"
          aria-label="Confirm remote elevation"
        >
          Start Claude on the workstation with the elevated profile
          {state.elevation
            ? ' until the running elevation ends'
            : ` for ${state.settings.elevationMinutes} minutes`}
          ?{' '}
          <button
            type="button"
            className="btn btn--small btn--warn"
            onClick={() => {
              setConfirmEl(false);
              setCancelled(null);
              void call('ssm:connect', { remoteClaude: 'elevated' }).then((r) =>
                setCancelled(r.ok ? null : cancelledNote(r.error)),
              );
            }}
          >
            Start elevated
          </button>{' '}
          <button type="button" className="btn btn--small btn--ghost" onClick={() => setConfirmEl(false)}>
            Cancel
          </button>
        </div>
      ) : null}
    </>
  );
}
