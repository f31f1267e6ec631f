// The packaged app binary as the `elevate` command: `<app> --elevate-cli <command> [args]` runs Elevate's
// own CLI (the bundled out/cli/elevate.cjs, inside app.asar) in the main process and exits with its code.
// Nothing of the app starts: no tray, no window, no single-instance lock (a running tray app is not
// disturbed). This is what lets the RunAsNode and inspect fuses stay OFF: the signed binary runs only
// Elevate's commands, never arbitrary scripts (docs/laptop.md). The launcher on PATH is installCli.ts's.
//
// Imported FIRST by electron/main/index.ts (a one-line hook). In CLI mode it makes index.ts take its
// "another instance is running" path (requestSingleInstanceLock → false), whose app.quit() is held until
// the command has finished; then the process exits with the command's exit code.
import { app } from 'electron';
import { createRequire } from 'node:module';
import path from 'node:path';
import { recorderMain } from '../node/activity';
import { PACKAGED_CLI_FLAG, PACKAGED_RECORDER_FLAG } from '../node/selfCommand';

export const CLI_FLAG = PACKAGED_CLI_FLAG;

/** The CLI's arguments when the binary was started as the `elevate` command, else null. */
export function cliArgs(argv: readonly string[]): string[] | null {
  const i = argv.indexOf(CLI_FLAG);
  return i < 0 ? null : argv.slice(i + 1);
}

interface CliBundle {
  main(argv: string[]): Promise<number>;
}

/** Where the bundled CLI is: next to out/main in the app (asar) or the repo in development. */
export function cliBundlePath(appPath: string): string {
  return path.join(appPath, 'out', 'cli', 'elevate.cjs');
}

export function runCliInApp(
  args: string[],
  deps: {
    load?: (file: string) => CliBundle;
    exit?: (code: number) => void;
    appPath?: string;
  } = {},
): Promise<number> {
  const exit = deps.exit ?? ((code: number) => app.exit(code));
  const load = deps.load ?? ((file: string) => createRequire(__filename)(file) as CliBundle);
  const file = cliBundlePath(deps.appPath ?? app.getAppPath());
  let run: Promise<number>;
  try {
    run = load(file).main(args);
  } catch (e) {
    run = Promise.reject(e as Error);
  }
  return run.then(
    (code) => {
      exit(code);
      return code;
    },
    (e: unknown) => {
      process.stderr.write(`elevate: ${e instanceof Error ? e.message : String(e)}\n`);
      exit(1);
      return 1;
    },
  );
}

/** Applied at import: in CLI mode keep the app from starting and run the command. */
function hookCliMode(): void {
  const rec = process.argv.indexOf(PACKAGED_RECORDER_FLAG);
  if (rec >= 0 && cliArgs(process.argv) === null) {
    // `<app> --elevate-aws-activity record|wrap …`: the session aws shim's recorder (no RunAsNode needed).
    app.requestSingleInstanceLock = () => false;
    app.quit = () => undefined;
    void recorderMain(process.argv.slice(rec + 1)).then(
      (code) => app.exit(code),
      () => app.exit(1),
    );
    return;
  }
  const args = cliArgs(process.argv);
  if (!args) return;
  app.disableHardwareAcceleration();
  // index.ts: `if (!app.requestSingleInstanceLock()) app.quit(); else { …start the app… }`
  app.requestSingleInstanceLock = () => false;
  app.quit = () => undefined; // the exit comes from runCliInApp with the command's code
  void runCliInApp(args);
}

hookCliMode();
