import fs from 'node:fs';
import path from 'node:path';
import { claudeSettingsDoctor } from '../../node/claudeSettings';
import { touchedFiles } from '../../node/claudeSettingsSync';
import { runDoctor } from '../../node/doctor';
import { settingsFindings } from '../../node/settingsStore';
import { activityDoctor } from '../../node/activity';
import { terminalDoctor } from '../../node/terminals';
import { workstationDoctor } from '../../node/ssmConnect';
import { parse } from '../args';
import { palette } from '../color';
import { defineCommand, usageOf } from '../help';
import { json, out, UsageError } from '../io';

export const spec = defineCommand({
  name: 'doctor',
  usage: ['doctor [--cwd DIR] [--json]'],
  options: {
    cwd: {
      type: 'string',
      arg: 'DIR',
      help: 'project whose Claude settings to check (default: the current directory)',
    },
    json: { type: 'boolean', help: 'print the checks as JSON (exit code: 1 if any failed)' },
  },
  examples: [
    ['elevate doctor', 'every check, a fix for each problem, and a summary line'],
    ['elevate doctor --json | jq \'.checks[] | select(.status != "ok")\'', 'only the problems'],
  ],
  notes: 'exit codes: 0 no failed check, 1 a check failed, 2 bad input',
});
export const usage = usageOf(spec);

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
  if (values.cwd !== undefined && !isDirectory(values.cwd))
    throw new UsageError(`--cwd: ${values.cwd} is not a directory\nusage: ${usage}`);
  const checks = await runDoctor(process.env, [
    claudeSettingsDoctor({
      cwd: path.resolve(values.cwd ?? process.cwd()),
      managedFiles: touchedFiles(process.env).map((t) => t.file),
    }),
    terminalDoctor(process.env),
    workstationDoctor(process.env),
    activityDoctor(process.env),
    // settings.json: line and column for invalid JSON, unknown keys with the closest known one.
    () => settingsFindings(process.env),
  ]);
  const failed = checks.some((c) => c.status === 'fail');
  const counts = { ok: 0, warn: 0, fail: 0 };
  for (const c of checks) counts[c.status]++;
  if (values.json) json({ checks, summary: counts });
  else {
    const c = palette();
    const mark = { ok: c.green('ok  '), warn: c.yellow('warn'), fail: c.red('FAIL') } as const;
    for (const ch of checks) {
      out(`[${mark[ch.status]}] ${ch.id}: ${ch.message}`);
      if (ch.fix && ch.status !== 'ok') out(`       ${c.dim('fix:')} ${ch.fix}`);
    }
    const summary = `${counts.ok} ok, ${counts.warn} warn, ${counts.fail} fail`;
    out(`\n${counts.fail ? c.red(summary) : counts.warn ? c.yellow(summary) : c.green(summary)}`);
  }
  return failed ? 1 : 0;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
