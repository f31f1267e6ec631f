// Quoting is proved by round-tripping hostile strings through the real shells.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { quoteCmd, quoteFish, quotePowerShell, quoteSh, shellLine } from '../../shared/quote';

export const HOSTILE = [
  'plain',
  'with space',
  "it's",
  '"double"',
  '$(touch pwned)',
  '`touch pwned`',
  '$HOME ${HOME}',
  'semi;colon && or || pipe | amp &',
  'new\nline',
  'tab\there',
  'back\\slash\\',
  'glob * ? [a]',
  'ünïcødé ✓ 日本',
  '-dash-first',
  '',
  "'; touch pwned; '",
];

const printArgs = 'for a in "$@"; do printf "%s\\0" "$a"; done';

describe('quoteSh', () => {
  it('round-trips every hostile string through /bin/sh', () => {
    const line = `set -- ${shellLine(HOSTILE)}; ${printArgs}`;
    const outp = execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8' });
    expect(outp.split('\0').slice(0, -1)).toEqual(HOSTILE);
  });

  it('round-trips through bash', () => {
    const outp = execFileSync('bash', ['-c', `set -- ${shellLine(HOSTILE)}; ${printArgs}`], {
      encoding: 'utf8',
    });
    expect(outp.split('\0').slice(0, -1)).toEqual(HOSTILE);
  });

  it('leaves safe words bare', () => {
    expect(quoteSh('claudecode-readonly')).toBe('claudecode-readonly');
    expect(quoteSh('a b')).toBe("'a b'");
  });
});

describe('quoteFish', () => {
  it.skipIf(!existsSync('/usr/bin/fish'))(
    'round-trips every hostile string through fish (skipped: fish not installed)',
    () => {
      const line = `for a in ${HOSTILE.map(quoteFish).join(' ')}; printf '%s\\0' $a; end`;
      const outp = execFileSync('/usr/bin/fish', ['--no-config', '-c', line], { encoding: 'utf8' });
      // fish's `for` skips nothing, but printf with an empty list prints nothing for an empty string argument.
      expect(outp.split('\0').slice(0, -1)).toEqual(HOSTILE);
    },
  );
});

describe('quotePowerShell and quoteCmd', () => {
  it('doubles single quotes for PowerShell', () => {
    expect(quotePowerShell("it's $(x)")).toBe("'it''s $(x)'");
  });

  it('PowerShell: typographic single quotes (which also end a PowerShell literal) are doubled too', () => {
    // Reference: PowerShell's tokenizer reads a single-quoted literal up to any of these five characters;
    // two in a row stand for the second one.
    const Q = "'\u2018\u2019\u201A\u201B";
    const readLiteral = (s: string): { value: string; rest: string } => {
      if (!Q.includes(s[0]!)) throw new Error('not a literal');
      let value = '';
      let i = 1;
      for (; i < s.length; i++) {
        if (Q.includes(s[i]!)) {
          if (!Q.includes(s[i + 1] ?? '')) break;
          i++;
        }
        value += s[i];
      }
      return { value, rest: s.slice(i + 1) };
    };
    for (const v of [
      'Bob\u2019s',
      'x\u2019; Remove-Item -Recurse ~; \u2018',
      "a''\u201A\u201B'b",
      '$(calc)',
      '',
    ]) {
      const r = readLiteral(`${quotePowerShell(v)}; rest`);
      expect(r.value, v).toBe(v);
      expect(r.rest).toBe('; rest');
    }
  });

  it('escapes cmd metacharacters and quotes for CommandLineToArgvW', () => {
    expect(quoteCmd('a b')).toBe('^"a b^"');
    expect(quoteCmd('x & del *')).toBe('^"x ^& del *^"');
    expect(quoteCmd('say "hi"\\')).toBe('^"say \\^"hi\\^"\\\\^"');
    expect(() => quoteCmd('a\nb')).toThrow(/newline/);
  });
});
