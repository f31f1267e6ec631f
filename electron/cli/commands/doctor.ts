import fs from 'node:fs';
import path from 'node:path';
import { claudeSettingsDoctor } from '../../node/claudeSettings';
import { touchedFiles } from '../../node/claudeSettingsSync';
import { runDoctor } from '../../node/doctor';
import { activityDoctor } from '../../node/activity';
import { terminalDoctor } from '../../node/terminals';
import { workstationDoctor } from '../../node/ssmConnect';
import { parse } from '../args';
import { json, out, UsageError } from '../io';

export const usage = 'elevate doctor [--cwd DIR] [--json]';

const MARK = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, cwd: { type: 'string' } });
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
