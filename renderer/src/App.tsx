// The Elevate window: a dashboard of the state main owns. It never decides anything security-relevant:
// it shows state and asks main (through window.elevate) to act.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type {
  ActivityRecordView,
  AuditRecordView,
  DeniedEntryView,
  DoctorCheck,
  EventPayload,
  Response,
  VerifyResult,
} from '../../shared/ipc';
import { shellLine } from '../../shared/quote';
import type { AppState, Identity, TierInfo } from '../../shared/state';
import {
  elevationPhase,
  folderName,
  formatAgo,
  formatCountdown,
  hasTiers,
  remainingMs,
  tierCommand,
  tierLabel,
} from '../../shared/stateHelpers';
import { call, onShow, useAppState, useNow } from './bridge';
import { renderMarkdown } from './markdown';

type Section = EventPayload<'ui:show'>['section'];
type Tier = 'readonly' | 'elevated';

const NAV: { id: Section; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'plan', label: 'Plan' },
  { id: 'doctor', label: 'Doctor' },
  { id: 'audit', label: 'Activity' },
  { id: 'settings', label: 'Settings' },
];

export const CONFIG_SNIPPET = `# ~/.aws/config — the two profiles Elevate switches between
[profile claudecode-readonly]
role_arn = arn:aws:iam::<ACCOUNT_ID>:role/ClaudeCodeReadOnly
# your own credentials; on an EC2 workstation: credential_source = Ec2InstanceMetadata
source_profile = default
role_session_name = claude-readonly
region = us-east-1

[profile claudecode-elevated]
role_arn = arn:aws:iam::<ACCOUNT_ID>:role/ClaudeCodeElevated
source_profile = claudecode-readonly
role_session_name = claude-elevated
region = us-east-1`;

function localTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

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
        {shown === 'audit' && (
          <>
            <AwsCallsPanel state={state} />
            <PolicyHintsPanel state={state} />
            <AuditPanel state={state} />
          </>
        )}
        {shown === 'settings' && <SettingsPanel state={state} />}
      </main>
    </div>
  );
}

// ------------------------------------------------------------------------------------------------

function Header({
  state,
  section,
  onSection,
}: {
  state: AppState;
  section: Section;
  onSection: (s: Section) => void;
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

function Alerts({ state, onSection }: { state: AppState; onSection: (s: Section) => void }) {
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

// ------------------------------------------------------------------------------------------------

function Overview({ state, onSection }: { state: AppState; onSection: (s: Section) => void }) {
  return (
    <>
      <ElevationCard state={state} />
      <TierSwitch state={state} />
      {!state.elevation && state.resumable && state.capabilities.includes('session:resumeReadonly') ? (
        <ResumeBanner state={state} />
      ) : null}
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

function ElevationCard({ state }: { state: AppState }) {
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
        {state.capabilities.includes('elevation:drop') ? <DropButton /> : null}
      </div>
    </section>
  );
}

function ResumeBanner({ state }: { state: AppState }) {
  const r = state.resumable;
  const [busy, setBusy] = useState(false);
  if (!r) return null;
  return (
    <div className="banner banner--static" data-testid="resume">
      <span>
        <span className="banner__title">
          Elevation {r.reason === 'expired' ? 'ended at its deadline' : 'dropped'}
        </span>{' '}
        <span className="muted mono-wrap">{r.cwd}</span>
      </span>
      <button
        type="button"
        className="btn btn--primary"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          await call('session:resumeReadonly', { sessionId: r.sessionId });
          setBusy(false);
        }}
      >
        Resume read-only
      </button>
    </div>
  );
}

/** Sessions Elevate launched that are still running; each can be ended early. */
function SessionsPanel({ state }: { state: AppState }) {
  const live = state.sessions.filter((s) => s.live);
  const [ending, setEnding] = useState<string | null>(null);
  if (!live.length) return null;
  const canDrop = state.capabilities.includes('session:drop');
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
            {canDrop ? (
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
            ) : null}
          </li>
        ))}
      </ul>
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

