import { useState } from 'react';
import type { AppState } from '../../../../shared/state';
import { elevationPhase, formatCountdown, remainingMs, tierLabel } from '../../../../shared/stateHelpers';
import { call } from '../../bridge';
import { useNow } from '../../hooks/useNow';
import { localTime } from '../../lib/format';

/** The active tier, or the running elevation's countdown with its deadline and "Drop elevation now". */
export function ElevationCard({ state }: { state: AppState }) {
  const now = useNow(state.elevation !== null);
  const phase = elevationPhase(state, now);
  const left = remainingMs(state, now);
  if (!state.elevation || left === null) {
    const ro = state.tiers.readonly;
    return (
      <section className={`timer timer--${state.activeTier}`} aria-label="Active tier" data-testid="timer">
        <div className="timer__main">
          <div className="timer__eyebrow">Active tier</div>
          <div className="timer__big timer__big--calm">{tierLabel(state.activeTier)}</div>
          <p className="timer__text">
            {state.activeTier === 'off'
              ? 'Elevate is not steering Claude’s AWS profile.'
              : `Claude runs as ${ro?.profile ?? 'the read-only profile'}. Elevated access is explicit, approved and time-limited.`}
          </p>
        </div>
        <div className="timer__side muted">Since {localTime(state.since)}</div>
      </section>
    );
  }
  const total = Date.parse(state.elevation.deadline) - Date.parse(state.elevation.startedAt);
  return (
    <section
      className={`timer timer--${phase}`}
      aria-label="Elevation"
      data-testid="timer"
      role="timer"
      aria-live="off"
    >
      <div>
        <div className="timer__eyebrow">
          {phase === 'expired'
            ? 'Elevation ended'
            : phase === 'expiring'
              ? 'Elevation ending soon'
              : 'Elevated'}
        </div>
        <div className="timer__big" data-testid="countdown">
          {formatCountdown(left)}
        </div>
        <p className="timer__text">
          {state.tiers.elevated?.profile ?? 'elevated profile'} until{' '}
          <strong>{localTime(state.elevation.deadline)}</strong>
          {state.elevation.sessionId ? (
            <span className="muted"> · session {state.elevation.sessionId}</span>
          ) : null}
        </p>
        <progress
          className="timer__bar"
          max={Math.max(1, total)}
          value={Math.max(0, left)}
          aria-label="Time left"
        />
      </div>
      <div className="timer__side">
        <span className="muted">Started {localTime(state.elevation.startedAt)}</span>
        <DropButton />
      </div>
    </section>
  );
}

function DropButton() {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="btn btn--on-color"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        await call('elevation:drop');
        setBusy(false);
      }}
    >
      {busy ? 'Dropping…' : 'Drop elevation now'}
    </button>
  );
}
