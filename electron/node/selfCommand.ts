// The argv that runs Elevate's own CLI, for the one command a terminal window is ever given:
// `<self> run --session <id>`.
//
// - Development: `[process.execPath (node), <repo>/bin/elevate.cjs]`.
// - Packaged app: `[<app executable>, --elevate-cli]` (electron/main/cliEntry.ts runs only Elevate's own
//   CLI; the RunAsNode and inspect fuses are OFF, so the signed binary never runs arbitrary scripts).
//   Terminals such as Terminal.app, iTerm2, gnome-terminal and Windows Terminal hand the command to an
//   already running process, so an env given to the spawned terminal is not reliable: `terminalArgv()`
//   puts any variable into the argv itself (`/usr/bin/env NAME=VALUE …`).
//
// Main glue supplies the packaged paths (`app.getPath('exe')`, `process.resourcesPath`); the CLI uses
// `currentSelfCommand()`, which works out which case it is running in.
import fs from 'node:fs';
import path from 'node:path';

/** The packaged app binary's argument that makes it the `elevate` command (electron/main/cliEntry.ts). */
export const PACKAGED_CLI_FLAG = '--elevate-cli';
/** …and the one that makes it the session `aws` shim's recorder (electron/node/activity.ts). */
export const PACKAGED_RECORDER_FLAG = '--elevate-aws-activity';

export interface SelfCommand {
  /** Program and leading arguments; append the CLI arguments (e.g. `run --session ID`). */
  argv: string[];
  /** Variables the program needs (none today; kept for terminals that must carry some). */
  env: Record<string, string>;
}

export type SelfCommandInput =
  | { packaged: false; execPath: string; repoRoot: string }
  | { packaged: true; appExecutable: string; resourcesPath: string };

export function selfCommand(input: SelfCommandInput): SelfCommand {
  if (input.packaged) {
    void input.resourcesPath; // the CLI bundle is found by cliEntry inside the app
    return { argv: [input.appExecutable, PACKAGED_CLI_FLAG], env: {} };
  }
  return { argv: [input.execPath, path.join(input.repoRoot, 'bin', 'elevate.cjs')], env: {} };
}

/**
 * The self command as seen from inside the running CLI: under Electron started with `--elevate-cli` it is
 * the packaged app binary; otherwise the repo's bin/elevate.cjs found upwards from this file (out/cli in
 * the bundle, electron/node in tests).
 */
export function currentSelfCommand(
  proc: {
    execPath: string;
    argv: string[];
    versions: Record<string, string | undefined>;
    env: Record<string, string | undefined>;
  } = process,
  here: string = __dirname,
): SelfCommand {
  if (proc.versions.electron && proc.argv.includes(PACKAGED_CLI_FLAG)) {
    return { argv: [proc.execPath, PACKAGED_CLI_FLAG], env: {} };
  }
  let dir = here;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'bin', 'elevate.cjs'))) {
      return selfCommand({ packaged: false, execPath: proc.execPath, repoRoot: dir });
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`cannot find Elevate's bin/elevate.cjs above ${here}`);
}

/**
 * A self-contained argv for a terminal: on POSIX the env goes in front through `/usr/bin/env`, so it
 * survives terminals that reuse a running process. On Windows there is no such tool: the variables are
 * returned separately and the caller spawns the terminal with them (wt.exe/cmd pass them to a new process).
 */
export function terminalArgv(
  self: SelfCommand,
  args: string[],
  platform: NodeJS.Platform = process.platform,
): string[] {
  const vars = Object.entries(self.env).map(([k, v]) => `${k}=${v}`);
  if (vars.length === 0 || platform === 'win32') return [...self.argv, ...args];
  return ['/usr/bin/env', ...vars, ...self.argv, ...args];
}