/** Launch claude-ro / claude-el in a project folder: the OS picker, or one of the recent folders. */
function LaunchControls({ state, tier }: { state: AppState; tier: Tier }) {
  const recent = state.settings.recentFolders;
  const [folder, setFolder] = useState<string>('');
  const [last, setLast] = useState<Response<'launch:start'> | null>(null);
  const [busy, setBusy] = useState(false);
  const [mfa, setMfa] = useState('');
  if (!state.capabilities.includes('launch:start')) return null;
  const chosen = folder || recent[0] || '';
  const needsMfa = tier === 'elevated' && state.elevatedNeedsMfa;
  const launch = async (cwd?: string) => {
    setBusy(true);
    const r = await call('launch:start', {
      tier,
      ...(cwd ? { cwd } : {}),
      ...(needsMfa ? { mfaCode: mfa } : {}),
    });
    setBusy(false);
    setMfa(''); // a one-time code: never kept
    setLast(r.ok ? r.data : null);
  };
  const blocked = busy || (needsMfa && !isMfaCode(mfa));
  const cmd = tierCommand(tier);
  return (
    <div className="launch">
      <div className="card__actions">
        <button
          type="button"
          className={`btn ${tier === 'elevated' ? 'btn--warn' : 'btn--primary'}`}
          disabled={blocked}
          onClick={() => void launch()}
        >
          Launch {cmd}…
        </button>
        {needsMfa ? <MfaInput id={`mfa-${tier}`} value={mfa} onChange={setMfa} /> : null}
        {recent.length ? (
          <span className="recent">
            <span className="muted">or in</span>
            <select
              aria-label={`Recent folder for ${cmd}`}
              value={chosen}
              onChange={(e) => setFolder(e.target.value)}
            >
              {recent.map((f) => (
                <option key={f} value={f} title={f}>
                  {folderName(f)}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="btn"
              disabled={blocked || !chosen}
              aria-label={`Launch ${cmd} in the recent folder`}
              onClick={() => void launch(chosen)}
            >
              Go
            </button>
          </span>
        ) : null}
      </div>
      {tier === 'elevated' ? (
        <p className="field__hint">
          Runs {state.settings.elevationMinutes} min, then the session is ended and credentials stop.
        </p>
      ) : null}
      {last?.launched ? (
        <p className="launched" role="status" data-testid={`launched-${tier}`}>
          Started {cmd} in <span className="mono">{last.cwd}</span> ({last.terminal})
          {last.removed.length ? <> · removed {last.removed.join(', ')}</> : null}
        </p>
      ) : null}
    </div>
  );
}

/** The same switch as the tray's radio items (issue 7): elevated asks for a length and a confirmation. */
function TierSwitch({ state }: { state: AppState }) {
  const [confirming, setConfirming] = useState(false);
  const [minutes, setMinutes] = useState(state.settings.elevationMinutes);
  const [result, setResult] = useState<Response<'tier:switch'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mfa, setMfa] = useState('');
  const [restarted, setRestarted] = useState<string | null>(null);
  if (!state.capabilities.includes('tier:switch') || !hasTiers(state)) return null;
  // The active tier (active.json, as `elevate status` says); a per-session elevation shows in the timer.
  const current = state.activeTier;
  const restartTier = result && result.activeTier !== 'off' ? result.activeTier : null;
  const restartNeedsMfa = restartTier === 'elevated' && state.elevatedNeedsMfa;
  /** End the stale session and resume its conversation under the new tier (same folder). */
  const restart = async (st: Response<'tier:switch'>['staleSessions'][number]) => {
    if (!restartTier || !st.claudeSessionId) return;
    setError(null);
    const r = await call('launch:start', {
      tier: restartTier,
      resumeId: st.claudeSessionId,
      ...(restartTier === 'elevated' ? { minutes } : {}),
      ...(restartNeedsMfa ? { mfaCode: mfa } : {}),
    });
    setMfa('');
    if (!r.ok) {
      setError(r.error.message);
      return;
    }
    setRestarted(`Restarted in ${r.data.cwd ?? st.cwd} under ${tierLabel(restartTier)}`);
    setResult((cur) => cur && { ...cur, staleSessions: cur.staleSessions.filter((x) => x.id !== st.id) });
  };
  const go = async (tier: 'readonly' | 'elevated' | 'off') => {
    setError(null);
    const r = await call('tier:switch', tier === 'elevated' ? { tier, minutes, confirmed: true } : { tier });
    setConfirming(false);
    if (r.ok) setResult(r.data);
    else setError(r.error.message);
  };
  const options: Array<['readonly' | 'elevated' | 'off', string, boolean]> = [
    ['readonly', `Read-only · ${state.tiers.readonly?.profile ?? '—'}`, state.tiers.readonly !== null],
    ['elevated', `Elevated · ${state.tiers.elevated?.profile ?? '—'}…`, state.tiers.elevated !== null],
    ['off', 'Off', true],
  ];
  return (
    <section className="card" aria-labelledby="tier-switch-title" data-testid="tier-switch">
      <header className="card__head">
        <h2 id="tier-switch-title">For everything started next</h2>
      </header>
      <div className="card__actions" role="radiogroup" aria-labelledby="tier-switch-title">
        {options.map(([tier, label, enabled]) => (
          <button
            key={tier}
            type="button"
            role="radio"
            aria-checked={current === tier}
            className={`btn${current === tier ? ' btn--primary' : ''}`}
            disabled={!enabled}
            onClick={() => (tier === 'elevated' ? setConfirming(true) : void go(tier))}
          >
            {label}
          </button>
        ))}
      </div>
      {confirming ? (
        <div className="alert alert--inline" role="alertdialog" aria-label="Confirm elevation">
          Elevate new Claude sessions and shells to <strong>{state.tiers.elevated?.profile}</strong> for{' '}
          <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} aria-label="Minutes">
            {[15, 30, 45, 60].map((m) => (
              <option key={m} value={m}>
                {m} min
              </option>
            ))}
          </select>
          ? Then back to read-only.{' '}
          <button type="button" className="btn btn--primary btn--small" onClick={() => void go('elevated')}>
            Elevate
          </button>{' '}
          <button type="button" className="btn btn--ghost btn--small" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : null}
      {error ? (
        <div className="alert alert--error alert--inline" role="alert">
          {error}
        </div>
      ) : null}
      {result?.warnings.length ? (
        <ul className="problems">
          {result.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      {result?.staleSessions.length ? (
        <div data-testid="stale-sessions">
          <p className="muted">
            Still running under the old tier (Claude keeps its credentials until restarted):
          </p>
          <ul>
            {result.staleSessions.map((st) => (
              <li key={st.id}>
                <span className="mono">{st.cwd}</span> [{st.tier}] — restart with{' '}
                <code className="mono">{shellLine(st.restartArgv)}</code>
                {restartTier && st.claudeSessionId && state.capabilities.includes('launch:start') ? (
                  <>
                    {' '}
                    <button
                      type="button"
                      className="btn btn--small"
                      disabled={restartNeedsMfa && !isMfaCode(mfa)}
                      onClick={() => void restart(st)}
                    >
                      Restart under {tierLabel(restartTier)}
                    </button>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
          {restartNeedsMfa ? <MfaInput id="mfa-restart" value={mfa} onChange={setMfa} /> : null}
        </div>
      ) : null}
      {restarted ? (
        <p className="saved" role="status">
          {restarted}
        </p>
      ) : null}
    </section>
  );
}

const isMfaCode = (code: string) => /^\d{6}$/.test(code);

/** The 6-digit code for an elevated profile with mfa_serial: sent with the one request, never stored. */
function MfaInput({ id, value, onChange }: { id: string; value: string; onChange: (v: string) => void }) {
  return (
    <span className="mfa">
      <label htmlFor={id}>MFA code</label>{' '}
      <input
        id={id}
        className="mono"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        size={7}
        value={value}
        onChange={(e) => onChange(e.target.value.replace(/\D/g, '').slice(0, 6))}
      />
    </span>
  );
}

function IdentityView({ id }: { id: Identity }) {
  const now = useNow(true, 30_000);
  return (
    <dl className="kv kv--identity" data-testid={`identity-${id.tier}`}>
      <dt>Verified ARN</dt>
      <dd className="mono-wrap">{id.arn}</dd>
      <dt>Account</dt>
      <dd>{id.account}</dd>
      {id.sessionName ? (
        <>
          <dt>Session name</dt>
          <dd>
            {id.sessionName}{' '}
            {id.sessionNameMatches === true ? (
              <span className="tag tag--ok">matches profile</span>
            ) : id.sessionNameMatches === false ? (
              <span className="tag tag--warn">differs from profile</span>
            ) : null}
          </dd>
        </>
      ) : null}
      <dt>Checked</dt>
      <dd>{formatAgo(id.verifiedAt, now)}</dd>
    </dl>
  );
}

function TierCard({ state, tier }: { state: AppState; tier: Tier }) {
  const info: TierInfo | null = state.tiers[tier];
  const id = state.identities[tier];
  const idError = state.identityErrors[tier];
  const busy = state.busy.includes('tiers:verify');
  const [result, setResult] = useState<VerifyResult | null>(null);
  const canVerify = state.capabilities.includes('tiers:verify') && info !== null;
  const active = (state.elevation ? 'elevated' : state.activeTier) === tier;
  return (
    <article
      className={`card tier tier--${tier}${active ? ' tier--active' : ''}`}
      aria-labelledby={`tier-${tier}`}
      data-testid={`tier-${tier}`}
    >
      <header className="card__head">
        <h2 id={`tier-${tier}`}>
          {tierLabel(tier)} <span className="muted mono">{tierCommand(tier)}</span>
        </h2>
        {active ? <span className={`tag tag--${tier}`}>active</span> : null}
      </header>
      {info ? (
        <dl className="kv">
          <dt>Profile</dt>
          <dd className="mono">{info.profile}</dd>
          <dt>Chain</dt>
          <dd className="mono chain">{info.chain.join(' → ')}</dd>
          {info.roleArn ? (
            <>
              <dt>Role</dt>
              <dd className="mono-wrap">{info.roleArn}</dd>
            </>
          ) : null}
          {info.region ? (
            <>
              <dt>Region</dt>
              <dd>{info.region}</dd>
            </>
          ) : null}
        </dl>
      ) : (
        <p className="muted">
          {state.configError
            ? 'Cannot read the AWS configuration: see the problem above.'
            : tier === 'elevated'
              ? 'No elevated tier: add a profile whose source_profile is the read-only profile.'
              : 'No read-only tier found in ~/.aws/config.'}
        </p>
      )}
      {info?.problems.length ? (
        <ul className="problems">
          {info.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      {id ? <IdentityView id={id} /> : null}
      {idError ? (
        <div className="alert alert--error alert--inline" role="alert" data-testid={`identity-error-${tier}`}>
          <strong>{idError.code}</strong>: {idError.message}
        </div>
      ) : null}
      {info ? (
        <div className="card__actions">
          <button
            type="button"
            className="btn"
            disabled={!canVerify || busy}
            onClick={async () => {
              const r = await call('tiers:verify', { tier });
              if (r.ok) setResult(r.data.results[0] ?? null);
            }}
          >
            {busy ? 'Verifying…' : id ? 'Verify again' : 'Verify identity'}
          </button>
          {result && !result.ok ? <span className="muted">check failed</span> : null}
        </div>
      ) : null}
      {info && !state.configError ? <LaunchControls state={state} tier={tier} /> : null}
    </article>
  );
}

function WorkstationPanel({ state, onSection }: { state: AppState; onSection: (s: Section) => void }) {
  const ws = state.workstation;
  return (
    <section className="card" aria-labelledby="ws-title" data-testid="workstation">
      <header className="card__head">
        <h2 id="ws-title">Workstation</h2>
        {ws.pingStatus ? (
          <span className={`tag ${ws.pingStatus === 'Online' ? 'tag--ok' : 'tag--warn'}`}>
            {ws.pingStatus}
          </span>
        ) : null}
      </header>
      {!ws.configured ? (
        <>
          <p className="muted">
            No SSM workstation configured. Set the instance id (or tag), region and your operator profile in
            Settings.
          </p>
          <div className="card__actions">
            <button type="button" className="btn" onClick={() => onSection('settings')}>
              Set up
            </button>
          </div>
        </>
      ) : (
        <dl className="kv">
          <dt>Instance</dt>
          <dd className="mono">{ws.instanceId ?? 'discover by tag'}</dd>
          <dt>Region</dt>
          <dd>{ws.region ?? '—'}</dd>
          <dt>Agent</dt>
          <dd>
            {ws.agentVersion
              ? `${ws.platform ?? ''} · SSM agent ${ws.agentVersion}`
              : 'status not checked yet'}
          </dd>
          {ws.cloudInit ? (
            <>
              <dt>cloud-init</dt>
              <dd>{ws.cloudInit.status}</dd>
            </>
          ) : null}
        </dl>
      )}
      {ws.configured && ws.cloudInit?.output ? <pre className="output">{ws.cloudInit.output}</pre> : null}
      {ws.configured ? <WorkstationActions state={state} /> : null}
      {ws.error ? (
        <div className="alert alert--error alert--inline" role="alert" data-testid="workstation-error">
          {ws.error.message}
        </div>
      ) : null}
    </section>
  );
}

function WorkstationActions({ state }: { state: AppState }) {
  const caps = state.capabilities;
  const busy = state.busy.filter((b) => b.startsWith('ssm:'));
  const [confirmEl, setConfirmEl] = useState(false);
  const any = busy.length > 0;
  return (
    <>
      <div className="card__actions">
        {caps.includes('ssm:status') ? (
          <button
            type="button"
            className="btn btn--small"
            disabled={any}
            onClick={() => void call('ssm:status')}
          >
            {busy.includes('ssm:status') ? 'Checking…' : 'Refresh'}
          </button>
        ) : null}
        {caps.includes('ssm:cloudInit') ? (
          <button
            type="button"
            className="btn btn--small"
            disabled={any}
            onClick={() => void call('ssm:cloudInit', { wait: false })}
          >
            {busy.includes('ssm:cloudInit') ? 'Checking cloud-init…' : 'Check cloud-init'}
          </button>
        ) : null}
        {caps.includes('ssm:connect') ? (
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
        ) : null}
      </div>
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
              void call('ssm:connect', { remoteClaude: 'elevated' });
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

function useAudit(limit: number, revision: number): AuditRecordView[] | null {
  const [records, setRecords] = useState<AuditRecordView[] | null>(null);
  useEffect(() => {
    let live = true;
    void call('audit:list', { limit }).then((r) => live && r.ok && setRecords([...r.data.records].reverse()));
    return () => {
      live = false;
    };
  }, [limit, revision]);
  return records;
}

function auditSummary(r: AuditRecordView): string {
  const parts = [r.tier, r.profile, r.cwd, r.sessionId].filter(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
  return parts.join(' · ');
}

function RecentActivity({ state, onSection }: { state: AppState; onSection: (s: Section) => void }) {
  const records = useAudit(6, state.revision);
  return (
    <section className="card" aria-labelledby="act-title">
      <header className="card__head">
        <h2 id="act-title">Recent activity</h2>
        <button type="button" className="btn btn--small btn--ghost" onClick={() => onSection('audit')}>
          All
        </button>
      </header>
      {records === null ? (
        <p className="muted">Loading…</p>
      ) : records.length === 0 ? (
        <p className="muted">Nothing yet: launches, elevations and approvals appear here.</p>
      ) : (
        <AuditList records={records} />
      )}
    </section>
  );
}

function AuditList({ records }: { records: AuditRecordView[] }) {
  return (
    <ol className="audit">
      {records.map((r, i) => (
        <li key={`${r.time}-${i}`}>
          <time dateTime={r.time}>
            {new Date(r.time).toLocaleString([], {
              month: 'short',
              day: 'numeric',
              hour: '2-digit',
              minute: '2-digit',
            })}
          </time>
          <span className={`tag tag--event tag--${String(r.type).replace(/[^a-z-]/g, '')}`}>{r.type}</span>
          <span className="audit__detail mono-wrap">{auditSummary(r)}</span>
        </li>
      ))}
    </ol>
  );
}

// ------------------------------------------------------------------------------------------------

/** A link that opens in the browser through main's allowlist (the window itself never navigates). */
function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a
      href={href}
      onClick={(e) => {
        e.preventDefault();
        void call('shell:openExternal', { url: href });
      }}
    >
      {children}
    </a>
  );
}

function Setup({ state }: { state: AppState }) {
  return (
    <section className="card setup" aria-labelledby="setup-title" data-testid="setup">
      <h1 id="setup-title">Set up your two tiers</h1>
      <p>
        Elevate runs Claude Code with a <strong>read-only</strong> AWS profile by default and switches to an{' '}
        <strong>elevated</strong> one only when you approve it, for a limited time. It found no such profiles
        {state.tiers.notes.length ? ` (${state.tiers.notes.join('; ')})` : ''}.
      </p>
      <ol className="steps">
        <li>
          Create two IAM roles: one with read-only permissions, and one with the write permissions Claude may
          use after approval, trusting the read-only role.
        </li>
        <li>
          Add both profiles to <code>~/.aws/config</code> (Elevate never edits that file for you):
        </li>
      </ol>
      <pre className="snippet" tabIndex={0} aria-label="~/.aws/config snippet" data-testid="config-snippet">
        {CONFIG_SNIPPET}
      </pre>
      <p className="muted">
        Already have profiles with other names? Pick them in Settings → Tiers. How role profiles work:{' '}
        <ExternalLink href="https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-role.html">
          AWS CLI — using an IAM role
        </ExternalLink>
        .
      </p>
      <div className="card__actions">
        <button type="button" className="btn btn--primary" onClick={() => void call('state:refresh')}>
          I added them — check again
        </button>
      </div>
    </section>
  );
}

function PlanPanel({ state }: { state: AppState }) {
  const h = state.handoff;
  const html = useMemo(() => (h ? renderMarkdown(h.preview) : ''), [h]);
  if (!h) return <p className="muted">No plan waiting for review.</p>;
  return (
    <section className="card" aria-labelledby="plan-title" data-testid="plan">
      <header className="card__head">
        <h2 id="plan-title">Plan for {h.cwd}</h2>
        <span className={`tag ${h.approved ? 'tag--ok' : 'tag--warn'}`}>
          {h.approved ? 'approved' : 'waiting for approval'}
        </span>
      </header>
      <p className="muted mono-wrap">
        {h.planPath} · sha256 {h.planHash.slice(0, 12)}…
      </p>
      {h.voided ? (
        <div className="alert alert--error alert--inline" role="alert">
          {h.voided}
        </div>
      ) : null}
      <article
        className="markdown"
        data-testid="plan-markdown"
        onClick={(e) => {
          // Links never navigate the window: allowlisted https links open in the browser (main decides).
          const a = (e.target as HTMLElement).closest('a');
          if (!a) return;
          e.preventDefault();
          const href = a.getAttribute('href');
          if (href) void call('shell:openExternal', { url: href });
        }}
        dangerouslySetInnerHTML={{ __html: html }}
      />
      {h.truncated ? (
        <p className="muted">Preview truncated; the approval covers the whole file (its hash).</p>
      ) : null}
      {!h.approved && state.capabilities.includes('plan:approve') ? <Approve state={state} /> : null}
    </section>
  );
}

function Approve({ state }: { state: AppState }) {
  const h = state.handoff;
  const [minutes, setMinutes] = useState(state.settings.elevationMinutes);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Response<'plan:approve'> | null>(null);
  const [mfa, setMfa] = useState('');
  if (!h) return null;
  const needsMfa = state.elevatedNeedsMfa;
  return (
    <div className="approve card__actions">
      <label htmlFor="approve-min">Elevate for</label>
      <select id="approve-min" value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
        {[15, 30, 45, 60].map((m) => (
          <option key={m} value={m}>
            {m} min
          </option>
        ))}
      </select>
      <button
        type="button"
        className="btn btn--warn"
        disabled={busy || !state.tiers.elevated || (needsMfa && !isMfaCode(mfa))}
        onClick={async () => {
          setBusy(true);
          const r = await call('plan:approve', {
            cwd: h.cwd,
            planHash: h.planHash,
            minutes,
            ...(needsMfa ? { mfaCode: mfa } : {}),
          });
          setBusy(false);
          setMfa('');
          if (r.ok) setDone(r.data);
        }}
      >
        {busy ? 'Launching…' : 'Approve and run elevated'}
      </button>
      {needsMfa ? <MfaInput id="mfa-approve" value={mfa} onChange={setMfa} /> : null}
      <span className="muted">
        {h.claudeSessionId
          ? `resumes Claude session ${h.claudeSessionId.slice(0, 8)}…`
          : 'starts a fresh Claude session'}
      </span>
      {done ? (
        <span className="saved" role="status">
          Elevated until {localTime(done.deadline)}
        </span>
      ) : null}
    </div>
  );
}

function DoctorPanel() {
  const [checks, setChecks] = useState<DoctorCheck[] | null>(null);
  const [running, setRunning] = useState(true);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    void call('doctor:run').then((r) => {
      if (!live) return;
      setRunning(false);
      if (r.ok) setChecks(r.data.checks);
    });
    return () => {
      live = false;
    };
  }, [round]);
  const run = () => {
    setRunning(true);
    setRound((n) => n + 1);
  };
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

// ------------------------------------------------------------------------------------------------
// Cost guard and aws activity (issue 8)

/** `1 h 05 min`, `12 min`, `0 min` (whole minutes: the totals are refreshed once a minute). */
function formatMinutes(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Today's elevated time and sessions against the cost-guard limits (computed in main, at most once a minute). */
function TodayCard({ state }: { state: AppState }) {
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

function useActivity(revision: number, round: number): Response<'activity:list'> | null {
  const [data, setData] = useState<Response<'activity:list'> | null>(null);
  useEffect(() => {
    let live = true;
    void call('activity:list', { limit: 100 }).then((r) => live && r.ok && setData(r.data));
    return () => {
      live = false;
    };
  }, [revision, round]);
  return data;
}

function callName(r: ActivityRecordView): string {
  return [r.service, r.operation].filter(Boolean).join(':') || '(no command)';
}

/** The aws calls agents made in Elevate-launched sessions (activity.jsonl): names only, never values. */
function AwsCallsPanel({ state }: { state: AppState }) {
  const [round, setRound] = useState(0);
  const data = useActivity(state.revision, round);
  const records = data ? [...data.records].reverse() : null;
  return (
    <section className="card" aria-labelledby="calls-title" data-testid="aws-calls">
      <header className="card__head">
        <h2 id="calls-title">AWS calls</h2>
        <span className="card__head-side">
          <span className="muted">
            {data ? `${data.records.length} of ${data.total} · newest first` : 'activity.jsonl'}
          </span>
          <button type="button" className="btn btn--small btn--ghost" onClick={() => setRound((n) => n + 1)}>
            Refresh
          </button>
        </span>
      </header>
      {records === null ? (
        <p className="muted">Loading…</p>
      ) : records.length === 0 ? (
        <p className="muted">
          No aws calls recorded yet. Sessions Elevate launches record each aws CLI call (service, operation,
          exit code, denied action; never argument values or output).
        </p>
      ) : (
        <div className="table-wrap">
          <table className="calls">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Tier</th>
                <th scope="col">Call</th>
                <th scope="col">Exit</th>
                <th scope="col">Denied action</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r, i) => (
                <tr key={`${r.time}-${i}`} data-testid="aws-call" className={r.denied ? 'calls--denied' : ''}>
                  <td className="calls__time">
                    <time dateTime={r.time}>
                      {new Date(r.time).toLocaleTimeString([], {
                        hour: '2-digit',
                        minute: '2-digit',
                        second: '2-digit',
                      })}
                    </time>
                  </td>
                  <td>
                    <span className={`tag tag--${r.tier ?? 'launch'}`}>
                      {r.tier ? tierCommand(r.tier) : 'no tier'}
                    </span>
                  </td>
                  <td className="mono-wrap calls__name" title={r.sessionId ? `session ${r.sessionId}` : ''}>
                    {callName(r)}
                  </td>
                  <td>
                    <span className={`tag ${r.exitCode === 0 ? 'tag--ok' : 'tag--warn'}`}>
                      {r.signal ?? r.exitCode ?? '?'}
                    </span>
                  </td>
                  <td className="mono-wrap calls__denied">
                    {r.denied ? (
                      <>
                        {r.denied.action}
                        {r.denied.resource ? <span className="muted"> on {r.denied.resource}</span> : null}
                      </>
                    ) : r.errorCode ? (
                      <span className="muted">{r.errorCode}</span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/**
 * Copy a policy: the clipboard where the window may write it; else (the app denies every permission
 * request, clipboard writes included) the text is selected for the user's own Ctrl+C / ⌘C.
 */
function CopyPre({ text, label, testId }: { text: string; label: string; testId: string }) {
  const [status, setStatus] = useState<string | null>(null);
  const [pre, setPre] = useState<HTMLPreElement | null>(null);
  const selectAll = () => {
    const sel = window.getSelection();
    if (!pre || !sel) return;
    const range = document.createRange();
    range.selectNodeContents(pre);
    sel.removeAllRanges();
    sel.addRange(range);
  };
  return (
    <div className="copy-pre">
      <pre className="snippet" tabIndex={0} aria-label={label} data-testid={testId} ref={setPre}>
        {text}
      </pre>
      <div className="copy-pre__actions">
        <button
          type="button"
          className="btn btn--small"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(text);
              setStatus('Copied');
            } catch {
              selectAll();
              setStatus('Selected: press Ctrl+C (⌘C) to copy');
            }
          }}
        >
          Copy
        </button>
        {status ? (
          <span className="saved" role="status">
            {status}
          </span>
        ) : null}
      </div>
    </div>
  );
}

function DeniedList({ title, entries, note }: { title: string; entries: DeniedEntryView[]; note?: string }) {
  if (!entries.length) return null;
  return (
    <div className="hints__group">
      <h4>{title}</h4>
      {note ? <p className="muted">{note}</p> : null}
      <ul className="hints__list">
        {entries.map((e) => (
          <li key={e.action}>
            <code>{e.action}</code> <span className="muted">×{e.count}</span>
            {e.commands.length ? <span className="muted"> · aws {e.commands.join(', aws ')}</span> : null}
            {e.resources.filter((r) => r !== '*').length ? (
              <span className="muted mono-wrap"> · on {e.resources.filter((r) => r !== '*').join(', ')}</span>
            ) : null}
            {e.inferred ? <span className="muted"> · inferred from the operation</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** `elevate policy-hints` in the window: denied actions per tier and the least-privilege statement. */
function PolicyHintsPanel({ state }: { state: AppState }) {
  const [hints, setHints] = useState<Response<'policy:hints'> | null>(null);
  useEffect(() => {
    let live = true;
    void call('policy:hints').then((r) => live && r.ok && setHints(r.data));
    return () => {
      live = false;
    };
  }, [state.revision]);
  const tierName = (t: string) =>
    t === 'readonly' ? 'Read-only tier' : t === 'elevated' ? 'Elevated tier' : 'Calls outside a tier';
  return (
    <section className="card" aria-labelledby="hints-title" data-testid="policy-hints">
      <header className="card__head">
        <h2 id="hints-title">Policy hints</h2>
        <span className="muted">from AccessDenied errors · elevate policy-hints</span>
      </header>
      {hints === null ? (
        <p className="muted">Loading…</p>
      ) : hints.tiers.length === 0 ? (
        <p className="muted">No denied aws calls recorded ({hints.calls} calls in the activity log).</p>
      ) : (
        hints.tiers.map((t) => (
          <div className="hints__tier" key={t.tier} data-testid={`hints-${t.tier}`}>
            <h3>
              <span className={`tag tag--${t.tier === 'unknown' ? 'launch' : t.tier}`}>
                {tierName(t.tier)}
              </span>{' '}
              {t.profile ? <span className="muted mono-wrap">{t.profile}</span> : null}{' '}
              <span className="muted">
                · {t.denied.length} denied action{t.denied.length === 1 ? '' : 's'}
              </span>
            </h3>
            {t.policy ? (
              <>
                <p>
                  {t.tier === 'readonly'
                    ? 'Read actions you could allow on the read-only role (least privilege):'
                    : 'Actions you could allow on this role (least privilege):'}
                </p>
                <CopyPre text={t.policy} label={`${tierName(t.tier)} policy`} testId={`policy-${t.tier}`} />
              </>
            ) : null}
            <DeniedList
              title="Writes denied under read-only: hand off instead"
              note="This is the read-only role working. The agent writes plan.md, you approve it, Elevate runs it elevated. Do not add these to the read-only role."
              entries={t.handoff}
            />
            <DeniedList title="Reads of secret material, left out on purpose" entries={t.sensitive} />
            <DeniedList
              title="Explicit denies: an Allow will not help"
              note="The Deny is in an SCP, a permissions boundary, a session or a resource policy."
              entries={t.explicit}
            />
          </div>
        ))
      )}
      {hints?.elevatedForHandoff ? (
        <div className="hints__tier">
          <h3>
            <span className="tag tag--elevated">Elevated tier</span>{' '}
            <span className="muted">if it cannot do the handed-off writes either</span>
          </h3>
          <CopyPre
            text={hints.elevatedForHandoff}
            label="Elevated role statement for handed-off writes"
            testId="policy-handoff"
          />
        </div>
      ) : null}
    </section>
  );
}

function AuditPanel({ state }: { state: AppState }) {
  const records = useAudit(200, state.revision);
  return (
    <section className="card" aria-labelledby="audit-title" data-testid="audit">
      <header className="card__head">
        <h2 id="audit-title">Activity log</h2>
        <span className="muted">audit.jsonl · newest first</span>
      </header>
      {records && records.length ? (
        <AuditList records={records} />
      ) : (
        <p className="muted">{records ? 'No entries yet.' : 'Loading…'}</p>
      )}
    </section>
  );
}

// ------------------------------------------------------------------------------------------------

function Field({
  label,
  hint,
  children,
  id,
}: {
  label: string;
  hint?: string;
  children: ReactNode;
  id: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? <div className="field__hint">{hint}</div> : null}
    </div>
  );
}

interface Form {
  readonly: string;
  elevated: string;
  terminal: string;
  claudePath: string;
  bedrockEnabled: boolean;
  model: string;
  region: string;
  minutes: number;
  launchAtLogin: boolean;
  instanceId: string;
  wsRegion: string;
  operatorProfile: string;
  /** Cost guard: '' = no limit. */
  maxElevatedPerDay: string;
  maxSession: string;
}

function SettingsPanel({ state }: { state: AppState }) {
  const [form, setForm] = useState<Form | null>(null);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => {
    void call('settings:get').then((r) => {
      if (!r.ok) return setStatus({ kind: 'error', text: r.error.message });
      const s = r.data;
      setForm({
        readonly: s.tiers.readonly ?? '',
        elevated: s.tiers.elevated ?? '',
        terminal: s.terminal ?? '',
        claudePath: s.claudePath ?? '',
        bedrockEnabled: s.bedrock.enabled,
        model: s.bedrock.model,
        region: s.bedrock.region ?? '',
        minutes: s.elevation.defaultMinutes,
        launchAtLogin: s.launchAtLogin,
        instanceId: s.workstation.instanceId ?? '',
        wsRegion: s.workstation.region ?? '',
        operatorProfile: s.workstation.operatorProfile ?? '',
        maxElevatedPerDay: s.costGuard.maxElevatedMinutesPerDay?.toString() ?? '',
        maxSession: s.costGuard.maxSessionMinutes?.toString() ?? '',
      });
    });
  }, []);
  if (!form) return <p className="muted">{status?.text ?? 'Loading settings…'}</p>;
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm({ ...form, [k]: v });
  const opt = (v: string) => (v.trim() ? v.trim() : null);
  const optNum = (v: string) => (v.trim() ? Number(v) : null);
  const save = async () => {
    const r = await call('settings:set', {
      patch: {
        tiers: { readonly: opt(form.readonly), elevated: opt(form.elevated) },
        terminal: opt(form.terminal),
        claudePath: opt(form.claudePath),
        bedrock: { enabled: form.bedrockEnabled, model: form.model.trim(), region: opt(form.region) },
        elevation: { defaultMinutes: form.minutes },
        launchAtLogin: form.launchAtLogin,
        workstation: {
          instanceId: opt(form.instanceId),
          region: opt(form.wsRegion),
          operatorProfile: opt(form.operatorProfile),
        },
        costGuard: {
          maxElevatedMinutesPerDay: optNum(form.maxElevatedPerDay),
          maxSessionMinutes: optNum(form.maxSession),
        },
      },
    });
    setStatus(r.ok ? { kind: 'ok', text: 'Saved.' } : { kind: 'error', text: r.error.message });
  };
  return (
    <form
      className="card settings"
      aria-labelledby="settings-title"
      data-testid="settings"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <header className="card__head">
        <h2 id="settings-title">Settings</h2>
      </header>
      <fieldset>
        <legend>Tiers</legend>
        <p className="field__hint">Empty = detect from ~/.aws/config (currently {state.tiers.source}).</p>
        <div className="row">
          <Field id="s-ro" label="Read-only profile">
            <input
              id="s-ro"
              value={form.readonly}
              placeholder={state.tiers.readonly?.profile ?? 'claudecode-readonly'}
              onChange={(e) => set('readonly', e.target.value)}
            />
          </Field>
          <Field id="s-el" label="Elevated profile">
            <input
              id="s-el"
              value={form.elevated}
              placeholder={state.tiers.elevated?.profile ?? 'claudecode-elevated'}
              onChange={(e) => set('elevated', e.target.value)}
            />
          </Field>
        </div>
      </fieldset>
      <fieldset>
        <legend>Elevation</legend>
        <div className="row">
          <Field
            id="s-min"
            label="Elevation length (minutes)"
            hint="15–60: chained role sessions cannot outlive an hour."
          >
            <input
              id="s-min"
              type="number"
              min={15}
              max={60}
              step={5}
              value={form.minutes}
              onChange={(e) => set('minutes', Number(e.target.value))}
            />
          </Field>
        </div>
      </fieldset>
      <fieldset>
        <legend>Cost guard</legend>
        <p className="field__hint">
          Bedrock spend grows with time. The tray warns before a limit is reached; empty = no limit.
        </p>
        <div className="row">
          <Field
            id="s-daymax"
            label="Elevated time per day (minutes)"
            hint="All elevated sessions and switches."
          >
            <input
              id="s-daymax"
              type="number"
              min={1}
              max={1440}
              value={form.maxElevatedPerDay}
              placeholder="no limit"
              onChange={(e) => set('maxElevatedPerDay', e.target.value)}
            />
          </Field>
          <Field id="s-sessmax" label="Session length (minutes)" hint="Any tier, each session.">
            <input
              id="s-sessmax"
              type="number"
              min={1}
              max={10080}
              value={form.maxSession}
              placeholder="no limit"
              onChange={(e) => set('maxSession', e.target.value)}
            />
          </Field>
        </div>
      </fieldset>
      <fieldset>
        <legend>Launching Claude</legend>
        <div className="row">
          <Field
            id="s-term"
            label="Terminal"
            hint="Empty = detect (Terminal.app, iTerm2, gnome-terminal, xterm…)."
          >
            <input
              id="s-term"
              value={form.terminal}
              placeholder="detect"
              onChange={(e) => set('terminal', e.target.value)}
            />
          </Field>
          <Field id="s-claude" label="Claude path" hint="Empty = claude on PATH.">
            <input
              id="s-claude"
              value={form.claudePath}
              placeholder="claude"
              onChange={(e) => set('claudePath', e.target.value)}
            />
          </Field>
        </div>
        <label className="check-row">
          <input
            type="checkbox"
            checked={form.bedrockEnabled}
            onChange={(e) => set('bedrockEnabled', e.target.checked)}
          />{' '}
          Use Amazon Bedrock
        </label>
        <div className="row">
          <Field id="s-model" label="Bedrock model">
            <input
              id="s-model"
              value={form.model}
              disabled={!form.bedrockEnabled}
              onChange={(e) => set('model', e.target.value)}
            />
          </Field>
          <Field
            id="s-region"
            label="Bedrock region"
            hint="Claude Code does not read the region from ~/.aws/config."
          >
            <input
              id="s-region"
              value={form.region}
              placeholder="us-east-1"
              disabled={!form.bedrockEnabled}
              onChange={(e) => set('region', e.target.value)}
            />
          </Field>
        </div>
      </fieldset>
      <fieldset>
        <legend>Workstation (SSM)</legend>
        <div className="row row--3">
          <Field id="s-iid" label="Instance id" hint="Empty = find by tag Name=claudecode-*.">
            <input
              id="s-iid"
              value={form.instanceId}
              placeholder="i-0123456789abcdef0"
              onChange={(e) => set('instanceId', e.target.value)}
            />
          </Field>
          <Field id="s-wsr" label="Region">
            <input
              id="s-wsr"
              value={form.wsRegion}
              placeholder="us-east-1"
              onChange={(e) => set('wsRegion', e.target.value)}
            />
          </Field>
          <Field id="s-op" label="Operator profile" hint="Your own profile, not the agent's.">
            <input
              id="s-op"
              value={form.operatorProfile}
              placeholder="default"
              onChange={(e) => set('operatorProfile', e.target.value)}
            />
          </Field>
        </div>
      </fieldset>
      <fieldset>
        <legend>App</legend>
        <label className="check-row">
          <input
            type="checkbox"
            checked={form.launchAtLogin}
            onChange={(e) => set('launchAtLogin', e.target.checked)}
          />{' '}
          Launch Elevate at login
        </label>
      </fieldset>
      <div className="card__actions">
        <button type="submit" className="btn btn--primary">
          Save settings
        </button>
        {status ? (
          <span
            className={status.kind === 'ok' ? 'saved' : 'alert alert--error alert--inline'}
            role={status.kind === 'error' ? 'alert' : 'status'}
          >
            {status.text}
          </span>
        ) : null}
      </div>
    </form>
  );
}
