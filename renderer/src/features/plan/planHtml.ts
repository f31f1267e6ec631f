// The plan as sanitized HTML for the window: planMarkdown.ts (nothing hidden), then DOMPurify (no
// scripts, styles, images, forms or classes even if something slipped through), then one last pass over
// the DOM's text: characters that only exist after HTML decoding (`&#8203;`, `&#x1b;`) are made visible
// too. Links are opened (if at all) by main through its allowlist.
import DOMPurify from 'dompurify';
import {
  addFindings,
  emptyFindings,
  neutralizePlanText,
  type PlanFindings,
} from '../../../../shared/planDisplay';
import { planToHtml, type HiddenMarkdown } from './planMarkdown';

const purify = DOMPurify(window);
let decoded: PlanFindings = emptyFindings();
purify.addHook('uponSanitizeElement', (node) => {
  if (node.nodeType !== Node.TEXT_NODE || !node.textContent) return;
  const r = neutralizePlanText(node.textContent);
  if (r.text === node.textContent) return;
  node.textContent = r.text;
  decoded = addFindings(decoded, r.findings);
});

export interface RenderedPlan {
  html: string;
  findings: PlanFindings;
  hidden: HiddenMarkdown;
}

export function renderPlan(source: string): RenderedPlan {
  const m = planToHtml(source);
  decoded = emptyFindings();
  const html = purify.sanitize(m.html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'img', 'form', 'input', 'button', 'iframe', 'video', 'audio', 'svg', 'math'],
    FORBID_ATTR: ['style', 'class', 'id'],
  });
  return { html, findings: addFindings(m.findings, decoded), hidden: m.hidden };
}
