// The argv that runs Elevate's own CLI, for the one command a terminal window is ever given:
// `<self> run --session <id>`.
//
// - Development: `[process.execPath (node), <repo>/bin/elevate.cjs]`.
// - Packaged app: `[<app executable>, <resources>/app.asar/out/cli/elevate.cjs]` with `ELECTRON_RUN_AS_NODE=1`
//   (needs the `runAsNode` fuse left on). Terminals such as Terminal.app, iTerm2, gnome-terminal and Windows
//   Terminal hand the command to an already running process, so an env given to the spawned terminal is not
//   reliable: `terminalArgv()` puts the variable into the argv itself (`/usr/bin/env NAME=VALUE …`).
//
// Main glue supplies the packaged paths (`app.getPath('exe')`, `process.resourcesPath`); the CLI uses
// `currentSelfCommand()`, which works out which case it is running in.
import fs from 'node:fs';
import path from 'node:path';

export interface SelfCommand {
  /** Program and leading arguments; append the CLI arguments (e.g. `run --session ID`). */
  argv: string[];
  /** Variables the program needs (ELECTRON_RUN_AS_NODE=1 for the packaged app). */
  env: Record<string, string>;
}

export type SelfCommandInput =
  | { packaged: false; execPath: string; repoRoot: string }
  | { packaged: true; appExecutable: string; resourcesPath: string };

export function selfCommand(input: SelfCommandInput): SelfCommand {
  if (input.packaged) {
    return {
      argv: [input.appExecutable, path.join(input.resourcesPath, 'app.asar', 'out', 'cli', 'elevate.cjs')],
      env: { ELECTRON_RUN_AS_NODE: '1' },
    };
  }
  return { argv: [input.execPath, path.join(input.repoRoot, 'bin', 'elevate.cjs')], env: {} };
}

/**
 * The self command as seen from inside the running CLI: under Electron with ELECTRON_RUN_AS_NODE the CLI is
 * the packaged one (its script is process.argv[1]); otherwise the repo's bin/elevate.cjs found upwards from
 * this file (out/cli in the bundle, electron/node in tests).
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
  if (proc.versions.electron && proc.env.ELECTRON_RUN_AS_NODE && proc.argv[1]) {
    return { argv: [proc.execPath, path.resolve(proc.argv[1])], env: { ELECTRON_RUN_AS_NODE: '1' } };
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
