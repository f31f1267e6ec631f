// Quoting for the shells a terminal or the user's rc file may run. Used only where a command line is
// unavoidable; everything else passes argv arrays.

/** POSIX sh / bash / zsh: single quotes, with ' written as '\'' . */
export function quoteSh(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** fish: single quotes; backslash and ' are escaped inside them. */
export function quoteFish(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/**
 * PowerShell: single-quoted literal, every single-quote character doubled. PowerShell's tokenizer also ends a
 * single-quoted string at the typographic quotes U+2018, U+2019, U+201A and U+201B (a profile named
 * `Bob’s` would otherwise break out), so those are doubled too.
 */
export function quotePowerShell(arg: string): string {
  return `'${arg.replace(/['\u2018\u2019\u201A\u201B]/g, '$&$&')}'`;
}

/** AppleScript string literal (for the rare case a value must appear in script text). */
export function quoteAppleScript(arg: string): string {
  return `"${arg.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * cmd.exe: quote for CommandLineToArgvW, then caret-escape cmd metacharacters so `start`/`cmd /c` cannot
 * interpret them. Newlines cannot be passed safely through cmd and are rejected.
 */
export function quoteCmd(arg: string): string {
  if (/[\r\n]/.test(arg)) throw new Error('cmd.exe cannot receive an argument containing a newline');
  let quoted = '"';
  let backslashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      backslashes++;
      continue;
    }
    if (ch === '"') {
      quoted += '\\'.repeat(backslashes * 2 + 1) + '"';
    } else {
      quoted += '\\'.repeat(backslashes) + ch;
    }
    backslashes = 0;
  }
  quoted += '\\'.repeat(backslashes * 2) + '"';
  return quoted.replace(/[()%!^"<>&|]/g, '^$&');
}

export function shellLine(argv: readonly string[], quote: (a: string) => string = quoteSh): string {
  return argv.map(quote).join(' ');
}

/**
 * One argument of a Desktop Entry `Exec=` key (XDG autostart). Spec: inside double quotes `"`, `` ` ``, `$` and
 * `\` are backslash-escaped; the key's string-level unescaping runs first, so every backslash is doubled
 * again (a literal `\` is written `\\\\`); `%` starts a field code and is written `%%`. Newlines cannot be
 * expressed in an Exec argument and are rejected.
 */
export function quoteDesktopExec(arg: string): string {
  if (/[\r\n]/.test(arg)) throw new Error('a desktop entry Exec argument cannot contain a newline');
  const quoted = `"${arg.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%');
}
