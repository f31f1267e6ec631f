import { useChannel } from '../../hooks/useChannel';

/** `elevate doctor` in the window: every check with its fix; runs on open and on "Run again". */
export function DoctorPanel() {
  const { data, loading: running, reload: run } = useChannel('doctor:run');
  const checks = data?.checks ?? null;
  const counts = checks
    ? {
        fail: checks.filter((c) => c.status === 'fail').length,
        warn: checks.filter((c) => c.status === 'warn').length,
      }
    : null;
  return (
    <section className="card" aria-labelledby="doc-title" data-testid="doctor">
      <header className="card__head">
        <h2 id="doc-title">Doctor</h2>
        <button type="button" className="btn btn--small" onClick={run} disabled={running}>
          {running ? 'Checking…' : 'Run again'}
        </button>
      </header>
      {counts ? (
        <p className="muted">
          {counts.fail ? `${counts.fail} problem${counts.fail > 1 ? 's' : ''}` : 'No problems'}
          {counts.warn ? `, ${counts.warn} warning${counts.warn > 1 ? 's' : ''}` : ''}.
        </p>
      ) : null}
      <ul className="checks">
        {(checks ?? []).map((c) => (
          <li key={`${c.id}-${c.message}`} className={`check check--${c.status}`}>
            <span className={`check__icon check__icon--${c.status}`} aria-label={c.status} />
            <div>
              <div className="check__msg">
                <span className="check__id">{c.id}</span> {c.message}
              </div>
              {c.fix ? <div className="check__fix">Fix: {c.fix}</div> : null}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
