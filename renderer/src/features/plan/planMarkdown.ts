// plan.md → HTML for the approval window, with nothing hidden (issue 12, P4). Pure (marked only, no DOM):
// tests/unit/planMarkdown.test.ts. What Markdown would normally hide is shown as text, marked with a
// data-plan-reveal attribute (styled in plan.css) and counted, so the window can warn:
//   HTML comments <!-- … --> and all other raw HTML   → the markup itself, as text (never as elements)
//   link reference definitions, e.g. [//]: # (…)      → the definition line, as text
//   images ![alt](src)                                 → the Markdown source, as text
//   a link's target and title                          → "(target "title")" after the link text
//   task-list checkboxes, a code block's info string   → "[x]" / "[ ]", the info string above the block
// Control characters, terminal escapes and invisible characters are made visible first
// (shared/planDisplay.ts). The caller still sanitizes the result (planHtml.ts, DOMPurify).
import { Marked, type Tokens } from 'marked';
import { neutralizePlanText, type PlanFindings } from '../../../../shared/planDisplay';

export interface HiddenMarkdown {
  /** HTML comments (`<!-- … -->`). */
  comments: number;
  /** Other raw HTML (tags), shown as text. */
  html: number;
  /** Link reference definitions (`[//]: # (…)` and any `[label]: url`). */
  definitions: number;
  /** Images, shown as their Markdown source. */
  images: number;
}

export interface PlanMarkup {
  html: string;
  /** Control characters, escapes and invisible characters found in the source (shared/planDisplay.ts). */
  findings: PlanFindings;
  hidden: HiddenMarkdown;
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const COMMENT = /<!--/g;

function revealBlock(kind: string, label: string, text: string): string {
  return `<div data-plan-reveal="${kind}"><span data-plan-label="">${escapeHtml(label)}</span><pre>${escapeHtml(text)}</pre></div>\n`;
}

function revealInline(kind: string, text: string): string {
  return `<code data-plan-reveal="${kind}">${escapeHtml(text)}</code>`;
}

export function hasHidden(h: HiddenMarkdown): boolean {
  return h.comments + h.html + h.definitions + h.images > 0;
}

/** The lines the window's warning shows for what Markdown would have hidden. */
export function describeHidden(h: HiddenMarkdown): string[] {
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const lines: string[] = [];
  if (h.comments) lines.push(n(h.comments, 'HTML comment', 'HTML comments'));
  if (h.html) lines.push(n(h.html, 'piece of raw HTML', 'pieces of raw HTML'));
  if (h.definitions) lines.push(n(h.definitions, 'link definition', 'link definitions'));
  if (h.images) lines.push(n(h.images, 'image', 'images'));
  return lines;
}

export function planToHtml(source: string): PlanMarkup {
  const { text, findings } = neutralizePlanText(source);
  const hidden: HiddenMarkdown = { comments: 0, html: 0, definitions: 0, images: 0 };
  const countHtml = (raw: string) => {
    const comments = raw.match(COMMENT)?.length ?? 0;
    hidden.comments += comments;
    // anything besides the comments is raw HTML
    if (raw.replace(/<!--[\s\S]*?(?:-->|$)/g, '').trim()) hidden.html++;
    return comments > 0 && !raw.replace(/<!--[\s\S]*?(?:-->|$)/g, '').trim();
  };
  const md = new Marked({ gfm: true, breaks: false, async: false });
  md.use({
    renderer: {
      html({ text: raw, block }: Tokens.HTML | Tokens.Tag) {
        const onlyComment = countHtml(raw);
        const kind = onlyComment ? 'comment' : 'html';
        if (!block) return revealInline(kind, raw);
        const label = onlyComment ? 'HTML comment (hidden in rendered Markdown)' : 'Raw HTML (shown as text)';
        return revealBlock(kind, label, raw.replace(/\n+$/, ''));
      },
      def(token: Tokens.Def) {
        hidden.definitions++;
        return revealBlock(
          'definition',
          'Link definition (hidden in rendered Markdown)',
          token.raw.replace(/\n+$/, ''),
        );
      },
      image(token: Tokens.Image) {
        hidden.images++;
        return revealInline('image', token.raw);
      },
      link(token: Tokens.Link) {
        const inner = this.parser.parseInline(token.tokens);
        let href: string | null;
        try {
          href = encodeURI(token.href).replace(/%25/g, '%');
        } catch {
          href = null;
        }
        const shown = token.text === token.href && !token.title;
        const target = shown
          ? ''
          : ` <span data-plan-reveal="href">${escapeHtml(`(${token.href}${token.title ? ` "${token.title}"` : ''})`)}</span>`;
        return href === null ? `${inner}${target}` : `<a href="${escapeHtml(href)}">${inner}</a>${target}`;
      },
      checkbox({ checked }: Tokens.Checkbox) {
        return `<span data-plan-reveal="checkbox">[${checked ? 'x' : ' '}]</span> `;
      },
      code({ text: code, lang, escaped }: Tokens.Code) {
        const body = `${escaped ? code : escapeHtml(code.replace(/\n$/, ''))}\n`;
        const info = lang ? `<span data-plan-label="">${escapeHtml(lang)}</span>` : '';
        return `${info}<pre><code>${body}</code></pre>\n`;
      },
    },
  });
  const html = md.parse(text) as string;
  return { html, findings, hidden };
}
