import { useState } from 'react';
import type { Response } from '../../../../shared/ipc';
import type { AppState } from '../../../../shared/state';
import { call } from '../../bridge';
import { MfaInput, isMfaCode } from '../../components/MfaInput';
import { MinutesSelect } from '../../components/MinutesSelect';
import { Cancelled } from '../../components/Cancelled';
import { cancelledNote } from '../../lib/outcome';
import { localTime } from '../../lib/format';
import { defaultPlanScope, type PlanScope } from '../../../../shared/plan';

/** Approve the plan (by its hash) and run it elevated for the chosen length. */
export function Approve({ state }: { state: AppState }) {
  const h = state.handoff;
  const [minutes, setMinutes] = useState(state.settings.elevationMinutes);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Response<'plan:approve'> | null>(null);
  const [mfa, setMfa] = useState('');
  const [cancelled, setCancelled] = useState<string | null>(null);
  const planPossible = !!h?.aws?.actions.length;
  const [scope, setScope] = useState<PlanScope | null>(null);
  if (!h) return null;
  const chosen: PlanScope = scope ?? defaultPlanScope(h.aws);
  const needsMfa = state.elevatedNeedsMfa;
  return (
    <div className="approve card__actions">
      <label htmlFor="approve-min">Elevate for</label>
      <MinutesSelect id="approve-min" value={minutes} onChange={setMinutes} />
      <label htmlFor="approve-scope">Scope</label>
      <select
        id="approve-scope"
        value={chosen}
        onChange={(e) => setScope(e.target.value === 'plan' ? 'plan' : 'full')}
      >
        <option value="plan" disabled={!planPossible}>
          {planPossible
            ? `limit to this plan (${h.aws!.actions.length} action${h.aws!.actions.length === 1 ? '' : 's'})`
            : 'limit to this plan (no AWS actions found)'}
        </option>
        <option value="full">full elevated role</option>
      </select>
      <button
        type="button"
        className="btn btn--warn"
        disabled={busy || !state.tiers.elevated || (needsMfa && !isMfaCode(mfa))}
        onClick={async () => {
          setBusy(true);
          setCancelled(null);
          const r = await call('plan:approve', {
            cwd: h.cwd,
            planHash: h.planHash,
            minutes,
            scope: chosen,
            ...(needsMfa ? { mfaCode: mfa } : {}),
          });
          setBusy(false);
          setMfa('');
          if (r.ok) setDone(r.data);
          else setCancelled(cancelledNote(r.error)); // a failure is in the window's error list
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
      {cancelled ? <Cancelled text={cancelled} /> : null}
      {done ? (
        <span className="saved" role="status">
          Elevated until {localTime(done.deadline)}
          {done.scope === 'plan'
            ? ', limited to the plan'
            : done.scope === 'full'
              ? ', full elevated role'
              : ''}
        </span>
      ) : null}
    </div>
  );
}
