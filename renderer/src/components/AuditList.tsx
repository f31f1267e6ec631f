import type { AuditRecordView } from '../../../shared/ipc';
import { useChannel } from '../hooks/useChannel';

/** audit.jsonl records, newest first (null while loading); asks again when the state revision changes. */
export function useAudit(limit: number, revision: number): AuditRecordView[] | null {
  const { data } = useChannel('audit:list', { limit }, revision);
  return data ? [...data.records].reverse() : null;
}

function auditSummary(r: AuditRecordView): string {
  const parts = [r.tier, r.profile, r.cwd, r.sessionId].filter(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
  return parts.join(' · ');
}

export function AuditList({ records }: { records: AuditRecordView[] }) {
  return (
    <ol className="audit">
      {records.map((r, i) => (
        <li key={`${r.time}-${i}`}>
          <time dateTime={r.time}>
            {new Date(r.time).toLocaleString([], {
              month: 'short',
              day: 'numeric',
              hour: '2-digit',
              minute: '2-digit',
            })}
          </time>
          <span className={`tag tag--event tag--${String(r.type).replace(/[^a-z-]/g, '')}`}>{r.type}</span>
          <span className="audit__detail mono-wrap">{auditSummary(r)}</span>
        </li>
      ))}
    </ol>
  );
}
