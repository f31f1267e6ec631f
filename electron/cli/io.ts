// Small I/O helpers shared by CLI commands.
import { IniSyntaxError } from '../../shared/ini';
import { AwsFileError } from '../node/awsFiles';
import { SettingsError } from '../node/settingsStore';
import { ElevateError } from '../../shared/errors';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An error the CLI reports as `{error: {code, message}}` with the given exit code. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Ask a yes/no question on the terminal (stderr, so --json stdout stays clean); only "y"/"yes" is yes. */
export async function confirm(question: string): Promise<boolean> {
  const readline = await import('node:readline/promises');
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function json(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

/**
 * THE place CLI errors become exit codes and words: an ElevateError carries its code and exit code (and
 * `--json` prints `{error: {code, message}}`); the few older classes below are mapped until they extend it.
 * Never a stack trace for user input problems.
 */
export function reportError(e: unknown, asJson: boolean): number {
  let code = 'internal';
  let exit = 1;
  let message = e instanceof Error ? e.message : String(e);
  if (e instanceof ElevateError) {
    code = e.code;
    exit = e.exitCode;
  } else if (e instanceof UsageError) {
    code = 'usage';
    exit = 2;
  } else if (e instanceof IniSyntaxError) {
    code = 'config-syntax';
    exit = 2;
    message = `${e.file}, line ${e.line}: ${e.detail}`;
  } else if (e instanceof AwsFileError || e instanceof SettingsError) {
    code = e instanceof AwsFileError ? 'config-file' : 'settings';
    exit = 2;
  } else if (e instanceof CliError) {
    code = e.code;
    exit = e.exitCode;
  } else if (!(e instanceof Error)) {
    message = String(e);
  }
  if (asJson) json({ error: { code, message } });
  else err(`elevate: ${message}`);
  if (code === 'internal' && e instanceof Error && process.env.ELEVATE_DEBUG) err(e.stack ?? '');
  return exit;
}
