import type { AppState } from '../../../../shared/state';
import type { OnSection } from '../../navigation';
import { RecentActivity } from '../activity/RecentActivity';
import { TierCard } from '../tiers/TierCard';
import { TierSwitch } from '../tiers/TierSwitch';
import { WorkstationPanel } from '../workstation/WorkstationPanel';
import { ElevationCard } from './ElevationCard';
import { ResumeBanner } from './ResumeBanner';
import { SessionsPanel } from './SessionsPanel';
import { TodayCard } from './TodayCard';

/** The dashboard: the elevation or active tier, the switch, both tiers, sessions, today, workstation. */
export function Overview({ state, onSection }: { state: AppState; onSection: OnSection }) {
  return (
    <>
      <ElevationCard state={state} />
      <TierSwitch state={state} />
      {!state.elevation && state.resumable ? <ResumeBanner state={state} /> : null}
      {state.handoff && !state.handoff.approved && (
        <button type="button" className="banner" onClick={() => onSection('plan')}>
          <span className="banner__title">Plan ready for review</span>
          <span className="muted">{state.handoff.cwd}</span>
        </button>
      )}
      <section className="grid" aria-label="Tiers">
        <TierCard state={state} tier="readonly" />
        <TierCard state={state} tier="elevated" />
      </section>
      <SessionsPanel state={state} />
      <TodayCard state={state} />
      <div className="grid">
        <WorkstationPanel state={state} onSection={onSection} />
        <RecentActivity state={state} onSection={onSection} />
      </div>
    </>
  );
}
