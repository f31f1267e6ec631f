// Test-only wrapper: runs one Claude settings sync operation in a child process with a step hook that,
// at the named step, announces `AT <step>` on stdout and then blocks forever — so the parent can SIGKILL
// it at exactly that point (tests/unit/claudeSettingsSyncCrash.test.ts). Not product code: the product
// modules only take an injected `onStep` hook; no environment flag changes their behaviour.
// argv: op (apply|restore) file elevateHome stopAt desiredJson
import fs from 'node:fs';
import {
  applyClaudeTarget,
  restoreAllClaudeSettings,
  type SyncHooks,
} from '../../electron/node/claudeSettingsSync';

const [op, file = '', elevateHome = '', stopAt = '', desiredJson = '{}'] = process.argv.slice(2);
const env = { ...process.env, ELEVATE_HOME: elevateHome };
const hooks: SyncHooks = {
  onStep(step) {
    if (step !== stopAt) return;
    fs.writeSync(1, `AT ${step}\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // until killed
  },
};
const result =
  op === 'apply'
    ? [
        applyClaudeTarget(
          { kind: 'claude-project', file },
          JSON.parse(desiredJson) as Record<string, string>,
          env,
          new Date(),
          hooks,
        ),
      ]
    : restoreAllClaudeSettings(env, hooks);
fs.writeSync(1, `DONE ${JSON.stringify(result)}\n`);
