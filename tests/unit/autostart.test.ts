// Launch at login on Linux: the XDG autostart entry the glue writes for the packaged app.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { desktopExecQuote, linuxAutostartFile, setLinuxAutostart } from '../../electron/node/autostart';

const dir = mkdtempSync(join(tmpdir(), 'elevate-autostart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Linux autostart entry', () => {
  it('writes a desktop entry under $XDG_CONFIG_HOME/autostart with a quoted Exec, and removes it', () => {
    const env = { XDG_CONFIG_HOME: join(dir, 'cfg'), HOME: join(dir, 'home') };
    const exe = '/opt/My Apps/Elevate "beta"/elevate$1.AppImage';
    const file = setLinuxAutostart(true, exe, env);
    expect(file).toBe(join(dir, 'cfg', 'autostart', 'elevate.desktop'));
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('[Desktop Entry]\nType=Application\nName=Elevate\n');
    // Spec: \" inside the quotes, and the string-level unescape first turns \\ into \ (so \\" in the file).
    expect(text).toContain('Exec="/opt/My Apps/Elevate \\\\"beta\\\\"/elevate\\\\$1.AppImage" --hidden\n');
    expect(parseExec(/^Exec=(.*)$/m.exec(text)![1]!)).toEqual([exe, '--hidden']);
    setLinuxAutostart(false, exe, env);
    expect(existsSync(file)).toBe(false);
  });

  it('defaults to ~/.config/autostart and escapes backslashes and backticks', () => {
    expect(linuxAutostartFile({ HOME: '/home/u' })).toBe('/home/u/.config/autostart/elevate.desktop');
    // a\b`c → "a\\b\`c" quoted, then every backslash doubled for the key's string unescaping.
    expect(desktopExecQuote('a\\b`c')).toBe('"a\\\\\\\\b\\\\`c"');
  });

  it('hostile paths round-trip through a Desktop Entry spec parser; % is not a field code; newlines refused', () => {
    for (const p of [
      '/opt/a b/%f %U %%/x',
      '/opt/q"uo\'te/$(id)/`id`/\\srv\\share\\',
      '/tmp/\\"; rm -rf ~; "',
      '/opt/ünï cödé/ä.AppImage',
    ]) {
      expect(parseExec(`${desktopExecQuote(p)} --hidden`), p).toEqual([p, '--hidden']);
    }
    expect(() => desktopExecQuote('/opt/a\nExec=/bin/evil')).toThrow(/newline/);
  });
});

/**
 * Reference reading of an Exec value (Desktop Entry spec 1.5): string-level unescape, then field codes
 * (only %% here), then quoting (double quotes; \ escapes ", `, $ and \ inside them).
 */
function parseExec(value: string): string[] {
  const str = value.replace(/\\([sntr\\])/g, (_m, c: string) =>
    c === 's' ? ' ' : c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : '\\',
  );
  let s = '';
  for (let i = 0; i < str.length; i++) {
    if (str[i] !== '%') s += str[i];
    else if (str[i + 1] === '%') s += str[i++];
    else throw new Error(`field code %${str[i + 1]} in ${value}`);
  }
  const args: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === ' ') {
      i++;
      continue;
    }
    let arg = '';
    if (s[i] === '"') {
      i++;
      while (s[i] !== '"') {
        if (i >= s.length) throw new Error('unterminated quote');
        if (s[i] === '\\') {
          if (!'"`$\\'.includes(s[i + 1]!)) throw new Error(`bad escape in ${value}`);
          i++;
        }
        arg += s[i++];
      }
      i++;
    } else while (i < s.length && s[i] !== ' ') arg += s[i++];
    args.push(arg);
  }
  return args;
}
