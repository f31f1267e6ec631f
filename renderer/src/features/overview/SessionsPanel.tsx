import { useState } from 'react';
import type { AppState } from '../../../../shared/state';
import { folderName, tierCommand } from '../../../../shared/stateHelpers';
import { call } from '../../bridge';
import { localTime } from '../../lib/format';

/** Sessions Elevate launched that are still running; each can be ended early. */
export function SessionsPanel({ state }: { state: AppState }) {
  const live = state.sessions.filter((s) => s.live);
  const [ending, setEnding] = useState<string | null>(null);
  if (!live.length) return null;
  return (
    <section className="card" aria-labelledby="sessions-title" data-testid="sessions">
      <header className="card__head">
        <h2 id="sessions-title">Running sessions</h2>
        <span className="muted">launched by Elevate</span>
      </header>
      <ul className="sessions">
        {live.map((s) => (
          <li key={s.id}>
            <span className={`tag tag--${s.tier ?? 'launch'}`}>{s.tier ? tierCommand(s.tier) : s.kind}</span>
            <span className="sessions__cwd mono-wrap" title={s.cwd}>
              {folderName(s.cwd)}
            </span>
            <span className="muted">
              {s.kind === 'ssm' ? 'SSM · ' : ''}since {localTime(s.createdAt)}
              {s.deadline ? ` · ends ${localTime(s.deadline)}` : ''}
            </span>
            <button
              type="button"
              className="btn btn--small btn--ghost"
              disabled={ending === s.id}
              aria-label={`End session in ${s.cwd}`}
              onClick={async () => {
                setEnding(s.id);
                await call('session:drop', { sessionId: s.id });
                setEnding(null);
              }}
            >
              {ending === s.id ? 'Ending…' : 'End'}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
