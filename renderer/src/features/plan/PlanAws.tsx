import { neutralizePlanText } from '../../../../shared/planDisplay';
import type { Handoff, PlanAwsReviewState } from '../../../../shared/state';

type PlanAction = PlanAwsReviewState['commands'][number]['actions'][number];

// Command text comes from plan.md (the agent wrote it): controls and bidi overrides shown by name.
const shown = (s: string) => neutralizePlanText(s).text;

function allowedBy(a: PlanAction) {
  if (a.tier === 'readonly') return <span className="tag tag--readonly">read-only</span>;
  if (a.tier === 'elevated') return <span className="tag tag--elevated">elevated</span>;
  return <span className="tag tag--drop">no tier allows it</span>;
}

/**
 * The plan's AWS side (issue 14 item 3): every `aws` command with its IAM actions, access level and the
 * tier that allows it; destructive actions marked; commands not understood listed, never dropped.
 */
export function PlanAws({ handoff }: { handoff: Handoff }) {
  const r = handoff.aws;
  if (!r) {
    return handoff.awsError ? (
      <div className="alert alert--error alert--inline" role="alert" data-testid="plan-aws-error">
        {handoff.awsError}
      </div>
    ) : null;
  }
  const empty = !r.commands.length && !r.unparsed.length;
  return (
    <section className="plan-aws" aria-labelledby="plan-aws-title" data-testid="plan-aws">
      <h3 id="plan-aws-title">AWS side</h3>
      {handoff.truncated ? (
        <p className="muted">Reviewed from the part of the plan shown here (the plan is longer).</p>
      ) : null}
      {empty ? <p className="muted">No aws commands found in the plan.</p> : null}
      {r.noElevationNeeded ? (
        <div className="alert alert--inline plan-aws__ok" role="status" data-testid="plan-aws-no-elevation">
          <strong>No elevation needed:</strong> every AWS action in this plan is Read or List; the read-only
          tier can run it.
        </div>
      ) : null}
      {r.destructive.length ? (
        <div className="alert alert--warn alert--inline" data-testid="plan-aws-destructive">
          <strong>Destructive:</strong> {r.destructive.join(', ')}
        </div>
      ) : null}
      {r.commands.length ? (
        <div className="table-wrap">
          <table className="calls plan-aws__table" data-testid="plan-aws-table">
            <thead>
              <tr>
                <th scope="col">Command</th>
                <th scope="col">Action</th>
                <th scope="col">Access level</th>
                <th scope="col">Allowed by</th>
                <th scope="col">Destructive</th>
              </tr>
            </thead>
            {r.commands.map((c, ci) => (
              <tbody key={`${c.line}-${ci}`} data-testid="plan-aws-command">
                {(c.actions.length ? c.actions : [null]).map((a, ai) => (
                  <tr key={a?.action ?? 'none'} data-testid={a ? 'plan-aws-row' : undefined}>
                    {ai === 0 ? (
                      <th scope="rowgroup" rowSpan={Math.max(1, c.actions.length)} className="plan-aws__cmd">
                        <code className="mono-wrap">{shown(c.text)}</code>
                        <span className="muted"> · line {c.line}</span>
                        {c.notes.map((n) => (
                          <span key={n} className="plan-aws__note muted">
                            {shown(n)}
                          </span>
                        ))}
                      </th>
                    ) : null}
                    {a ? (
                      <>
                        <td className="mono">
                          {a.action}
                          {a.resources.length ? (
                            <span className="plan-aws__res muted">
                              on {a.resources.map((x) => shown(x.arn)).join(', ')}
                            </span>
                          ) : null}
                        </td>
                        <td>{a.accessLevel ?? 'unknown'}</td>
                        <td>{allowedBy(a)}</td>
                        <td>
                          {a.destructive ? (
                            <span className="tag tag--drop" title={a.destructive}>
                              destructive: {a.destructive}
                            </span>
                          ) : null}
                        </td>
                      </>
                    ) : (
                      <td colSpan={4} className="muted">
                        no IAM action (a local command)
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </div>
      ) : null}
      {r.unparsed.length ? (
        <div className="plan-aws__unparsed" data-testid="plan-aws-unparsed">
          <h4>Not understood — review these by hand</h4>
          <ul>
            {r.unparsed.map((u, i) => (
              <li key={`${u.line}-${i}`}>
                <code className="mono-wrap">{shown(u.text)}</code>{' '}
                <span className="muted">
                  line {u.line}: {shown(u.reason)}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
