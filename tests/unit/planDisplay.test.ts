// shared/planDisplay.ts: hostile plans (issue 12, P4 route 8) come out with every control, escape and
// invisible character visible, and nothing else changed or dropped.
import { describe, expect, it } from 'vitest';
import { describeFindings, emptyFindings, neutralizePlanText } from '../../shared/planDisplay';

/** Every character a terminal acts on or a browser hides: none may survive neutralising. */
const DANGEROUS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]|\p{Default_Ignorable_Code_Point}/u;

describe('neutralizePlanText', () => {
  it('an honest plan is returned unchanged, with no findings', () => {
    const plan =
      '# Deploy\n\n1. `aws s3 cp build/ s3://b/ --recursive`\n\tindented — “quoted” ünïcödé 日本語\n';
    expect(neutralizePlanText(plan)).toEqual({ text: plan, findings: emptyFindings() });
  });

  it('ANSI escapes that erase lines in a terminal are shown as ⟨ESC⟩ sequences, each counted once', () => {
    const plan =
      'step 1: aws s3 ls\nstep 2: aws iam delete-user --user-name admin\r\u001b[2K\u001b[1Astep 2: harmless\n';
    const r = neutralizePlanText(plan);
    expect(r.text).toBe(
      'step 1: aws s3 ls\nstep 2: aws iam delete-user --user-name admin⟨CR⟩⟨ESC⟩[2K⟨ESC⟩[1Astep 2: harmless\n',
    );
    expect(r.findings).toMatchObject({ escape: 2, control: 1 });
    expect(r.text).not.toMatch(DANGEROUS);
  });

  it('OSC sequences (titles, hyperlinks) with BEL or ESC \\ terminators, and a lone ESC', () => {
    const plan =
      '\u001b]0;fake title\u0007\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\ end\u001b';
    const r = neutralizePlanText(plan);
    expect(r.text).toBe(
      '⟨ESC⟩]0;fake title⟨BEL⟩⟨ESC⟩]8;;https://evil.example⟨ESC⟩\\click⟨ESC⟩]8;;⟨ESC⟩\\ end⟨ESC⟩',
    );
    expect(r.findings.escape).toBe(4);
    expect(r.findings.control).toBe(0); // the BEL belongs to its sequence
  });

  it('other C0 controls, DEL and C1 controls (U+009B is a one-byte CSI) become visible', () => {
    const r = neutralizePlanText('a\u0000b\u0008c\u007fd\u009b2Ke\u0085f');
    expect(r.text).toBe('a⟨NUL⟩b⟨BS⟩c⟨DEL⟩d⟨U+009B CSI⟩2Ke⟨U+0085 NEL⟩f');
    expect(r.findings.control).toBe(5);
  });

  it('CRLF line ends stay line ends; a lone CR (overwrites the line in a terminal) is shown', () => {
    expect(neutralizePlanText('a\r\nb\r\n').text).toBe('a\nb\n');
    expect(neutralizePlanText('safe\revil').text).toBe('safe⟨CR⟩evil');
  });

  it('zero-width and bidi-override characters are shown by name, not removed', () => {
    const r = neutralizePlanText(
      'aws\u200b s3\u200d rm\u2060 \u202egnp.tpircs\u202c \u2066x\u2069 \ufeffy\u00ad',
    );
    expect(r.text).toBe(
      'aws⟨U+200B ZWSP⟩ s3⟨U+200D ZWJ⟩ rm⟨U+2060 WJ⟩ ⟨U+202E RLO⟩gnp.tpircs⟨U+202C PDF⟩ ⟨U+2066 LRI⟩x⟨U+2069 PDI⟩ ⟨U+FEFF BOM⟩y⟨U+00AD SHY⟩',
    );
    expect(r.findings).toMatchObject({ bidi: 4, invisible: 5 });
    expect(r.text).not.toMatch(DANGEROUS);
  });

  it('tag characters (invisible ASCII smuggling) are decoded and shown', () => {
    const hidden = Array.from('rm -rf /', (c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
    const r = neutralizePlanText(`Deploy.${hidden} Done.`);
    expect(r.text).toBe('Deploy.⟨tag text: "rm -rf /"⟩ Done.');
    expect(r.findings.tag).toBe(1);
  });

  it('line and paragraph separators, Hangul fillers and variation selectors outside emoji are shown', () => {
    const r = neutralizePlanText('a\u2028b\u2029c\u3164d\ufe0fe\u{e0100}');
    expect(r.text).toBe('a⟨U+2028 LS⟩b⟨U+2029 PS⟩c⟨U+3164⟩d⟨U+FE0F VS16⟩e⟨U+E0100⟩');
    expect(r.text).not.toMatch(DANGEROUS);
  });

  it('emoji keep their presentation selectors and joiners', () => {
    const plan = '⚠️ careful ❤️ 1️⃣ 👩‍💻 👨‍👩‍👧';
    expect(neutralizePlanText(plan)).toEqual({ text: plan, findings: emptyFindings() });
  });

  it('nothing is dropped: every visible character of a hostile plan is still there, in order', () => {
    const plan = 'A\u001b[31mB\u200bC\u202eD\u0007E\u{e0041}F';
    const visible = neutralizePlanText(plan).text.replace(/⟨[^⟩]*⟩/g, '');
    expect(visible).toBe('A[31mBCDEF');
  });

  it('describeFindings names each kind with its count', () => {
    expect(describeFindings({ escape: 2, control: 1, invisible: 3, bidi: 1, tag: 0 })).toEqual([
      '2 terminal escape sequences',
      '1 control character',
      '1 bidirectional override',
      '3 invisible characters',
    ]);
    expect(describeFindings(emptyFindings())).toEqual([]);
  });
});
