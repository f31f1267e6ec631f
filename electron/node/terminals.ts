// Terminal adapters: open a new window that runs one argv. Every launch passes only
// `<elevate> run --session <id>` (see launcher.ts), so no user data needs to reach a terminal's command
// line; the cwd and title do, and they go as separate argv elements wherever the terminal allows.
//
// Each adapter is a pure argv builder: `argv(command, {title, cwd})` returns the argv to spawn. Where a
// terminal only accepts a command *string* (lxterminal -e, Terminal.app/iTerm2 `do script`/`write text`,
// cmd.exe `start`), the string is built with shared/quote.ts and nothing else. AppleScript text is
// constant: the command line and title reach osascript as `argv` items after `--`, never spliced in.
//
// The title is also set by `elevate run` itself (OSC 0), so terminals without a title option still show it.
//
// API:
//   knownTerminals(platform?)                      ids valid on a platform
//   pickTerminal({env, platform, requested, deps})  adapter: requested (settings.terminal / --terminal) or
//                                                  the first detected; TerminalError lists the known ids
//   openTerminal(adapter, command, opts, {env})    spawn detached, resolve once started; rejects on an
//                                                  immediate failure (missing binary, no display, …)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import { quoteCmd, quoteSh, shellLine } from '../../shared/quote';
import { which } from './which';
import type { Env } from './paths';

export interface TerminalOpts {
  title: string;
  cwd: string;
}

export interface DetectDeps {
  which(cmd: string, env: Env): string | null;
  exists(p: string): boolean;
  realpath(p: string): string;
}

export interface TerminalAdapter {
  id: string;
  label: string;
  platform: NodeJS.Platform;
  /** Program run to open the window (name on PATH or absolute path). */
  program: string;
  /** How it was chosen: 'requested', '$TERMINAL', 'x-terminal-emulator' or 'detected'. */
  via?: string;
  detect(env: Env, deps?: DetectDeps): boolean;
  argv(command: readonly string[], opts: TerminalOpts): string[];
  /** cmd.exe: the argv is already quoted for cmd and must be passed verbatim. */
  windowsVerbatimArguments?: boolean;
}

export class TerminalError extends Error {
  constructor(
    readonly code: 'unknown-terminal' | 'terminal-missing' | 'no-terminal' | 'terminal-failed',
    message: string,
  ) {
    super(message);
    this.name = 'TerminalError';
  }
}

export const realDeps: DetectDeps = {
  which: (cmd, env) => which(cmd, env),
  exists: (p) => fs.existsSync(p),
  realpath: (p) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return p;
    }
  },
};

function nonEmpty(command: readonly string[]): void {
  if (command.length === 0) throw new Error('terminal: empty command');
}

type Builder = (program: string, command: readonly string[], o: TerminalOpts) => string[];

/** AppleScript, constant text. The last two argv items are the command line and the title. */
const TERMINAL_APP_SCRIPT = [
  'on run argv',
  'set cmdLine to item -2 of argv',
  'set winTitle to item -1 of argv',
  'tell application "Terminal"',
  'activate',
  'set t to do script cmdLine',
  'set custom title of t to winTitle',
  'end tell',
  'end run',
];

const ITERM_SCRIPT = [
  'on run argv',
  'set cmdLine to item -2 of argv',
  'set winTitle to item -1 of argv',
  'tell application "iTerm"',
  'activate',
  'set w to (create window with default profile)',
  'tell current session of w',
  'set name to winTitle',
  'write text cmdLine',
  'end tell',
  'end tell',
  'end run',
];

function osascript(script: string[]): Builder {
  return (program, command, o) => {
    nonEmpty(command);
    // The line is typed into the user's login shell; it holds only the self command (app path, script
    // path, `run --session <id>`), quoted for POSIX shells (also valid in fish for such values).
    return [program, ...script.flatMap((l) => ['-e', l]), '--', shellLine(command, quoteSh), o.title];
  };
}

/** Windows Terminal treats `;` as its own command separator, even after `--`: escape it. */
const wtEsc = (s: string) => s.replace(/;/g, '\\;');

const BUILDERS: Record<
  string,
  { label: string; platform: NodeJS.Platform; programs: string[]; build: Builder }
