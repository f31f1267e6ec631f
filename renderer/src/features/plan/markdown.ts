// Plan preview: Markdown → HTML → DOMPurify. No styles, no images, no forms, no scripts; links are
// opened (if at all) by main through the allowlist.
import DOMPurify from 'dompurify';
import { marked } from 'marked';

export function renderMarkdown(md: string): string {
  const html = marked.parse(md, { async: false, gfm: true, breaks: false });
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'img', 'form', 'input', 'button', 'iframe', 'video', 'audio', 'svg', 'math'],
    FORBID_ATTR: ['style', 'class', 'id'],
  });
}
