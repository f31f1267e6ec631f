import type { SelfElevationView } from '../../../../shared/state';

/**
 * The elevated card's boundary check (issue 12 P2): can the read-only tier — the agent — reach the
 * elevated role without the human? Same finding as `elevate doctor` (shared/selfElevation.ts).
 */
export function SelfElevationNote({ finding }: { finding: SelfElevationView }) {
  if (finding.status === 'ok') {
    return (
      <p
        className="selfelev selfelev--ok"
        data-testid="self-elevation"
        data-status="ok"
        title={finding.message}
      >
        Elevation needs your MFA.
      </p>
    );
  }
  const fail = finding.status === 'fail';
  return (
    <div
      className={`alert alert--inline selfelev selfelev--${finding.status}${fail ? ' alert--error' : ''}`}
      role={fail ? 'alert' : 'status'}
      data-testid="self-elevation"
      data-status={finding.status}
    >
      <strong className="selfelev__title">
        {fail
          ? 'Self-elevation possible: the read-only tier can reach the elevated role without you'
          : 'Elevation is not gated by your MFA'}
      </strong>
      {/* the title already says "self-elevation possible"; the message keeps doctor's wording otherwise */}
      <p className="selfelev__message">{finding.message.replace(/^self-elevation possible:\s*/i, '')}</p>
      {finding.fix ? (
        <p className="selfelev__fix">
          <span className="selfelev__label">Fix:</span> {finding.fix}
        </p>
      ) : null}
    </div>
  );
}
