import { useState } from 'react';
import type { Response } from '../../../../shared/ipc';
import type { AppState } from '../../../../shared/state';
import { folderName, tierCommand } from '../../../../shared/stateHelpers';
import { call } from '../../bridge';
import { MfaInput, isMfaCode } from '../../components/MfaInput';
import { Cancelled } from '../../components/Cancelled';
import { cancelledNote } from '../../lib/outcome';
import type { TierName } from '../../navigation';

/** Launch claude-ro / claude-el in a project folder: the OS picker, or one of the recent folders. */
export function LaunchControls({ state, tier }: { state: AppState; tier: TierName }) {
  const recent = state.settings.recentFolders;
  const [folder, setFolder] = useState<string>('');
  const [last, setLast] = useState<Response<'launch:start'> | null>(null);
  const [busy, setBusy] = useState(false);
  const [mfa, setMfa] = useState('');
  const [cancelled, setCancelled] = useState<string | null>(null);
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
    setCancelled(r.ok ? null : cancelledNote(r.error)); // a failure is in the window's error list
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
      {cancelled ? <Cancelled text={cancelled} /> : null}
      {last?.launched ? (
        <p className="launched" role="status" data-testid={`launched-${tier}`}>
          Started {cmd} in <span className="mono">{last.cwd}</span> ({last.terminal})
          {last.removed.length ? <> · removed {last.removed.join(', ')}</> : null}
        </p>
      ) : null}
    </div>
  );
}
