// `elevate claude-settings`: show (and with --apply write) the minimal change to the project's
// .claude/settings.local.json: allow `Bash(aws *)`, drop a conflicting env.AWS_PROFILE.
import path from 'node:path';
import { applyLocalFix, ClaudeSettingsError, planLocalFix } from '../../node/claudeSettings';
import { touchedFiles } from '../../node/claudeSettingsSync';
import { parse } from '../args';
import { defineCommand, usageOf } from '../help';
import { CliError, json, out } from '../io';

export const spec = defineCommand({
  name: 'claude-settings',
  usage: ['claude-settings [--cwd DIR] [--apply] [--json]'],
  options: {
    cwd: {
      type: 'string',
      arg: 'DIR',
      help: 'project whose .claude/settings.local.json to check (default: the current one)',
    },
    apply: { type: 'boolean', help: 'write the change (minimal edit, backup kept)' },
    json: { type: 'boolean', help: 'print the plan and result as JSON' },
  },
  examples: [
    ['elevate claude-settings', 'show the minimal change, write nothing'],
    ['elevate claude-settings --apply', 'write it'],
  ],
});
export const usage = usageOf(spec);

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, spec);
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