> = {
  'terminal-app': {
    label: 'Terminal.app',
    platform: 'darwin',
    programs: ['osascript'],
    build: osascript(TERMINAL_APP_SCRIPT),
  },
  iterm2: { label: 'iTerm2', platform: 'darwin', programs: ['osascript'], build: osascript(ITERM_SCRIPT) },
  'gnome-terminal': {
    label: 'GNOME Terminal',
    platform: 'linux',
    programs: ['gnome-terminal'],
    // --title was removed from gnome-terminal; the runner's OSC title covers it.
    build: (p, c, o) => (nonEmpty(c), [p, `--working-directory=${o.cwd}`, '--', ...c]),
  },
  konsole: {
    label: 'Konsole',
    platform: 'linux',
    programs: ['konsole'],
    // No `-p tabtitle=…`: konsole splits -p values on ';' into more profile properties.
    build: (p, c, o) => (nonEmpty(c), [p, '--workdir', o.cwd, '-e', ...c]),
  },
  kitty: {
    label: 'kitty',
    platform: 'linux',
    programs: ['kitty'],
    build: (p, c, o) => (nonEmpty(c), [p, '--title', o.title, '--directory', o.cwd, ...c]),
  },
  alacritty: {
    label: 'Alacritty',
    platform: 'linux',
    programs: ['alacritty'],
    build: (p, c, o) => (nonEmpty(c), [p, '--title', o.title, '--working-directory', o.cwd, '-e', ...c]),
  },
  wezterm: {
    label: 'WezTerm',
    platform: 'linux',
    programs: ['wezterm'],
    build: (p, c, o) => (nonEmpty(c), [p, 'start', '--cwd', o.cwd, '--', ...c]),
  },
  xterm: {
    label: 'xterm',
    platform: 'linux',
    programs: ['xterm'],
    build: (p, c, o) => (nonEmpty(c), [p, '-T', o.title, '-e', ...c]),
  },
  lxterminal: {
    label: 'LXTerminal',
    platform: 'linux',
    programs: ['lxterminal'],
    // -e takes one command string (parsed shell-style by lxterminal): quoted with quoteSh.
    build: (p, c, o) => (
      nonEmpty(c),
      [p, `--title=${o.title}`, `--working-directory=${o.cwd}`, '-e', shellLine(c, quoteSh)]
    ),
  },
  'x-terminal-emulator': {
    label: 'x-terminal-emulator (Debian alternative)',
    platform: 'linux',
    programs: ['x-terminal-emulator'],
    // Debian policy: -e takes the rest of the argv and execs it, as xterm does.
    build: (p, c) => (nonEmpty(c), [p, '-e', ...c]),
  },
  wt: {
    label: 'Windows Terminal',
    platform: 'win32',
    programs: ['wt.exe', 'wt'],
    build: (p, c, o) => (
      nonEmpty(c),
      [p, '-w', 'new', 'new-tab', '--title', wtEsc(o.title), '-d', wtEsc(o.cwd), '--', ...c.map(wtEsc)]
    ),
  },
  cmd: {
    label: 'Command Prompt (cmd.exe start)',
    platform: 'win32',
    programs: ['cmd.exe', 'cmd'],
    // One command line for cmd.exe, every piece quoted with quoteCmd, passed verbatim.
    build: (p, c, o) => (
      nonEmpty(c),
      [p, '/d', '/c', `start ${quoteCmd(o.title)} /D ${quoteCmd(o.cwd)} ${c.map(quoteCmd).join(' ')}`]
    ),
  },
};

const ALIASES: Record<string, string> = {
  terminal: 'terminal-app',
  'terminal.app': 'terminal-app',
  iterm: 'iterm2',
  'iterm.app': 'iterm2',
  'windows-terminal': 'wt',
  'wt.exe': 'wt',
  'cmd.exe': 'cmd',
  'gnome-terminal.wrapper': 'gnome-terminal',
  // Debian's xterm wrappers (x-terminal-emulator often points at lxterm): xterm's own options.
  lxterm: 'xterm',
  uxterm: 'xterm',
};

/** Detection order per platform ($TERMINAL is consulted first on Linux). */
const ORDER: Partial<Record<NodeJS.Platform, string[]>> = {
  darwin: ['iterm2', 'terminal-app'],
  linux: [
    'x-terminal-emulator',
    'gnome-terminal',
    'konsole',
    'kitty',
    'alacritty',
    'wezterm',
    'xterm',
    'lxterminal',
  ],
  win32: ['wt', 'cmd'],
};

