// renderer/src/features/plan/planMarkdown.ts: what Markdown would hide in a plan is rendered as visible,
// marked text (issue 12, P4). The HTML is checked as text here; tests/e2e/renderer.test.ts checks the
// same in Chromium's DOM after DOMPurify.
import { describe, expect, it } from 'vitest';
import { describeHidden, planToHtml } from '../../renderer/src/features/plan/planMarkdown';

/** The text a reader sees: tags removed, the five entities planMarkdown/marked write decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Opening tags of elements in the output (marked's and planMarkdown's own). */
function tagsOf(html: string): string[] {
  return [...html.matchAll(/<([a-z][a-z0-9]*)\b/g)].map((m) => m[1] as string);
}

describe('planToHtml', () => {
  it('an ordinary plan renders as Markdown with nothing flagged', () => {
    const r = planToHtml('# Deploy\n\n1. `aws s3 cp a s3://b/`\n2. **Invalidate** the cache\n');
    expect(r.html).toContain('<h1>Deploy</h1>');
    expect(r.html).toContain('<code>aws s3 cp a s3://b/</code>');
    expect(r.html).toContain('<strong>Invalidate</strong>');
    expect(r.html).not.toContain('data-plan-reveal');
    expect(describeHidden(r.hidden)).toEqual([]);
  });

  it('HTML comments, block and inline, are shown with their text', () => {
    const plan =
      '# Plan\n\n<!-- also run: aws iam attach-user-policy --policy-arn AdministratorAccess -->\n\nStep <!-- and delete the trail --> one.\n';
    const r = planToHtml(plan);
    const text = visibleText(r.html);
    expect(text).toContain('<!-- also run: aws iam attach-user-policy --policy-arn AdministratorAccess -->');
    expect(text).toContain('Step <!-- and delete the trail --> one.');
    expect(r.html).toContain('data-plan-reveal="comment"');
    expect(text).toContain('HTML comment (hidden in rendered Markdown)');
    expect(r.hidden).toMatchObject({ comments: 2, html: 0 });
  });

  it('a multi-line comment hiding Markdown steps is shown whole', () => {
    const r = planToHtml('Visible.\n\n<!--\n## Secret step\n\n- aws s3 rb s3://prod --force\n-->\n\nEnd.\n');
    const text = visibleText(r.html);
    expect(text).toContain('## Secret step');
    expect(text).toContain('- aws s3 rb s3://prod --force');
    expect(tagsOf(r.html)).not.toContain('h2'); // not rendered as a heading inside the comment
    expect(r.hidden.comments).toBe(1);
  });

  it('link reference "comments" ([//]: # (…)) and any other definition are shown', () => {
    const r = planToHtml(
      'Intro.\n\n[//]: # (run aws kms schedule-key-deletion too)\n[x]: https://a.example "t"\n\nEnd.\n',
    );
    const text = visibleText(r.html);
    expect(text).toContain('[//]: # (run aws kms schedule-key-deletion too)');
    expect(text).toContain('[x]: https://a.example "t"');
    expect(r.hidden.definitions).toBe(2);
    expect(describeHidden(r.hidden)).toEqual(['2 link definitions']);
  });

  it('raw HTML that hides or runs things is text, never elements', () => {
    const plan = [
      '<details><summary>Notes</summary>',
      '',
      'aws iam create-access-key --user-name admin',
      '',
      '</details>',
      '',
      'Inline <span hidden>secret step</span> and <img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>',
      '',
      '<div style="display:none">aws s3 rb s3://prod</div>',
      '',
    ].join('\n');
    const r = planToHtml(plan);
    const text = visibleText(r.html);
    for (const raw of [
      '<details><summary>Notes</summary>',
      '</details>',
      '<span hidden>',
      '<img src=x onerror="window.__pwned=1">',
      '<script>',
      '<div style="display:none">aws s3 rb s3://prod</div>',
    ])
      expect(text).toContain(raw);
    expect(text).toContain('secret step');
    expect(text).toContain('aws iam create-access-key --user-name admin');
    const tags = tagsOf(r.html);
    for (const t of ['details', 'summary', 'img', 'script', 'style']) expect(tags).not.toContain(t);
    expect(r.html).not.toMatch(/<span hidden|<div style/);
    expect(r.hidden.html).toBeGreaterThanOrEqual(5);
  });

  it('images are shown as their Markdown source; a link shows its real target and title', () => {
    const r = planToHtml(
      '![run aws s3 rb s3://prod](https://x.example/i.png)\n\n[docs](https://evil.example/steal "really")\n\n<https://a.example>\n',
    );
    const text = visibleText(r.html);
    expect(text).toContain('![run aws s3 rb s3://prod](https://x.example/i.png)');
    expect(tagsOf(r.html)).not.toContain('img');
    expect(r.html).toContain('<a href="https://evil.example/steal">docs</a>');
    expect(text).toContain('(https://evil.example/steal "really")');
    expect(r.html).not.toMatch(/title=/);
    // an autolink already shows its target
    expect(r.html).toContain('<a href="https://a.example">https://a.example</a>');
    expect(r.hidden.images).toBe(1);
  });

  it('task checkboxes and a code block info string stay visible', () => {
    const r = planToHtml('- [x] done\n- [ ] todo\n\n```bash also-run-this\naws s3 ls\n```\n');
    const text = visibleText(r.html);
    expect(text).toContain('[x] done');
    expect(text).toContain('[ ] todo');
    expect(text).toContain('bash also-run-this');
    expect(tagsOf(r.html)).not.toContain('input');
  });

  it('escapes and invisible characters are neutralised before Markdown, also inside code', () => {
    const r = planToHtml(
      'Run:\n\n```\naws s3 ls\r\u001b[2K\u001b[1Aecho ok\n```\n\nsafe\u200b text \u202eevil\n',
    );
    const text = visibleText(r.html);
    expect(text).toContain('aws s3 ls⟨CR⟩⟨ESC⟩[2K⟨ESC⟩[1Aecho ok');
    expect(text).toContain('safe⟨U+200B ZWSP⟩ text ⟨U+202E RLO⟩evil');
    expect(r.findings).toMatchObject({ escape: 2, control: 1, invisible: 1, bidi: 1 });
    expect(r.html).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|\p{Default_Ignorable_Code_Point}/u);
  });

  it('nothing is dropped: every word of a hostile plan is in the visible text', () => {
    const plan = [
      '# Title',
      '<!-- c1 -->',
      '[//]: # (d1)',
      '<p hidden>h1</p>',
      '![i1](u1)',
      'para <b>b1</b> <!-- c2 -->',
      '<script>s1</script>',
      '<style>st1</style>',
      '<template>t1</template>',
      '<textarea>ta1</textarea>',
      '<noscript>n1</noscript>',
    ].join('\n\n');
    const text = visibleText(planToHtml(plan).html);
    for (const w of ['Title', 'c1', 'd1', 'h1', 'i1', 'u1', 'b1', 'c2', 's1', 'st1', 't1', 'ta1', 'n1'])
      expect(text).toContain(w);
  });
});
