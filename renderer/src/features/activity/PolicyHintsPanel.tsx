import type { DeniedEntryView } from '../../../../shared/ipc';
import type { AppState } from '../../../../shared/state';
import { CopyPre } from '../../components/CopyPre';
import { useChannel } from '../../hooks/useChannel';

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

const tierName = (t: string) =>
  t === 'readonly' ? 'Read-only tier' : t === 'elevated' ? 'Elevated tier' : 'Calls outside a tier';

/** `elevate policy-hints` in the window: denied actions per tier and the least-privilege statement. */
export function PolicyHintsPanel({ state }: { state: AppState }) {
  const { data: hints } = useChannel('policy:hints', undefined, state.revision);
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
