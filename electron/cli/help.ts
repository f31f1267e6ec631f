// The help registry: one declaration per command (`spec`) gives both the parser's options (args.ts) and the
// help text, so they cannot drift. A command module exports `spec = defineCommand({...})`; modules that do
// not export one yet get the fallback below (kept in step by tests/unit/cliHelp.test.ts, which compares the
// options each command's parser is really given with the options its help lists).
import type { ParseArgsConfig } from 'node:util';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Placeholder of the value in help (`--cwd DIR`); string options only. */
  arg?: string;
  /** One line. */
  help: string;
}

export interface CommandSpec {
  /** The command word (`profiles`, `ssm`...). */
  name: string;
  /** Usage lines without the leading "elevate " (e.g. `whoami <readonly|elevated> [--json]`). */
  usage: readonly string[];
  /** Positional arguments and subcommands: [name, one line]. */
  args?: ReadonlyArray<readonly [string, string]>;
  options: Readonly<Record<string, OptionSpec>>;
  /** At least one: [command line, what it does]. */
  examples: ReadonlyArray<readonly [string, string]>;
  /** Free text after the options (exit codes, notes). */
  notes?: string;
}

export function defineCommand<const S extends CommandSpec>(spec: S): S {
  return spec;
}

type ParserOptions = NonNullable<ParseArgsConfig['options']>;

/** The node:util parseArgs options of a spec (help text stripped). */
export function parserOptions(spec: Pick<CommandSpec, 'options'>): ParserOptions {
  const o: ParserOptions = {};
  for (const [name, opt] of Object.entries(spec.options)) {
    o[name] = {
      type: opt.type,
      ...(opt.short ? { short: opt.short } : {}),
      ...(opt.multiple ? { multiple: true } : {}),
    };
  }
  return o;
}

/** The `usage:` block of error messages (existing tests match "usage: elevate CMD"). */
export function usageOf(spec: Pick<CommandSpec, 'usage'>): string {
  return spec.usage.map((u, i) => `${i ? '       ' : ''}elevate ${u}`).join('\n');
}

export interface CommandEntry {
  summary: string;
}

function optionLabel(name: string, o: OptionSpec): string {
  const short = o.short ? `-${o.short}, ` : '';
  return `${short}--${name}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}`;
}

function columns(rows: ReadonlyArray<readonly [string, string]>, indent = '  '): string[] {
  const w = Math.min(30, Math.max(0, ...rows.map(([a]) => a.length)));
  return rows.map(([a, b]) =>
    a.length > w ? `${indent}${a}\n${indent}${' '.repeat(w + 2)}${b}` : `${indent}${a.padEnd(w)}  ${b}`,
  );
}

/** Full help of one command: summary, usage, arguments, every option (one line each), examples. */
export function renderHelp(spec: CommandSpec, summary: string): string {
  const parts: string[] = [`elevate ${spec.name}: ${summary}`, '', `usage: ${usageOf(spec)}`];
  if (spec.args?.length) parts.push('', 'arguments:', ...columns(spec.args));
  const opts: Array<readonly [string, string]> = Object.entries(spec.options).map(([n, o]) => [
    optionLabel(n, o),
    o.help,
  ]);
  opts.push(['-h, --help', 'show this help']);
  parts.push('', 'options:', ...columns(opts));
  parts.push('', 'examples:');
  for (const [cmd, what] of spec.examples) parts.push(`  ${cmd}`, `      ${what}`);
  if (spec.notes) parts.push('', spec.notes);
  return parts.join('\n');
}

export function renderTopLevel(commands: Readonly<Record<string, CommandEntry>>, version: string): string {
  const rows = Object.entries(commands).map(([n, c]) => [n, c.summary] as const);
  return [
    `elevate ${version}: sudo-like, time-limited AWS access for AI coding agents`,
    '',
    'usage: elevate <command> [options]',
    '       elevate help <command>',
    '',
    'commands:',
    ...columns(rows),
    '',
    'options:',
    ...columns([
      ['-h, --help', "show this help (elevate <command> --help: that command's options)"],
      ['-v, --version', 'print the version'],
    ]),
    '',
    'examples:',
    '  elevate doctor',
    '      check config, tiers and tools',
    '  elevate launch readonly',
    '      open Claude Code in the read-only tier',
    '  elevate completion bash >> ~/.bashrc',
    '      shell completion',
    '',
    'Run "elevate <command> --help" for a command\'s options and examples.',
  ].join('\n');
}

/**
 * Help of the commands whose modules belong to other engineers and do not export `spec` yet. Each entry
 * must list exactly the options that module passes to parse() (the drift test checks it); once a module
 * exports its own `spec`, that one is used and the entry here can go.
 */
export const FALLBACK_SPECS: Readonly<Record<string, CommandSpec>> = {};
