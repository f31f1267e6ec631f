import type { AppState } from '../../../../shared/state';
import { formatMinutes, localTime } from '../../lib/format';

/** Today's elevated time and sessions against the cost-guard limits (computed in main, at most once a minute). */
export function TodayCard({ state }: { state: AppState }) {
  const u = state.usage;
  if (!u) return null;
  const day = u.limits.maxElevatedMinutesPerDay;
  const max = u.limits.maxSessionMinutes;
  const usedMin = u.elevatedSecondsToday / 60;
  const level = u.warnings.some((w) => w.kind === 'elevated-day' && w.level === 'reached')
    ? 'reached'
    : u.warnings.some((w) => w.kind === 'elevated-day')
      ? 'warn'
      : 'ok';
  return (
    <section className="card today" aria-labelledby="today-title" data-testid="today">
      <header className="card__head">
        <h2 id="today-title">Today</h2>
        <span className="muted">
          since {localTime(u.dayStart)} · updated {localTime(u.computedAt)}
        </span>
      </header>
      <div className="today__stats">
        <div className="stat">
          <div className="stat__label">Elevated time</div>
          <div className={`stat__value stat__value--${level}`} data-testid="today-elevated">
            {formatMinutes(u.elevatedSecondsToday)}
          </div>
          {day ? (
            <>
              <progress
                className={`today__bar today__bar--${level}`}
                max={day}
                value={Math.min(day, usedMin)}
                aria-label="Elevated time against the daily limit"
              />
              <div className="stat__hint">limit {formatMinutes(day * 60)} a day</div>
            </>
          ) : (
            <div className="stat__hint">no daily limit</div>
          )}
        </div>
        <div className="stat">
          <div className="stat__label">Sessions</div>
          <div className="stat__value" data-testid="today-sessions">
            {u.sessionsToday}
          </div>
          <div className="stat__hint">launched by Elevate today</div>
        </div>
        <div className="stat">
          <div className="stat__label">Session length</div>
          <div className="stat__value">{max ? formatMinutes(max * 60) : '—'}</div>
          <div className="stat__hint">{max ? 'maximum, any tier' : 'no limit'}</div>
        </div>
      </div>
      {u.warnings.map((w) => (
        <div
          key={`${w.kind}-${w.sessionId ?? ''}`}
          className={`alert alert--inline ${w.level === 'reached' ? 'alert--error' : 'alert--warn'}`}
          role="status"
          data-testid="usage-warning"
        >
          {w.message.charAt(0).toUpperCase() + w.message.slice(1)}
        </div>
      ))}
      {!day && !max ? (
        <p className="muted today__note">
          Bedrock spend grows with time: set daily and per-session limits in Settings → Cost guard.
        </p>
      ) : null}
    </section>
  );
}