const MAC_APPS: Record<string, string[]> = {
  iterm2: ['/Applications/iTerm.app'],
  'terminal-app': ['/System/Applications/Utilities/Terminal.app', '/Applications/Utilities/Terminal.app'],
};

function platformKey(p: NodeJS.Platform): NodeJS.Platform {
  return p === 'darwin' || p === 'win32' ? p : 'linux';
}

/** The adapter for an id (or alias), optionally run through a given program path. */
export function adapterFor(id: string, program?: string, via?: string): TerminalAdapter | null {
  const key = ALIASES[id.toLowerCase()] ?? id.toLowerCase();
  const b = Object.hasOwn(BUILDERS, key) ? BUILDERS[key] : undefined;
  if (!b) return null;
  const prog = program ?? b.programs[0]!;
  return {
    id: key,
    label: b.label,
    platform: b.platform,
    program: prog,
    ...(via ? { via } : {}),
    ...(key === 'cmd' ? { windowsVerbatimArguments: true } : {}),
    detect(env, deps = realDeps) {
      if (b.platform === 'darwin') {
        const home = env.HOME || os.homedir();
        const apps = MAC_APPS[key] ?? [];
        const found = [...apps, ...apps.map((a) => path.join(home, a))].some((a) => deps.exists(a));
        return found && deps.which('osascript', env) !== null;
      }
      if (program) return deps.which(program, env) !== null;
      return b.programs.some((p) => deps.which(p, env) !== null);
    },
    argv(command, opts) {
      const found = program ?? b.programs[0]!;
      return b.build(found, command, opts);
    },
  };
}

/** An unknown program named by $TERMINAL: the common `-e prog args…` convention. */
function genericTerminal(program: string): TerminalAdapter {
  return {
    id: '$TERMINAL',
    label: `$TERMINAL (${program})`,
    platform: 'linux',
    program,
    via: '$TERMINAL',
    detect: (env, deps = realDeps) => deps.which(program, env) !== null,
    argv: (command) => (nonEmpty(command), [program, '-e', ...command]),
  };
}

export function knownTerminals(platform?: NodeJS.Platform): string[] {
  return Object.entries(BUILDERS)
    .filter(([, b]) => !platform || b.platform === platformKey(platform))
    .map(([id]) => id);
}

/** Which known adapter a program path really is (follows symlinks such as /etc/alternatives). */
function identify(programPath: string, deps: DetectDeps): string | null {
  for (const p of [programPath, deps.realpath(programPath)]) {
    const base = path
      .basename(p)
      .toLowerCase()
      .replace(/\.exe$/, '');
    const key = ALIASES[base] ?? base;
    if (Object.hasOwn(BUILDERS, key) && key !== 'x-terminal-emulator') return key;
  }
  return null;
}

export interface PickOptions {
  env?: Env;
  platform?: NodeJS.Platform;
  /** settings.terminal or --terminal. */
  requested?: string | undefined;
  deps?: DetectDeps;
}

export function pickTerminal(opts: PickOptions = {}): TerminalAdapter {
  const env = opts.env ?? process.env;
  const platform = platformKey(opts.platform ?? process.platform);
  const deps = opts.deps ?? realDeps;
  const known = knownTerminals(platform);
  if (opts.requested) {
    const a = adapterFor(opts.requested);
    if (!a || a.platform !== platform) {
      throw new TerminalError(
        'unknown-terminal',
        `unknown terminal "${opts.requested}" on ${platform}: known terminals are ${known.join(', ')}`,
      );
    }
    if (!a.detect(env, deps)) {
      throw new TerminalError(
        'terminal-missing',
        `terminal "${a.id}" (${a.label}) is not installed or not on PATH`,
      );
    }
    return { ...a, via: 'requested' };
  }
  if (platform === 'linux' && env.TERMINAL) {
    const found = deps.which(env.TERMINAL, env);
    if (found) {
      const key = identify(found, deps);
      return key ? adapterFor(key, env.TERMINAL, '$TERMINAL')! : genericTerminal(env.TERMINAL);
    }
  }
  for (const id of ORDER[platform] ?? []) {
    const a = adapterFor(id)!;
    if (!a.detect(env, deps)) continue;
    if (id === 'x-terminal-emulator') {
      const found = deps.which('x-terminal-emulator', env)!;
      const key = identify(found, deps);
      if (key) {
        // Use the real terminal's own syntax (lxterminal's -e is not Debian-policy -e).
        const own = adapterFor(key)!;
        const program = own.detect(env, deps) ? own.program : deps.realpath(found);
        return adapterFor(key, program, 'x-terminal-emulator')!;
      }
    }
    return { ...a, via: 'detected' };
  }
  throw new TerminalError(
    'no-terminal',
    `no terminal found on ${platform}: install one of ${known.join(', ')} or set "terminal" in Elevate settings`,
  );
}

