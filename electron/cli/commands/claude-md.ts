// `elevate claude-md [--cwd DIR] [--apply]`: show (default) or write the Elevate section of the project's
// CLAUDE.md (or AGENTS.md when only that exists): the agent's tier, use the aws CLI directly for read-only
// look-ups, write plan.md instead of attempting writes under read-only. Minimal edit between markers,
// atomic write, backup of the previous file (<file>.elevate-bak).
import fs from 'node:fs';
import path from 'node:path';
import { elevateSection, pickTarget, SectionMarkerError, upsertSection } from '../../../shared/claudeMd';
import { readTextIfExists, writeFileAtomic } from '../../node/atomicFile';
import { loadContext } from '../../node/context';
import { parse } from '../args';
import { defineCommand, usageOf } from '../help';
import { CliError, json, out, UsageError } from '../io';

export const spec = defineCommand({
  name: 'claude-md',
  usage: ['claude-md [--cwd DIR] [--apply] [--json]'],
  options: {
    cwd: { type: 'string', arg: 'DIR', help: 'project directory (default: the current one)' },
    apply: { type: 'boolean', help: 'write the section (between markers, backup kept)' },
    json: { type: 'boolean', help: 'print the change as JSON' },
  },
  examples: [
    ['elevate claude-md', 'show the section and what would change'],
    ['elevate claude-md --apply', 'write it to CLAUDE.md (or AGENTS.md when only that exists)'],
  ],
});
export const usage = usageOf(spec);

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
  const dir = path.resolve(values.cwd ?? process.cwd());
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new UsageError(`--cwd: ${dir} is not a directory\nusage: ${usage}`);
  const name = pickTarget({
    claude: fs.existsSync(path.join(dir, 'CLAUDE.md')),
    agents: fs.existsSync(path.join(dir, 'AGENTS.md')),
  });
  const file = path.join(dir, name);
  const ctx = loadContext();
  const section = elevateSection({
    readonlyProfile: ctx.tiers.readonly,
    elevatedProfile: ctx.tiers.elevated,
  });
  const existing = readTextIfExists(file);
  let result: ReturnType<typeof upsertSection>;
  try {
    result = upsertSection(existing, section);
  } catch (e) {
    if (e instanceof SectionMarkerError) throw new CliError('markers', `${file}: ${e.message}`, 2);
    throw e;
  }
  let backup: string | undefined;
  const write = values.apply && result.change !== 'none';
  if (write) backup = writeFileAtomic(file, result.text, { backup: existing !== null }).backup;
  if (values.json) {
    json({ file, change: result.change, applied: Boolean(write), backup: backup ?? null, section });
    return 0;
  }
  const what = {
    create: `create ${file}`,
    append: `append the Elevate section to ${file}`,
    replace: `replace the Elevate section of ${file}`,
    none: `${file}: the Elevate section is up to date`,
  }[result.change];
  if (result.change === 'none') out(what);
  else if (write) out(`done: ${what}${backup ? ` (previous version: ${backup})` : ''}`);
  else out(`would ${what} (run with --apply):\n\n${section}`);
  return 0;
}
