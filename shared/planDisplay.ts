// Showing a plan to the human who approves it (issue 12, P4): every character that a terminal or a
// browser would act on or hide is replaced by a visible stand-in, and nothing is removed. Pure (no I/O):
// the window uses it before rendering Markdown (renderer/src/features/plan/), the CLI can print its
// output to a terminal as is (every character it returns is printable, apart from \n and \t).
//
//   ESC and the other C0 controls  → their names: ESC [2K → "⟨ESC⟩[2K", CR → "⟨CR⟩", BEL → "⟨BEL⟩"
//   DEL                            → "⟨DEL⟩"
//   C1 controls (U+0080–U+009F)    → "⟨U+009B CSI⟩" (a one-byte CSI on some terminals)
// (Names in ⟨ ⟩ rather than the ␛ control pictures: many fonts have no glyph for those.)
//   invisible / default-ignorable  → "⟨U+200B ZWSP⟩", bidi controls "⟨U+202E RLO⟩"
//   tag characters (U+E0000–E007F) → the ASCII they smuggle: "⟨tag text: "rm -rf"⟩"
//   line/paragraph separators      → "⟨U+2028 LS⟩"
// A CRLF line end stays a line end; emoji presentation selectors and joiners inside emoji stay as they are.

export type PlanFindingKind = 'escape' | 'control' | 'invisible' | 'bidi' | 'tag';

export type PlanFindings = Record<PlanFindingKind, number>;

export interface PlanDisplay {
  /** The text with every control, escape and invisible character shown as a visible stand-in. */
  text: string;
  /** How many of each were found (an honest plan has none). */
  findings: PlanFindings;
}

const C0 = [
  'NUL',
  'SOH',
  'STX',
  'ETX',
  'EOT',
  'ENQ',
  'ACK',
  'BEL',
  'BS',
  'HT',
  'LF',
  'VT',
  'FF',
  'CR',
  'SO',
  'SI',
  'DLE',
  'DC1',
  'DC2',
  'DC3',
  'DC4',
  'NAK',
  'SYN',
  'ETB',
  'CAN',
  'EM',
  'SUB',
  'ESC',
  'FS',
  'GS',
  'RS',
  'US',
];

const NAMES: Record<number, string> = {
  0x0085: 'NEL',
  0x0090: 'DCS',
  0x009b: 'CSI',
  0x009c: 'ST',
  0x009d: 'OSC',
  0x00ad: 'SHY',
  0x034f: 'CGJ',
  0x061c: 'ALM',
  0x180e: 'MVS',
  0x200b: 'ZWSP',
  0x200c: 'ZWNJ',
  0x200d: 'ZWJ',
  0x200e: 'LRM',
  0x200f: 'RLM',
  0x2028: 'LS',
  0x2029: 'PS',
  0x202a: 'LRE',
  0x202b: 'RLE',
  0x202c: 'PDF',
  0x202d: 'LRO',
  0x202e: 'RLO',
  0x2060: 'WJ',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x2066: 'LRI',
  0x2067: 'RLI',
  0x2068: 'FSI',
  0x2069: 'PDI',
  0xfeff: 'BOM',
};

export function emptyFindings(): PlanFindings {
  return { escape: 0, control: 0, invisible: 0, bidi: 0, tag: 0 };
}

export function addFindings(a: PlanFindings, b: PlanFindings): PlanFindings {
  return {
    escape: a.escape + b.escape,
    control: a.control + b.control,
    invisible: a.invisible + b.invisible,
    bidi: a.bidi + b.bidi,
    tag: a.tag + b.tag,
  };
}

export function hasFindings(f: PlanFindings): boolean {
  return Object.values(f).some((n) => n > 0);
}

/** "⟨U+202E RLO⟩": the code point, and its short name where it has a well-known one. */
export function codePointLabel(cp: number): string {
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  const name = NAMES[cp] ?? (cp >= 0xfe00 && cp <= 0xfe0f ? `VS${cp - 0xfe00 + 1}` : undefined);
  return `⟨U+${hex}${name ? ` ${name}` : ''}⟩`;
}

const ESC = 0x1b;
const isTag = (cp: number) => cp >= 0xe0000 && cp <= 0xe007f;
const IGNORABLE = /^\p{Default_Ignorable_Code_Point}$/u;
const BIDI = /^\p{Bidi_Control}$/u;
const PICTOGRAPH = /^\p{Extended_Pictographic}$/u;

