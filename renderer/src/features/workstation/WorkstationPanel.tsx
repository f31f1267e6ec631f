import type { AppState } from '../../../../shared/state';
import type { OnSection } from '../../navigation';
import { WorkstationActions } from './WorkstationActions';

/** The SSM workstation: where it is, whether its agent answers, cloud-init, and the connect actions. */
export function WorkstationPanel({ state, onSection }: { state: AppState; onSection: OnSection }) {
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
