// Terminal adapters are pure argv builders. Hostile cwd/title/command elements must reach the terminal
// either as whole argv elements (exact) or, where a terminal takes a command string, quoted so that a
// real shell parses it back to the same argv — and runs nothing injected (checked in a temp dir).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  adapterFor,
  knownTerminals,
  pickTerminal,
  TerminalError,
  terminalDoctor,
  type DetectDeps,
} from '../../electron/node/terminals';
import { quoteCmd } from '../../shared/quote';

const HOSTILE = [
  'with space',
  "it's",
  '"double"',
  '$(touch pwned)',
  '`touch pwned`',
  '$HOME ${HOME}',
  'semi;colon && or || pipe | amp & > out < in',
  'new\nline',
  'tab\there',
  'back\\slash\\',
  'glob * ? [a]',
  'ünïcødé ✓ 日本 🚀',
  '-dash-first',
  '',
  "'; touch pwned; '",
];
const HOSTILE_DIR = `/tmp/proj it's "q" $(touch pwned) \`touch pwned\` ü\nnl`;
const HOSTILE_TITLE = `claude-ro · prof;ile "$(touch pwned)" \`id\` ü\n`;
// What a launch really passes: the self command (paths may have spaces) plus hostile extras to prove quoting.
const COMMAND = ['/opt/My Apps/node', '/opt/My Apps/bin/elevate.cjs', 'run', '--session', 'x', ...HOSTILE];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elevate-terms-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Parse a command line with the real /bin/sh (in an empty dir) and return its words. */
function shWords(line: string): string[] {
  const dir = fs.mkdtempSync(path.join(tmp, 'sh-'));
  const out = execFileSync(
    '/bin/sh',
    ['-c', `eval "set -- $1"; for a in "$@"; do printf '%s\\0' "$a"; done`, 'sh', line],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  );
  expect(fs.readdirSync(dir)).toEqual([]); // nothing injected ran
  return out.split('\0').slice(0, -1);
}

const OPTS = { title: HOSTILE_TITLE, cwd: HOSTILE_DIR };

describe('argv adapters: command, cwd and title are whole argv elements', () => {
  const cases: Record<string, (c: string[]) => string[]> = {
    xterm: (c) => ['xterm', '-T', HOSTILE_TITLE, '-e', ...c],
    'gnome-terminal': (c) => ['gnome-terminal', `--working-directory=${HOSTILE_DIR}`, '--', ...c],
    konsole: (c) => ['konsole', '--workdir', HOSTILE_DIR, '-e', ...c],
    kitty: (c) => ['kitty', '--title', HOSTILE_TITLE, '--directory', HOSTILE_DIR, ...c],
    alacritty: (c) => ['alacritty', '--title', HOSTILE_TITLE, '--working-directory', HOSTILE_DIR, '-e', ...c],
    wezterm: (c) => ['wezterm', 'start', '--cwd', HOSTILE_DIR, '--', ...c],
    'x-terminal-emulator': (c) => ['x-terminal-emulator', '-e', ...c],
  };
  for (const [id, expected] of Object.entries(cases)) {
    it(id, () => {
      const a = adapterFor(id)!;
      expect(a.platform).toBe('linux');
      expect(a.argv(COMMAND, OPTS)).toEqual(expected(COMMAND));
    });
  }

  it('an adapter run through another program path (x-terminal-emulator → real binary) uses that path', () => {
    expect(adapterFor('xterm', '/usr/bin/xterm')!.argv(['a', 'b'], OPTS)[0]).toBe('/usr/bin/xterm');
  });

  it('an empty command is refused', () => {
    expect(() => adapterFor('xterm')!.argv([], OPTS)).toThrow(/empty command/);
  });
});

describe('command-string adapters round-trip through a real shell', () => {
  it('lxterminal: -e gets one string that /bin/sh parses back to the exact argv', () => {
    const argv = adapterFor('lxterminal')!.argv(COMMAND, OPTS);
    expect(argv.slice(0, 4)).toEqual([
      'lxterminal',
      `--title=${HOSTILE_TITLE}`,
      `--working-directory=${HOSTILE_DIR}`,
      '-e',
    ]);
    expect(argv).toHaveLength(5);
    expect(shWords(argv[4]!)).toEqual(COMMAND);
  });

  for (const id of ['terminal-app', 'iterm2']) {
    it(`${id}: osascript script text is constant; command line and title are argv items after --`, () => {
      const a = adapterFor(id)!;
      expect(a.platform).toBe('darwin');
      const argv = a.argv(COMMAND, OPTS);
      const benign = a.argv(['/x', 'run'], { title: 't', cwd: '/' });
      expect(argv[0]).toBe('osascript');
      const dd = argv.indexOf('--');
      // The -e script is identical whatever the data: nothing is spliced into it.
      expect(argv.slice(0, dd)).toEqual(benign.slice(0, benign.indexOf('--')));
      const script = argv.slice(1, dd).filter((_, i) => i % 2 === 1);
      expect(
        argv
          .slice(1, dd)
          .filter((_, i) => i % 2 === 0)
          .every((e) => e === '-e'),
      ).toBe(true);
      expect(script[0]).toBe('on run argv');
      expect(script.join('\n')).toMatch(/item -2 of argv[\s\S]*item -1 of argv/);
      expect(argv.slice(dd + 1)).toHaveLength(2);
      expect(argv[argv.length - 1]).toBe(HOSTILE_TITLE);
      expect(shWords(argv[argv.length - 2]!)).toEqual(COMMAND);
    });
  }
});

