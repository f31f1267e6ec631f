import { useState } from 'react';
import type { Response } from '../../../../shared/ipc';
import { shellLine } from '../../../../shared/quote';
import type { ActiveTier, AppState } from '../../../../shared/state';
import { hasTiers, tierLabel } from '../../../../shared/stateHelpers';
import { call } from '../../bridge';
import { MfaInput, isMfaCode } from '../../components/MfaInput';
import { MinutesSelect } from '../../components/MinutesSelect';
import { Cancelled } from '../../components/Cancelled';
import { outcomeOf } from '../../lib/outcome';

type StaleSession = Response<'tier:switch'>['staleSessions'][number];

/** The same switch as the tray's radio items (issue 7): elevated asks for a length and a confirmation. */
export function TierSwitch({ state }: { state: AppState }) {
  const [confirming, setConfirming] = useState(false);
  const [minutes, setMinutes] = useState(state.settings.elevationMinutes);
  const [result, setResult] = useState<Response<'tier:switch'> | null>(null);
  const [error, setError] = useState<ReturnType<typeof outcomeOf> | null>(null);
  const [mfa, setMfa] = useState('');
  const [restarted, setRestarted] = useState<string | null>(null);
  if (!hasTiers(state)) return null;
  // The active tier (active.json, as `elevate status` says); a per-session elevation shows in the timer.
  const current = state.activeTier;
  const restartTier = result && result.activeTier !== 'off' ? result.activeTier : null;
  const restartNeedsMfa = restartTier === 'elevated' && state.elevatedNeedsMfa;
  /** End the stale session and resume its conversation under the new tier (same folder). */
  const restart = async (st: StaleSession) => {
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
      setError(outcomeOf(r.error));
      return;
    }
    setRestarted(`Restarted in ${r.data.cwd ?? st.cwd} under ${tierLabel(restartTier)}`);
    setResult((cur) => cur && { ...cur, staleSessions: cur.staleSessions.filter((x) => x.id !== st.id) });
  };
  const go = async (tier: ActiveTier) => {
    setError(null);
    const r = await call('tier:switch', tier === 'elevated' ? { tier, minutes, confirmed: true } : { tier });
    setConfirming(false);
    if (r.ok) setResult(r.data);
    else setError(outcomeOf(r.error));
  };
  const options: Array<[ActiveTier, string, boolean]> = [
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
          <MinutesSelect value={minutes} onChange={setMinutes} ariaLabel="Minutes" />? Then back to read-only.{' '}
          <button type="button" className="btn btn--primary btn--small" onClick={() => void go('elevated')}>
            Elevate
          </button>{' '}
          <button type="button" className="btn btn--ghost btn--small" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : null}
      {error?.kind === 'cancelled' ? <Cancelled text={error.text} /> : null}
      {error?.kind === 'error' ? (
        <div className="alert alert--error alert--inline" role="alert">
          {error.text}
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
                {restartTier && st.claudeSessionId ? (
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
