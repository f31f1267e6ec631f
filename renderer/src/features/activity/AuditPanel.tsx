import type { AppState } from '../../../../shared/state';
import { AuditList, useAudit } from '../../components/AuditList';

/** audit.jsonl, newest first. */
export function AuditPanel({ state }: { state: AppState }) {
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
