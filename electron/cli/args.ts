// Thin wrapper over node:util parseArgs: options come from the command's spec (help.ts), and its errors
// become one actionable line (`unknown option --nope; see "elevate profiles --help"`), never Node's sentence.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isTier, type Tier } from '../../shared/types';
import { parserOptions, type CommandSpec } from './help';
import { UsageError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A usage error that is already one complete line: printed without the usage block. */
export class OptionError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'OptionError';
  }
}

let currentCommand = '';
/** Set by main() before a command runs, so option errors can name `elevate <cmd> --help`. */
export function setCurrentCommand(name: string): void {
  currentCommand = name;
}

/** The options the last parse() call was given (the help drift test reads it). */
export const parseProbe: { options: Options | null } = { options: null };

function isSpec(x: Options | CommandSpec): x is CommandSpec {
  return typeof (x as CommandSpec).name === 'string' && Array.isArray((x as CommandSpec).usage);
}

function helpHint(): string {
  return currentCommand ? `see "elevate ${currentCommand} --help"` : 'see "elevate --help"';
}

/** Node's parseArgs messages, reworded: the option named, one line, pointing to the command's help. */
export function optionErrorMessage(e: Error & { code?: string }): string {
  const msg = e.message;
  const opt = /'(-{1,2}[^'\s<]+)/.exec(msg)?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${opt}; ${helpHint()}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(msg)) return `option ${opt} takes no value; ${helpHint()}`;
      if (/ambiguous/.test(msg))
        return `option ${opt}: the argument is ambiguous (it starts with "-"); write ${opt}=VALUE; ${helpHint()}`;
      return `option ${opt} needs a value; ${helpHint()}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument; ${helpHint()}`;
    default:
      return `${msg.replace(/^TypeError \[[A-Z_]+\]: /, '')}; ${helpHint()}`;
  }
}

/** The parseArgs options type a spec stands for (so `values` stay typed). */
export type SpecOptions<S extends CommandSpec> = {
  -readonly [K in keyof S['options']]: S['options'][K] extends { multiple: true }
    ? { type: S['options'][K]['type']; multiple: true }
    : { type: S['options'][K]['type'] };
};
type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

export function parse<S extends CommandSpec>(argv: string[], spec: S): Parsed<SpecOptions<S>>;
export function parse<O extends Options>(argv: string[], options: O): Parsed<O>;
export function parse(argv: string[], specOrOptions: Options | CommandSpec): Parsed<Options> {
  const options = isSpec(specOrOptions) ? parserOptions(specOrOptions) : specOrOptions;
  parseProbe.options = options;
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new OptionError(optionErrorMessage(e as Error & { code?: string }));
  }
}

export function tierArg(value: string | undefined, usage: string): Tier {
  if (!isTier(value))
    throw new UsageError(
      `${value === undefined ? 'missing tier' : `unknown tier "${value}"`}: expected readonly or elevated\nusage: ${usage}`,
    );
  return value;
}
