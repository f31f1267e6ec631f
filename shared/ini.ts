// A line-oriented INI reader with the AWS SDK for JavaScript's rules (which Claude Code uses), keeping line
// numbers so a malformed file gets "file:line: what is wrong". The `ini` package was not used: it splits
// section names on dots (`[profile a.b]` becomes nested), keeps no line numbers and validates nothing.

export interface IniEntry {
  key: string;
  /** Key exactly as written (before lower-casing), for messages. */
  rawKey: string;
  value: string;
  line: number;
  /** Set for nested sub-keys (`s3 =` then indented `addressing_style = path`). */
  parent?: string;
}

export interface IniSection {
  /** Section header between the brackets, trimmed. */
  header: string;
  line: number;
  entries: IniEntry[];
}

export interface IniIssue {
  line: number;
  severity: 'warn' | 'fail';
  message: string;
}

export interface IniDocument {
  sections: IniSection[];
  issues: IniIssue[];
}

export class IniSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'IniSyntaxError';
  }
}

/** Strip an inline comment the way the SDK does: `#` or `;` at the start or after whitespace. */
export function stripComment(line: string): string {
  return line.split(/(?:^|\s)[;#]/)[0] ?? '';
}

function looksBinary(text: string): boolean {
  // NUL or other C0 controls (but tab, CR, LF, form feed) mean this is not a text config file.
  return /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text);
}

/**
 * Parse INI text. Hard errors (binary data, a line that is neither a section, a `key = value`, a comment
 * nor an indented continuation) throw IniSyntaxError with the line; softer findings go to `issues`.
 */
export function parseIni(text: string, file: string): IniDocument {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const sections: IniSection[] = [];
  const issues: IniIssue[] = [];
  const lines = text.split(/\r?\n|\r/);
  let current: IniSection | undefined;
  let parent: string | undefined;
  // The AWS CLI's reader (Python configparser, via botocore): the last option line of the section and its
  // indentation. A later line indented deeper is a continuation of that option's value for the AWS CLI,
  // while the JavaScript SDK reads it as a line of its own. Blank lines keep it; comment lines end it.
  let cliOption: { key: string; line: number; indent: number; value: string } | undefined;
  // Top-level keys of the current section (the AWS CLI refuses a file that repeats one).
  let sectionKeys = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const lineNo = i + 1;
    if (looksBinary(raw)) {
      throw new IniSyntaxError(file, lineNo, 'binary or control characters: this is not a text INI file');
    }
    const content = stripComment(raw).trim();
    if (/^\s*[;#]/.test(raw)) cliOption = undefined;
    if (content === '') continue;
    const indent = /^[ \t]*/.exec(raw)?.[0].length ?? 0;
    if (cliOption && indent > cliOption.indent && cliOption.value !== '') {
      // A nested block (`s3 =` then indented sub-keys) is read alike by both; anything else is not.
      issues.push({
        line: lineNo,
        severity: 'fail',
        message: `line ${lineNo} is indented under "${cliOption.key}" (line ${cliOption.line}): the AWS CLI reads it as a continuation of that value (${cliOption.key} = "${truncate(cliOption.value)}\\n${truncate(content)}"), so ${/^\[/.test(content) ? 'this is no section header for it' : `"${truncate(content.split(/[=:]/)[0]?.trim() ?? content)}" is not set`} and ${cliOption.key} is wrong; the JavaScript SDK (Claude Code) reads "${truncate(content)}" as a line of its own. Fix: remove the indentation of line ${lineNo}`,
      });
      if (!content.startsWith('[') && !content.includes('=')) continue; // SDK: ignored; CLI: part of a value
    }
    const inlineComment = content !== raw.trim() && !/^\s*[;#]/.test(raw) && content.includes('=');
    if (content.startsWith('[')) {
      if (!content.endsWith(']')) {
        throw new IniSyntaxError(file, lineNo, `section header "${content}" has no closing "]"`);
      }
      const header = content.slice(1, -1).trim();
      if (header === '') throw new IniSyntaxError(file, lineNo, 'empty section name "[]"');
      current = { header, line: lineNo, entries: [] };
      sections.push(current);
      parent = undefined;
      if (indent === 0 || !cliOption) cliOption = undefined;
      sectionKeys = new Map();
      continue;
    }
    const eq = content.indexOf('=');
    const indented = raw.length > 0 && /^\s/.test(raw);
    if (!current) {
      throw new IniSyntaxError(file, lineNo, `"${truncate(content)}" appears before any [section] header`);
    }
    const colon = content.indexOf(':');
    if (colon > 0 && (eq < 0 || colon < eq) && /^[\w.-]+$/.test(content.slice(0, colon).trim())) {
      // configparser splits on the first "=" or ":"; the SDK only on "=".
      const k = content.slice(0, colon).trim();
      const v = content.slice(colon + 1).trim();
      issues.push({
        line: lineNo,
        severity: eq < 0 ? 'warn' : 'fail',
        message:
          eq < 0
            ? `"${truncate(content)}" uses ":": the AWS CLI reads it as ${k} = ${truncate(v)}, the JavaScript SDK (Claude Code) ignores the line. Fix: write "${k} = ${truncate(v)}"`
            : `"${truncate(content)}": the AWS CLI splits at the first ":" (key "${k}"), the JavaScript SDK at the first "=" (key "${truncate(content.slice(0, eq).trim())}"). Fix: write the key without ":"`,
      });
      if (eq < 0) {
        cliOption = { key: k.toLowerCase(), line: lineNo, indent, value: v };
        continue;
      }
    }
    if (eq <= 0) {
      throw new IniSyntaxError(
        file,
        lineNo,
        eq === 0
          ? `"${truncate(content)}" has no key before "="`
          : `"${truncate(content)}" is not "key = value" (missing "=")`,
      );
    }
    const rawKey = content.slice(0, eq).trim();
    const value = content.slice(eq + 1).trim();
    const key = rawKey.toLowerCase();
    if (/\s/.test(rawKey)) {
      throw new IniSyntaxError(file, lineNo, `key "${truncate(rawKey)}" contains spaces`);
    }
    const continuation = cliOption !== undefined && indent > cliOption.indent;
    if (!continuation) {
      cliOption = { key, line: lineNo, indent, value };
      const prev = sectionKeys.get(key);
      if (prev !== undefined) {
        issues.push({
          line: lineNo,
          severity: 'fail',
          message: `"${key}" is set twice in [${current.header}] (lines ${prev} and ${lineNo}): the AWS CLI refuses the whole file ("Unable to parse config file"), the JavaScript SDK uses the last value. Fix: delete one of the two lines`,
        });
      } else sectionKeys.set(key, lineNo);
    }
    if (value === '') {
      // `s3 =` opens a nested block of indented sub-keys (SDK and CLI both support this).
      parent = key;
      continue;
    }
    if (parent && !indented) parent = undefined;
    if (rawKey !== key && !parent) {
      issues.push({
        line: lineNo,
        severity: 'warn',
        message: `key "${rawKey}" is not lower-case: the AWS CLI accepts it but the JavaScript SDK (used by Claude Code) ignores it`,
      });
    }
    if (inlineComment) {
      issues.push({
        line: lineNo,
        severity: 'warn',
        message: `inline comment after "${key}": the AWS CLI reads it as part of the value ("${truncate(raw.slice(raw.indexOf('=') + 1).trim())}") while the JavaScript SDK drops it; put comments on their own line`,
      });
    }
    current.entries.push({ key, rawKey, value, line: lineNo, ...(parent ? { parent } : {}) });
  }
  return { sections, issues };
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
