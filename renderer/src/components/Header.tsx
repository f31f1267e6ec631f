import type { AppState } from '../../../shared/state';
import { elevationPhase, formatCountdown, remainingMs, tierLabel } from '../../../shared/stateHelpers';
import { call } from '../bridge';
import { useNow } from '../hooks/useNow';
import { NAV, type OnSection, type Section } from '../navigation';

/** The top bar: brand, the active tier (or the elevation countdown), the sections, Refresh. */
export function Header({
  state,
  section,
  onSection,
}: {
  state: AppState;
  section: Section;
  onSection: OnSection;
}) {
  const now = useNow(state.elevation !== null);
  const phase = elevationPhase(state, now);
  const left = remainingMs(state, now);
  const pill = state.elevation ? 'elevated' : state.activeTier;
  return (
    <header className="topbar">
      <div className="brand">
        <span className={`brand__mark brand__mark--${phase === 'none' ? pill : phase}`} aria-hidden="true" />
        <span className="brand__name">Elevate</span>
      </div>
      <div
        className={`pill pill--${phase === 'none' ? pill : phase}`}
        data-testid="active-tier"
        aria-live="polite"
      >
        {phase === 'none' ? tierLabel(state.activeTier) : `Elevated · ${formatCountdown(left ?? 0)}`}
      </div>
      <nav className="nav" aria-label="Sections">
        {NAV.filter((n) => n.id !== 'plan' || state.handoff).map((n) => (
          <button
            key={n.id}
            type="button"
            className="nav__item"
            aria-current={section === n.id ? 'page' : undefined}
            onClick={() => onSection(n.id)}
          >
            {n.label}
            {n.id === 'plan' && state.handoff && !state.handoff.approved ? (
              <span className="dot" aria-label="(pending)" />
            ) : null}
          </button>
        ))}
      </nav>
      <button
        type="button"
        className="btn btn--ghost"
        onClick={() => void call('state:refresh')}
        title="Re-read ~/.aws/config and settings"
      >
        Refresh
      </button>
    </header>
  );
}