export interface OpenOptions {
  env?: Env;
  /** How long to watch for an immediate failure (exit ≠ 0) before treating the window as open. */
  settleMs?: number;
}

export interface OpenedTerminal {
  pid: number | undefined;
  argv: string[];
}

/**
 * Spawn the terminal detached (it outlives Elevate) and resolve once it has started. A missing program,
 * or a terminal that exits non-zero within `settleMs` (no display, bad option…), rejects with its stderr.
 * stderr goes to an unlinked temp file, not a pipe, so a terminal writing later never gets SIGPIPE.
 */
export function openTerminal(
  adapter: TerminalAdapter,
  command: readonly string[],
  opts: TerminalOpts,
  o: OpenOptions = {},
): Promise<OpenedTerminal> {
  const argv = adapter.argv(command, opts);
  const settleMs = o.settleMs ?? 250;
  const errFile = path.join(os.tmpdir(), `elevate-term-${crypto.randomBytes(6).toString('hex')}.log`);
  const fd = fs.openSync(errFile, 'w+', 0o600);
  const cleanup = () => {
    try {
      fs.closeSync(fd);
    } catch {
      /* already closed */
    }
    fs.rmSync(errFile, { force: true });
  };
  const stderrText = () => {
    try {
      return fs.readFileSync(errFile, 'utf8').trim().slice(0, 2000);
    } catch {
      return '';
    }
  };
  return new Promise((resolve, reject) => {
    let done = false;
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: opts.cwd,
      env: (o.env ?? process.env) as NodeJS.ProcessEnv,
      detached: true,
      stdio: ['ignore', 'ignore', fd],
      windowsHide: false,
      ...(adapter.windowsVerbatimArguments ? { windowsVerbatimArguments: true } : {}),
    });
    const finish = (e?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const text = e ? stderrText() : '';
      cleanup();
      child.unref();
      if (e) reject(new TerminalError('terminal-failed', text ? `${e.message}: ${text}` : e.message));
      else resolve({ pid: child.pid, argv });
    };
    const timer = setTimeout(() => finish(), settleMs);
    child.once('error', (e) =>
      finish(new Error(`cannot start ${adapter.label} (${argv[0]}): ${(e as Error).message}`)),
    );
    child.once('exit', (code, signal) => {
      if (code === 0) finish();
      else finish(new Error(`${adapter.label} exited at once (${signal ?? `code ${code}`})`));
    });
  });
}

/** Doctor check (a DoctorExtension): which terminal `elevate launch` would open, or why none. */
export function terminalDoctor(
  env: Env = process.env,
  platform: NodeJS.Platform = process.platform,
): (ctx: { settings: { terminal?: string | undefined } }) => Array<{
  id: string;
  status: 'ok' | 'warn' | 'fail';
  message: string;
  fix?: string;
}> {
  return (ctx) => {
    try {
      const a = pickTerminal({ env, platform, requested: ctx.settings.terminal });
      const how = a.via === 'requested' ? 'set in Elevate settings' : `found via ${a.via ?? 'detection'}`;
      return [{ id: 'terminal', status: 'ok', message: `launches open ${a.label} (${a.program}; ${how})` }];
    } catch (e) {
      return [
        {
          id: 'terminal',
          status: 'warn',
          message: (e as Error).message,
          fix: `set "terminal" in Elevate settings to one of: ${knownTerminals(platformKey(platform)).join(', ')}`,
        },
      ];
    }
  };
}