describe('Windows adapters', () => {
  it('wt: argv elements exact except ; escaped for wt', () => {
    const argv = adapterFor('wt')!.argv(['C:\\a b\\elevate.exe', 'x;y', 'run'], {
      title: 't;1',
      cwd: 'C:\\p;q',
    });
    expect(argv).toEqual([
      'wt.exe',
      '-w',
      'new',
      'new-tab',
      '--title',
      't\\;1',
      '-d',
      'C:\\p\\;q',
      '--',
      'C:\\a b\\elevate.exe',
      'x\\;y',
      'run',
    ]);
  });

  /** cmd.exe phase 2 in short: ^x is a literal x; an unescaped & | < > would split or redirect. */
  function cmdUnescapedSpecials(line: string): string[] {
    const found: string[] = [];
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '^') {
        i++;
        continue;
      }
      if ('&|<>'.includes(line[i]!)) found.push(line[i]!);
    }
    return found;
  }

  it('cmd: one verbatim command line, every piece quoteCmd-quoted, no unescaped & | < >', () => {
    const a = adapterFor('cmd')!;
    expect(a.windowsVerbatimArguments).toBe(true);
    const cmdSafe = HOSTILE.filter((h) => !/[\r\n]/.test(h));
    const title = 'claude-ro · a&b|c';
    const cwd = 'C:\\Users\\me\\p (x) & y';
    const argv = a.argv(['C:\\app\\elevate.exe', ...cmdSafe], { title, cwd });
    expect(argv.slice(0, 3)).toEqual(['cmd.exe', '/d', '/c']);
    expect(argv).toHaveLength(4);
    expect(argv[3]).toBe(
      `start ${quoteCmd(title)} /D ${quoteCmd(cwd)} ${['C:\\app\\elevate.exe', ...cmdSafe].map(quoteCmd).join(' ')}`,
    );
    expect(cmdUnescapedSpecials(argv[3]!)).toEqual([]);
  });

  it('cmd: a newline anywhere is refused (cmd cannot carry it safely)', () => {
    expect(() => adapterFor('cmd')!.argv(['a'], { title: 't', cwd: 'C:\\new\nline' })).toThrow(/newline/);
  });
});

function fakeDeps(
  onPath: Record<string, string>,
  files: string[] = [],
  links: Record<string, string> = {},
): DetectDeps {
  return {
    which: (cmd) =>
      cmd.startsWith('/') ? (Object.values(onPath).includes(cmd) ? cmd : null) : (onPath[cmd] ?? null),
    exists: (p) => files.includes(p),
    realpath: (p) => links[p] ?? p,
  };
}

