import { useState } from 'react';
import type { VerifyResult } from '../../../../shared/ipc';
import type { AppState, TierInfo } from '../../../../shared/state';
import { tierCommand, tierLabel } from '../../../../shared/stateHelpers';
import { call } from '../../bridge';
import type { TierName } from '../../navigation';
import { IdentityView } from './IdentityView';
import { LaunchControls } from './LaunchControls';
import { SelfElevationNote } from './SelfElevationNote';

/** One tier: its profile and chain, problems, the verified identity, and its launch controls. */
export function TierCard({ state, tier }: { state: AppState; tier: TierName }) {
  const info: TierInfo | null = state.tiers[tier];
  const id = state.identities[tier];
  const idError = state.identityErrors[tier];
  const busy = state.busy.includes('tiers:verify');
  const [result, setResult] = useState<VerifyResult | null>(null);
  const canVerify = info !== null;
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
      {tier === 'elevated' && info?.selfElevation ? <SelfElevationNote finding={info.selfElevation} /> : null}
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
