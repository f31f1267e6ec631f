// The Elevate window: a dashboard of the state main owns. It never decides anything security-relevant:
// it shows state and asks main (through window.elevate, renderer/src/bridge.ts) to act.
// One folder per feature under features/, shared pieces under components/, hooks under hooks/.
import { useEffect, useState } from 'react';
import { hasTiers } from '../../shared/stateHelpers';
import { onShow } from './bridge';
import { useAppState } from './hooks/useAppState';
import { Alerts } from './components/Alerts';
import { Header } from './components/Header';
import { ActivitySection } from './features/activity/ActivitySection';
import { DoctorPanel } from './features/doctor/DoctorPanel';
import { Overview } from './features/overview/Overview';
import { PlanPanel } from './features/plan/PlanPanel';
import { SettingsPanel } from './features/settings/SettingsPanel';
import { Setup } from './features/setup/Setup';
import type { Section } from './navigation';

export function App() {
  const { state, error } = useAppState();
  const [section, setSection] = useState<Section>('overview');
  useEffect(() => {
    try {
      return onShow((m) => setSection(m.section));
    } catch {
      return undefined;
    }
  }, []);

  if (error) {
    return (
      <main className="app app--center">
        <div className="alert alert--error" role="alert">
          {error}
        </div>
      </main>
    );
  }
  if (!state) {
    return (
      <main className="app app--center" aria-busy="true">
        <p className="muted">Loading…</p>
      </main>
    );
  }
  const firstRun = !hasTiers(state) && !state.configError;
  const shown: Section = section === 'setup' || (firstRun && section === 'overview') ? 'setup' : section;

  return (
    <div className="app">
      <Header state={state} section={shown === 'setup' ? 'overview' : shown} onSection={setSection} />
      <main className="content" id="main">
        <Alerts state={state} onSection={setSection} />
        {shown === 'setup' && <Setup state={state} />}
        {shown === 'overview' && <Overview state={state} onSection={setSection} />}
        {shown === 'plan' && <PlanPanel state={state} />}
        {shown === 'doctor' && <DoctorPanel />}
        {shown === 'audit' && <ActivitySection state={state} />}
        {shown === 'settings' && <SettingsPanel state={state} />}
      </main>
    </div>
  );
}
