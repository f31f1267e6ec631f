// `elevate claude-settings`: show (and with --apply write) the minimal change to the project's
// .claude/settings.local.json: allow `Bash(aws *)`, drop a conflicting env.AWS_PROFILE.
import path from 'node:path';
import { applyLocalFix, ClaudeSettingsError, planLocalFix } from '../../node/claudeSettings';
import { touchedFiles } from '../../node/claudeSettingsSync';
import { parse } from '../args';
import { CliError, json, out } from '../io';

export const usage = 'elevate claude-settings [--cwd DIR] [--apply] [--json]';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    cwd: { type: 'string' },
    apply: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals.length)
    throw new CliError('usage', `unexpected argument "${positionals[0]}"\nusage: ${usage}`, 2);
  const cwd = path.resolve(values.cwd ?? process.cwd());
  let plan;
  let result: { written: boolean; backup?: string } = { written: false };
  try {
    plan = planLocalFix(process.env, { cwd, managedFiles: touchedFiles(process.env).map((t) => t.file) });
    if (values.apply) result = applyLocalFix(plan);
  } catch (e) {
    if (e instanceof ClaudeSettingsError)
      throw new CliError('claude-settings-invalid', `${e.message}; the file was not changed`, 2);
    throw e;
  }
  if (values.json) {
    json({
      file: plan.file,
      exists: plan.exists,
      changed: plan.changed,
      applied: result.written,
      ...(result.backup ? { backup: result.backup } : {}),
      changes: plan.changes,
      notes: plan.notes,
      diff: plan.diff,
    });
    return 0;
  }
  if (!plan.changed) {
    out(`nothing to change in ${plan.file}`);
  } else {
    out(plan.diff);
    for (const c of plan.changes) out(`- ${c}`);
    if (result.written)
      out(`wrote ${plan.file}${result.backup ? ` (previous version: ${result.backup})` : ''}`);
    else out('run again with --apply to write this change');
  }
  for (const n of plan.notes) out(`note: ${n}`);
  return 0;
}
