import fs from 'node:fs';
import path from 'node:path';
import { claudeSettingsDoctor } from '../../node/claudeSettings';
import { touchedFiles } from '../../node/claudeSettingsSync';
import { runDoctor } from '../../node/doctor';
import { activityDoctor } from '../../node/activity';
import { terminalDoctor } from '../../node/terminals';
import { workstationDoctor } from '../../node/ssmConnect';
import { parse } from '../args';
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

const MARK = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

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
  ]);
  const failed = checks.some((c) => c.status === 'fail');
  if (values.json) json({ checks });
  else {
    for (const c of checks) {
      out(`[${MARK[c.status]}] ${c.id}: ${c.message}`);
      if (c.fix && c.status !== 'ok') out(`       fix: ${c.fix}`);
    }
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
