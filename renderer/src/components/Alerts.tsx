import type { AppState } from '../../../shared/state';
import { formatAgo } from '../../../shared/stateHelpers';
import { call } from '../bridge';
import { useNow } from '../hooks/useNow';
import type { OnSection } from '../navigation';

/** A broken ~/.aws/config and the errors main recorded (each dismissable), above every section. */
export function Alerts({ state, onSection }: { state: AppState; onSection: OnSection }) {
  const now = useNow(state.errors.length > 0, 30_000);
  return (
    <div className="alerts" aria-live="polite">
      {state.configError && (
        <div className="alert alert--error" role="alert" data-testid="config-error">
          <strong>Configuration problem.</strong> <span className="mono-wrap">{state.configError}</span>
          <div className="alert__actions">
            <button type="button" className="btn btn--small" onClick={() => onSection('doctor')}>
              Run doctor
            </button>
            <button
              type="button"
              className="btn btn--small btn--ghost"
              onClick={() => void call('state:refresh')}
            >
              Check again
            </button>
          </div>
        </div>
      )}
      {state.errors.map((e) => (
        <div key={e.id} className="alert alert--error" role="alert" data-testid="app-error">
          <span>
            <strong>{e.message}</strong>{' '}
            <span className="muted">
              ({e.source}, {formatAgo(e.at, now)})
            </span>
          </span>
          <button
            type="button"
            className="btn btn--small btn--ghost"
            aria-label={`Dismiss: ${e.message}`}
            onClick={() => void call('errors:dismiss', { id: e.id })}
          >
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
