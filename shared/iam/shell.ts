// Finds the `aws` invocations in a shell command line (pure): what the Bash tool is about to run, or a
// line of plan.md. A guide, not a boundary (IAM is the boundary): what is not understood is reported as
// such, never silently dropped, so the hook can pass it with a note and the plan review can list it.
//
// Understood: quotes ('…', "…", \x), `&&` `||` `;` `|` `&` newlines, `( … )`, `{ …; }`, `$( … )` and
// backticks (parsed recursively), comments, redirections (`>f`, `2>&1`, `<f`), env prefixes (`A=b aws`),
// wrappers (`command`, `exec`, `env`, `time`, `nohup`, `nice`, `timeout N`, `sudo`, `xargs [opts]`),
// `bash -c '…'` / `sh -c '…'`, full paths (`/usr/local/bin/aws`), control words (`if`, `then`, `do`, …).
// Not understood (reported): unterminated quotes, here-documents, `eval`, an `aws` word we could not
// place (`$AWS s3 rm …`, a function or alias named otherwise).

export interface AwsInvocation {
  /** Arguments after `aws`. */
  argv: string[];
  /** The words as written (for display), `aws` included. */
  text: string;
  /** Started by `xargs`: more arguments are appended at run time. */
  viaXargs: boolean;
  /** Some argument holds a shell expansion (`$b`, `$(…)`) whose value is not known. */
  hasExpansion: boolean;
}

export interface ShellScan {
  calls: AwsInvocation[];
  /** Why (part of) the line was not understood; empty when fully understood. */
  problems: string[];
}

interface Word {
  text: string;
  /** Contains an unquoted or double-quoted expansion. */
  expansion: boolean;
  /** Fully quoted (`'&&'` is a word, not an operator). */
  quoted: boolean;
}

type Token = { op: string } | { word: Word };

const OPS = ['&&', '||', ';;', '|&', ';', '|', '&', '\n', '(', ')'];

function tokenize(src: string, problems: string[], nested: string[]): Token[] {
  const toks: Token[] = [];
  let i = 0;
  let cur: Word | null = null;
  const push = () => {
    if (cur) toks.push({ word: cur });
    cur = null;
  };
  const word = (): Word => (cur ??= { text: '', expansion: false, quoted: true });
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      push();
      i++;
      continue;
    }
    if (c === '\\') {
      if (src[i + 1] === '\n') {
        i += 2;
        continue;
      }
      const w = word();
      w.text += src[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (c === '#' && cur === null) {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end === -1) {
        problems.push('unterminated single quote');
        return toks;
      }
      word().text += src.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      const w = word();
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\' && i + 1 < src.length && '"\\$`\n'.includes(src[i + 1]!)) {
          w.text += src[i + 1];
          i += 2;
          continue;
        }
        if (src[i] === '$' || src[i] === '`') {
          const end = expansionEnd(src, i);
          if (end === -1) {
            problems.push('unterminated expansion');
            return toks;
          }
          collectNested(src, i, end, nested);
          w.expansion = true;
          w.text += src.slice(i, end);
          i = end;
          continue;
        }
        w.text += src[i];
        i++;
      }
      if (i >= src.length) {
        problems.push('unterminated double quote');
        return toks;
      }
      i++;
      continue;
    }
    if (c === '$' || c === '`') {
      const end = expansionEnd(src, i);
      if (end === -1) {
        problems.push('unterminated expansion');
        return toks;
      }
      collectNested(src, i, end, nested);
      const w = word();
      w.expansion = true;
      w.quoted = false;
      w.text += src.slice(i, end);
      i = end;
      continue;
    }
    if (c === '<' && src[i + 1] === '<' && src[i + 2] !== '<') {
      problems.push('here-document not analysed');
      return toks;
    }
    // Redirections: [n]>file, >>file, >&n, <file, &>file.
    const redir = /^(\d*)(>>|>&|>\||>|<&|<>|<|&>>|&>)/.exec(src.slice(i));
    if (redir && (cur === null || /^\d+$/.test((cur as Word).text))) {
      cur = null;
      i += redir[0].length;
      while (src[i] === ' ' || src[i] === '\t') i++;
      // Skip the target word (simple scan: up to whitespace or an operator).
      while (i < src.length && !/[\s;&|()<>]/.test(src[i]!)) i++;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      push();
      toks.push({ op });
      i += op.length;
      continue;
    }
    const w = word();
    w.quoted = false;
    w.text += c;
    i++;
  }
  push();
  return toks;
}

/** End index (exclusive) of `$(…)`, `` `…` ``, `${…}`, `$((…))` or `$name` starting at i. */
function expansionEnd(src: string, i: number): number {
  if (src[i] === '`') {
    const end = src.indexOf('`', i + 1);
    return end === -1 ? -1 : end + 1;
  }
  const n = src[i + 1];
  if (n === '(' || n === '{') {
    const open = n;
    const close = n === '(' ? ')' : '}';
    let depth = 0;
    let q: string | null = null;
    for (let j = i + 1; j < src.length; j++) {
      const ch = src[j]!;
      if (q) {
        if (ch === q) q = null;
        else if (ch === '\\' && q === '"') j++;
        continue;
      }
      if (ch === "'" || ch === '"') q = ch;
      else if (ch === '\\') j++;
      else if (ch === open) depth++;
      else if (ch === close && --depth === 0) return j + 1;
    }
    return -1;
  }
  const m = /^\$([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])?/.exec(src.slice(i));
  return i + (m ? m[0].length : 1);
}

