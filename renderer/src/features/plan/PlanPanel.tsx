import { useMemo } from 'react';
import type { AppState } from '../../../../shared/state';
import { call } from '../../bridge';
import { Approve } from './Approve';
import { renderMarkdown } from './markdown';

/** The pending plan.md: where it is, its hash, the plan itself, and the approval. */
export function PlanPanel({ state }: { state: AppState }) {
  const h = state.handoff;
  const html = useMemo(() => (h ? renderMarkdown(h.preview) : ''), [h]);
  if (!h) return <p className="muted">No plan waiting for review.</p>;
  return (
    <section className="card" aria-labelledby="plan-title" data-testid="plan">
      <header className="card__head">
        <h2 id="plan-title">Plan for {h.cwd}</h2>
        <span className={`tag ${h.approved ? 'tag--ok' : 'tag--warn'}`}>
          {h.approved ? 'approved' : 'waiting for approval'}
        </span>
      </header>
      <p className="muted mono-wrap">
        {h.planPath} · sha256 {h.planHash.slice(0, 12)}…
      </p>
      {h.voided ? (
        <div className="alert alert--error alert--inline" role="alert">
          {h.voided}
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
        dangerouslySetInnerHTML={{ __html: html }}
      />
      {h.truncated ? (
        <p className="muted">Preview truncated; the approval covers the whole file (its hash).</p>
      ) : null}
      {!h.approved && state.capabilities.includes('plan:approve') ? <Approve state={state} /> : null}
    </section>
  );
}
