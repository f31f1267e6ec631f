import { useState } from 'react';
import {
  cliInstalledDetail,
  cliInstalledMessage,
  type CliInstallOutcome,
} from '../../../../shared/cliInstall';
import { call } from '../../bridge';
import { Cancelled } from '../../components/Cancelled';
import { outcomeOf } from '../../lib/outcome';

/** The button and its result: main asks in its own dialog, then writes the launcher (cli:install). */
export function CliInstallButton() {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<CliInstallOutcome | null>(null);
  const [failed, setFailed] = useState<ReturnType<typeof outcomeOf> | null>(null);
  return (
    <>
      <div className="card__actions">
        <button
          type="button"
          className="btn"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setDone(null);
            setFailed(null);
            const r = await call('cli:install');
            setBusy(false);
            if (r.ok) setDone(r.data);
            else setFailed(outcomeOf(r.error));
          }}
        >
          {busy ? 'Installing…' : 'Install command-line tool…'}
        </button>
        {failed?.kind === 'cancelled' ? <Cancelled text={failed.text} /> : null}
      </div>
      {done ? (
        <div
          className={`alert alert--inline ${done.onPath ? 'cli-install--ok' : 'alert--warn'}`}
          role="status"
          data-testid="cli-install-result"
        >
          <span>
            <strong className="mono-wrap">{cliInstalledMessage(done)}</strong>
            <br />
            {cliInstalledDetail(done)}
          </span>
        </div>
      ) : null}
      {failed?.kind === 'error' ? (
        <div className="alert alert--error alert--inline" role="alert">
          {failed.text}
        </div>
      ) : null}
    </>
  );
}

/** "Install command-line tool" (issue 13 item 2) in Settings. */
export function CliInstall() {
  return (
    <section className="card" aria-labelledby="cli-title" data-testid="cli-install">
      <header className="card__head">
        <h2 id="cli-title">Command-line tool</h2>
        <span className="muted">elevate in your terminals</span>
      </header>
      <p className="field__hint">
        Puts an <code>elevate</code> launcher in a folder on PATH (~/.local/bin; /usr/local/bin on macOS with
        your consent; a per-user folder on Windows). It runs this app&apos;s own commands only.
      </p>
      <CliInstallButton />
    </section>
  );
}