/** Command substitutions inside an expansion are parsed too (`$(aws s3 ls)`). */
function collectNested(src: string, start: number, end: number, nested: string[]) {
  if (src[start] === '`') nested.push(src.slice(start + 1, end - 1));
  else if (src.startsWith('$((', start)) return;
  else if (src.startsWith('$(', start)) nested.push(src.slice(start + 2, end - 1));
}

const CONTROL_START = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);
const CONTROL_END = new Set(['fi', 'done', 'esac', '}']);
const WRAPPERS = new Set(['command', 'exec', 'nohup', 'builtin', 'noglob']);

function isAws(word: string): boolean {
  const base = word.slice(word.lastIndexOf('/') + 1);
  return base === 'aws' || base === 'aws.exe' || base === 'aws.cmd';
}

/** Scan one simple command (words between operators). */
function simpleCommand(words: Word[], out: ShellScan, depth: number) {
  let i = 0;
  let viaXargs = false;
  for (;;) {
    while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(words[i]!.text) && !words[i]!.quoted) i++;
    const w = words[i];
    if (!w) return;
    const t = w.text;
    if (CONTROL_END.has(t)) return;
    if (CONTROL_START.has(t) || WRAPPERS.has(t)) {
      i++;
      continue;
    }
    if (t === 'for' || t === 'case' || t === 'select' || t === 'function') return; // header only
    if (t === 'env') {
      i++;
      while (i < words.length && (words[i]!.text.startsWith('-') || words[i]!.text.includes('='))) {
        const flag = words[i]!.text;
        i += flag === '-u' || flag === '-C' || flag === '-S' ? 2 : 1;
      }
      continue;
    }
    if (t === 'sudo' || t === 'nice' || t === 'timeout' || t === 'stdbuf' || t === 'doas') {
      i++;
      while (i < words.length && words[i]!.text.startsWith('-')) {
        const flag = words[i]!.text;
        i += /^-[ugnCDhprt]$/.test(flag) || flag === '-k' || flag === '-s' ? 2 : 1;
      }
      if (t === 'timeout' && i < words.length && /^\d/.test(words[i]!.text)) i++;
      continue;
    }
    if (t === 'xargs') {
      viaXargs = true;
      i++;
      while (i < words.length && words[i]!.text.startsWith('-')) {
        const flag = words[i]!.text;
        i += /^-[IdEnLPsa]$/.test(flag) ? 2 : 1;
      }
      continue;
    }
    if (
      (t === 'bash' || t === 'sh' || t === 'zsh' || t.endsWith('/bash') || t.endsWith('/sh')) &&
      words[i + 1]?.text.startsWith('-')
    ) {
      const ci = words.findIndex((x, j) => j > i && /^-[a-z]*c[a-z]*$/.test(x.text));
      if (ci !== -1 && words[ci + 1]) {
        if (depth > 4) out.problems.push('nesting too deep');
        else scanInto(words[ci + 1]!.text, out, depth + 1);
      }
      return;
    }
    if (t === 'eval') {
      if (words.slice(i + 1).some((x) => /\baws\b/.test(x.text))) out.problems.push('eval: not analysed');
      return;
    }
    if (isAws(t) && !w.expansion) {
      const rest = words.slice(i + 1);
      out.calls.push({
        argv: rest.map((x) => x.text),
        text: ['aws', ...rest.map((x) => x.text)].join(' '),
        viaXargs,
        hasExpansion: rest.some((x) => x.expansion),
      });
      return;
    }
    if (/aws/i.test(t) && w.expansion) out.problems.push(`command name ${t} is an expansion: not analysed`);
    return;
  }
}

function scanInto(src: string, out: ShellScan, depth: number) {
  const nested: string[] = [];
  const toks = tokenize(src, out.problems, nested);
  let words: Word[] = [];
  const flush = () => {
    if (words.length) simpleCommand(words, out, depth);
    words = [];
  };
  for (const t of toks) {
    if ('op' in t) flush();
    else words.push(t.word);
  }
  flush();
  for (const n of nested) {
    if (depth > 4) out.problems.push('nesting too deep');
    else scanInto(n, out, depth + 1);
  }
}

/** Every `aws` invocation of a shell command line, and what could not be understood. */
export function scanShell(src: string): ShellScan {
  const out: ShellScan = { calls: [], problems: [] };
  scanInto(src, out, 0);
  // A mention of `aws <service> <operation>` we could not place: say so rather than pass it as "no aws here".
  if (out.calls.length === 0 && out.problems.length === 0) {
    // Quoted text is data (a commit message, an echo), not a command.
    const stripped = src
      .replace(/'[^']*'/g, '')
      .replace(/"(?:[^"\\]|\\.)*"/g, '')
      .replace(/#.*$/gm, '');
    if (/(^|[\s/;&|(`$"])aws(\.exe)?\s+[a-z0-9-]+\s+[a-z0-9-]+/m.test(stripped))
      out.problems.push('mentions aws in a way not analysed');
  }
  return out;
}
