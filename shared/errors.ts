// One error base for everything Elevate reports: a stable `code` (for --json, IPC and tests), a plain
// message that says what to do next, and the CLI exit code. The CLI maps it in one place
// (electron/cli/io.ts reportError) and the IPC dispatcher in one place (its error mapping); callers check
// `instanceof ElevateError` and `code`, never `e.name === '…'`.

/** Exit codes: 1 = the action failed, 2 = bad input or configuration (usage, config files, tiers). */
export type ExitCode = 1 | 2;

export class ElevateError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: ExitCode = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export function isElevateError(e: unknown, code?: string): e is ElevateError {
  return e instanceof ElevateError && (code === undefined || e.code === code);
}
