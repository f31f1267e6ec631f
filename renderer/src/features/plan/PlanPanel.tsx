import { useMemo } from 'react';
import { describeFindings, hasFindings, neutralizePlanText } from '../../../../shared/planDisplay';
import type { AppState } from '../../../../shared/state';
import { call } from '../../bridge';
import { Approve } from './Approve';
import { PlanAws } from './PlanAws';
import { describeHidden, hasHidden } from './planMarkdown';
import { renderPlan } from './planHtml';
import './plan.css';

/** The pending plan.md: where it is, its hash, the whole plan with nothing hidden, and the approval. */
export function PlanPanel({ state }: { state: AppState }) {
  const h = state.handoff;
  const plan = useMemo(() => (h ? renderPlan(h.preview) : null), [h]);
  if (!h || !plan) return <p className="muted">No plan waiting for review.</p>;
  const warnings = [...describeHidden(plan.hidden), ...describeFindings(plan.findings)];
  // A folder name can carry bidi overrides or controls too: shown by name, like the plan's own.
  const shown = (s: string) => neutralizePlanText(s).text;
  return (
    <section className="card" aria-labelledby="plan-title" data-testid="plan">
      <header className="card__head">
        <h2 id="plan-title">Plan for {shown(h.cwd)}</h2>
        <span className={`tag ${h.approved ? 'tag--ok' : 'tag--warn'}`}>
          {h.approved ? 'approved' : 'waiting for approval'}
        </span>
      </header>
      <p className="muted mono-wrap">
        {shown(h.planPath)} · sha256 {h.planHash.slice(0, 12)}…
      </p>
      {h.voided ? (
        <div className="alert alert--error alert--inline" role="alert">
          {h.voided}
        </div>
      ) : null}
      {hasHidden(plan.hidden) || hasFindings(plan.findings) ? (
        <div className="alert alert--warn alert--inline" role="alert" data-testid="plan-hidden">
          <strong>This plan contains text a Markdown view or a terminal would hide:</strong>{' '}
          {warnings.join(', ')}. It is shown below, marked; the elevated session reads all of it.
        </div>
      ) : null}
      <article
        className="markdown"
        data-testid="plan-markdown"
        onClick={(e) => {
          // Links never navigate the window: allowlisted https links open in the browser (main decides).
          const a = (e.target as HTMLElement).closest('a');
          if (!a) return;
          e.preventDefault();
          const href = a.getAttribute('href');
          if (href) void call('shell:openExternal', { url: href });
        }}
        dangerouslySetInnerHTML={{ __html: plan.html }}
      />
      <PlanAws handoff={h} />
      {h.truncated ? (
        <p className="alert alert--error alert--inline" role="alert" data-testid="plan-truncated">
          This plan is too long to show in full here, so it cannot be approved in the window: shorten it, or
          read the whole file and approve it with <code>elevate handoff --approve</code>.
        </p>
      ) : null}
      {!h.approved && !h.truncated ? <Approve state={state} /> : null}
    </section>
  );
}