/** A terminal escape sequence starting at `i` (which holds ESC): its length, so it is counted once. */
function escapeLength(cps: number[], i: number): number {
  const next = cps[i + 1];
  if (next === undefined) return 1;
  if (next === 0x5b) {
    // CSI: ESC [ parameters (0x30–0x3F) intermediates (0x20–0x2F) final (0x40–0x7E)
    let j = i + 2;
    while (j < cps.length && (cps[j] as number) >= 0x20 && (cps[j] as number) <= 0x3f) j++;
    return j < cps.length && (cps[j] as number) >= 0x40 && (cps[j] as number) <= 0x7e ? j - i + 1 : j - i;
  }
  if (next === 0x5d || next === 0x50 || next === 0x5f || next === 0x5e) {
    // OSC / DCS / APC / PM: up to BEL or ESC \ (the string terminator)
    let j = i + 2;
    while (j < cps.length && cps[j] !== 0x07 && !(cps[j] === ESC && cps[j + 1] === 0x5c)) j++;
    if (j >= cps.length) return j - i;
    return cps[j] === 0x07 ? j - i + 1 : j - i + 2;
  }
  return 2;
}

/** True for an emoji presentation selector or joiner that belongs to the emoji around it (kept as is). */
function partOfEmoji(cps: number[], i: number): boolean {
  const cp = cps[i] as number;
  const prev = cps[i - 1];
  const before = prev === undefined ? '' : String.fromCodePoint(prev);
  // ❤️ ⚠️ 1️⃣: a presentation selector right after a pictograph or a keycap base.
  if (cp === 0xfe0f || cp === 0xfe0e) return PICTOGRAPH.test(before) || /^[0-9#*]$/.test(before);
  if (cp === 0x200d) {
    const after = cps[i + 1];
    const left = prev === 0xfe0f ? cps[i - 2] : prev;
    return (
      left !== undefined &&
      after !== undefined &&
      PICTOGRAPH.test(String.fromCodePoint(left)) &&
      PICTOGRAPH.test(String.fromCodePoint(after))
    );
  }
  return false;
}

/**
 * Make a plan safe and honest to show: the returned text has the same content, with every control
 * character, terminal escape and invisible character replaced by a visible stand-in. Nothing is dropped.
 */
export function neutralizePlanText(input: string): PlanDisplay {
  const findings = emptyFindings();
  const cps = Array.from(input.replace(/\r\n/g, '\n'), (c) => c.codePointAt(0) as number);
  let out = '';
  let escapeEnd = -1;
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i] as number;
    if (cp === ESC) {
      if (i >= escapeEnd) {
        findings.escape++;
        escapeEnd = i + escapeLength(cps, i);
      }
      out += '⟨ESC⟩';
    } else if (cp === 0x0a || cp === 0x09) {
      out += String.fromCodePoint(cp);
    } else if (cp < 0x20) {
      if (i >= escapeEnd) findings.control++;
      out += `⟨${C0[cp] as string}⟩`;
    } else if (cp === 0x7f) {
      if (i >= escapeEnd) findings.control++;
      out += '⟨DEL⟩';
    } else if (cp >= 0x80 && cp <= 0x9f) {
      findings.control++;
      out += codePointLabel(cp);
    } else if (isTag(cp)) {
      // A run of tag characters spells hidden ASCII (U+E0020–E007E ↔ 0x20–0x7E): show what it says.
      let j = i;
      let spelled = '';
      while (j < cps.length && isTag(cps[j] as number)) {
        const c = (cps[j] as number) - 0xe0000;
        spelled += c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : codePointLabel(cps[j] as number);
        j++;
      }
      findings.tag++;
      out += `⟨tag text: ${JSON.stringify(spelled)}⟩`;
      i = j - 1;
    } else if (cp === 0x2028 || cp === 0x2029) {
      findings.invisible++;
      out += codePointLabel(cp);
    } else {
      const ch = String.fromCodePoint(cp);
      if (IGNORABLE.test(ch) && !partOfEmoji(cps, i)) {
        if (BIDI.test(ch)) findings.bidi++;
        else findings.invisible++;
        out += codePointLabel(cp);
      } else out += ch;
    }
  }
  return { text: out, findings };
}

/** One line per kind found, for the window's warning and the CLI ("2 terminal escape sequences"). */
export function describeFindings(f: PlanFindings): string[] {
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const lines: string[] = [];
  if (f.escape) lines.push(n(f.escape, 'terminal escape sequence', 'terminal escape sequences'));
  if (f.control) lines.push(n(f.control, 'control character', 'control characters'));
  if (f.bidi) lines.push(n(f.bidi, 'bidirectional override', 'bidirectional overrides'));
  if (f.invisible) lines.push(n(f.invisible, 'invisible character', 'invisible characters'));
  if (f.tag) lines.push(n(f.tag, 'run of hidden tag characters', 'runs of hidden tag characters'));
  return lines;
}
