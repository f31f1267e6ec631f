import { useState } from 'react';
import type { AppState } from '../../../../shared/state';
import { call } from '../../bridge';

/** After an elevation ended or was dropped: resume the same conversation read-only, in the same folder. */
export function ResumeBanner({ state }: { state: AppState }) {
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