describe('detection and overrides', () => {
  it('Linux: $TERMINAL naming a known terminal uses its syntax', () => {
    const a = pickTerminal({
      env: { TERMINAL: 'kitty' },
      platform: 'linux',
      deps: fakeDeps({ kitty: '/usr/bin/kitty', xterm: '/usr/bin/xterm' }),
    });
    expect([a.id, a.via]).toEqual(['kitty', '$TERMINAL']);
    expect(a.argv(['p'], { title: 't', cwd: '/c' })).toEqual([
      'kitty',
      '--title',
      't',
      '--directory',
      '/c',
      'p',
    ]);
  });

  it('Linux: an unknown $TERMINAL gets the common `-e prog args` form', () => {
    const a = pickTerminal({
      env: { TERMINAL: 'foot' },
      platform: 'linux',
      deps: fakeDeps({ foot: '/usr/bin/foot' }),
    });
    expect(a.id).toBe('$TERMINAL');
    expect(a.argv(['p', 'q r'], { title: 't', cwd: '/c' })).toEqual(['foot', '-e', 'p', 'q r']);
  });

  it('Linux: x-terminal-emulator pointing at lxterminal uses lxterminal syntax (its -e takes one string)', () => {
    const a = pickTerminal({
      env: {},
      platform: 'linux',
      deps: fakeDeps(
        { 'x-terminal-emulator': '/usr/bin/x-terminal-emulator', lxterminal: '/usr/bin/lxterminal' },
        [],
        { '/usr/bin/x-terminal-emulator': '/usr/bin/lxterminal' },
      ),
    });
    expect([a.id, a.via, a.program]).toEqual(['lxterminal', 'x-terminal-emulator', 'lxterminal']);
  });

  it('Linux: x-terminal-emulator pointing at lxterm (Debian xterm wrapper) uses xterm syntax', () => {
    const a = pickTerminal({
      env: {},
      platform: 'linux',
      deps: fakeDeps({ 'x-terminal-emulator': '/usr/bin/x-terminal-emulator', xterm: '/usr/bin/xterm' }, [], {
        '/usr/bin/x-terminal-emulator': '/usr/bin/lxterm',
      }),
    });
    expect([a.id, a.program]).toEqual(['xterm', 'xterm']);
  });

  it('Linux: the first present in order wins (gnome-terminal before xterm)', () => {
    const a = pickTerminal({
      env: {},
      platform: 'linux',
      deps: fakeDeps({ xterm: '/usr/bin/xterm', 'gnome-terminal': '/usr/bin/gnome-terminal' }),
    });
    expect(a.id).toBe('gnome-terminal');
  });

  it('a requested terminal (settings / --terminal) overrides detection; aliases work', () => {
    const deps = fakeDeps({ xterm: '/usr/bin/xterm', 'gnome-terminal': '/usr/bin/gnome-terminal' });
    expect(pickTerminal({ env: {}, platform: 'linux', requested: 'xterm', deps }).id).toBe('xterm');
    const mac = fakeDeps({ osascript: '/usr/bin/osascript' }, [
      '/System/Applications/Utilities/Terminal.app',
    ]);
    expect(
      pickTerminal({ env: { HOME: '/h' }, platform: 'darwin', requested: 'Terminal.app', deps: mac }).id,
    ).toBe('terminal-app');
  });

  it('an unknown name is a clear error listing the known ones', () => {
    try {
      pickTerminal({ env: {}, platform: 'linux', requested: 'hyper', deps: fakeDeps({}) });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TerminalError);
      expect((e as TerminalError).code).toBe('unknown-terminal');
      for (const id of knownTerminals('linux')) expect((e as Error).message).toContain(id);
    }
    expect(() =>
      pickTerminal({ env: {}, platform: 'linux', requested: 'iterm2', deps: fakeDeps({}) }),
    ).toThrow(/unknown terminal "iterm2" on linux/);
  });

  it('a requested terminal that is not installed says so; nothing at all says what to install', () => {
    expect(() =>
      pickTerminal({ env: {}, platform: 'linux', requested: 'kitty', deps: fakeDeps({}) }),
    ).toThrow(/not installed/);
    expect(() => pickTerminal({ env: {}, platform: 'linux', deps: fakeDeps({}) })).toThrow(
      /no terminal found/,
    );
  });

  it('macOS: iTerm2 when installed, else Terminal.app', () => {
    const base = { osascript: '/usr/bin/osascript' };
    const term = ['/System/Applications/Utilities/Terminal.app'];
    expect(pickTerminal({ env: { HOME: '/h' }, platform: 'darwin', deps: fakeDeps(base, term) }).id).toBe(
      'terminal-app',
    );
    expect(
      pickTerminal({
        env: { HOME: '/h' },
        platform: 'darwin',
        deps: fakeDeps(base, [...term, '/Applications/iTerm.app']),
      }).id,
    ).toBe('iterm2');
  });

  it('Windows: wt.exe when present, else cmd', () => {
    expect(
      pickTerminal({
        env: {},
        platform: 'win32',
        deps: fakeDeps({ 'wt.exe': 'C:\\wt.exe', 'cmd.exe': 'C:\\cmd.exe' }),
      }).id,
    ).toBe('wt');
    expect(
      pickTerminal({ env: {}, platform: 'win32', deps: fakeDeps({ 'cmd.exe': 'C:\\cmd.exe' }) }).id,
    ).toBe('cmd');
  });
});

describe('terminalDoctor', () => {
  it('reports the terminal a launch would open, or warns with the known ids', () => {
    const bin = fs.mkdtempSync(path.join(tmp, 'bin-'));
    fs.writeFileSync(path.join(bin, 'xterm'), '#!/bin/sh\n', { mode: 0o755 });
    const [ok] = terminalDoctor({ PATH: bin }, 'linux')({ settings: {} });
    expect(ok).toMatchObject({ id: 'terminal', status: 'ok' });
    expect(ok!.message).toContain(path.join(bin, 'xterm').replace(/.*\//, ''));
    const [bad] = terminalDoctor({ PATH: bin }, 'linux')({ settings: { terminal: 'kitty' } });
    expect(bad).toMatchObject({ id: 'terminal', status: 'warn' });
    expect(bad!.message).toMatch(/kitty.*not installed/);
    expect(bad!.fix).toContain('lxterminal');
  });
});
