import type { AppState } from '../../../../shared/state';
import { AuditList, useAudit } from '../../components/AuditList';
import type { OnSection } from '../../navigation';

/** The overview's last six audit entries, with a way to the whole log. */
export function RecentActivity({ state, onSection }: { state: AppState; onSection: OnSection }) {
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
