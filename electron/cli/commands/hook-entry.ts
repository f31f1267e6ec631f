// Entry of out/cli/elevate-hook.cjs: `elevate hook <event>` in a bundle of its own (~40 kB instead of the
// CLI's 1.4 MB), because a hook runs before and after every Bash call and node spends most of a CLI
// start-up parsing the bundle. Same code and contract as `elevate hook <event>` (commands/hook.ts).
import { run } from './hook';

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // Only a usage error gets here (unknown event): the settings block never produces one.
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
