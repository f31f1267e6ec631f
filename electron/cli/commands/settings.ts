// `elevate settings [path|show|get KEY|set KEY VALUE|edit]`: Elevate's own settings.json as a first-class file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  getSetting,
  loadSettings,
  setSetting,
  settingsFindings,
  settingsPath,
} from '../../node/settingsStore';
import { parse } from '../args';
import { palette } from '../color';
import { defineCommand, usageOf } from '../help';
import { CliError, err, json, out, UsageError } from '../io';

export const spec = defineCommand({
  name: 'settings',
  usage: ['settings [path|show|get KEY|set KEY VALUE|edit] [--json]'],
  args: [
    ['path', "print the settings file's path"],
    ['show', 'the effective settings (defaults applied) and any problem of the file (default)'],
    ['get KEY', 'one value, by dotted key (e.g. workstation.operatorProfile)'],
    ['set KEY VALUE', 'set one key: validated, minimal edit (comments and unknown keys kept), backup kept'],
    ['edit', 'open the file in $VISUAL / $EDITOR, then check it'],
  ],
  options: { json: { type: 'boolean', help: 'print as JSON' } },
  examples: [
    [
      'elevate settings set workstation.operatorProfile admin',
      'the profile that reaches the SSM workstation',
    ],
    ['elevate settings set elevation.defaultMinutes 15', 'shorter elevations by default'],
    ['elevate settings get tiers', 'the configured tier profiles'],
  ],
  notes: 'exit codes: 0 ok, 1 the file has problems, 2 bad input (unknown key, invalid value)',
});
export const usage = usageOf(spec);

function printFindings(asJson: boolean): number {
  const findings = settingsFindings(process.env);
  const bad = findings.some((f) => f.status === 'fail');
  if (asJson) return bad ? 1 : 0;
  const c = palette(process.stderr);
  for (const f of findings) {
    if (f.status === 'ok') continue;
    err(`${f.status === 'fail' ? c.red('error') : c.yellow('warning')}: ${f.message}`);
    if (f.fix) err(`  fix: ${f.fix}`);
  }
  return bad ? 1 : 0;
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** $VISUAL or $EDITOR split into argv (no shell): "code --wait" → ["code", "--wait"]. */
export function editorArgv(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = (env.VISUAL || env.EDITOR || (process.platform === 'win32' ? 'notepad' : 'vi')).trim();
  return raw.split(/\s+/).filter(Boolean);
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, spec);
  const [sub = 'show', ...args] = positionals;
  const asJson = values.json === true;
  const file = settingsPath(process.env);
  const arity: Record<string, number> = { path: 0, show: 0, get: 1, set: 2, edit: 0 };
  if (!(sub in arity)) throw new UsageError(`unknown subcommand "${sub}"\nusage: ${usage}`);
  if (args.length !== arity[sub])
    throw new UsageError(
      `${args.length < (arity[sub] ?? 0) ? 'missing argument' : `unexpected argument "${args[arity[sub] ?? 0]}"`}\nusage: ${usage}`,
    );
  switch (sub) {
    case 'path':
      if (asJson) json({ file, exists: fs.existsSync(file) });
      else out(file);
      return 0;
    case 'show': {
      const findings = settingsFindings(process.env);
      const failed = findings.some((f) => f.status === 'fail');
      if (asJson) {
        json({
          file,
          exists: fs.existsSync(file),
          settings: failed ? null : loadSettings(process.env),
          findings,
        });
        return failed ? 1 : 0;
      }
      if (!failed) out(`${JSON.stringify(loadSettings(process.env), null, 2)}`);
      err(`# ${file}${fs.existsSync(file) ? '' : ' (does not exist yet: defaults)'}`);
      return printFindings(false);
    }
    case 'get': {
      const key = args[0] ?? '';
      let value: unknown;
      try {
        value = getSetting(key, process.env);
      } catch (e) {
        if (e instanceof Error && e.name === 'SettingsError' && /^unknown setting/.test(e.message))
          throw new UsageError(e.message);
        throw e;
      }
      if (asJson) json({ key, value: value ?? null });
      else out(value === undefined ? '' : show(value));
      return 0;
    }
    case 'set': {
      const [key = '', raw = ''] = args;
      let r;
      try {
        r = setSetting(key, raw, process.env);
      } catch (e) {
        if (e instanceof Error && e.name === 'SettingsError') throw new CliError('settings', e.message, 2);
        throw e;
      }
      if (asJson) json({ file: r.file, key, value: r.value, backup: r.backup ?? null, created: r.created });
      else
        out(
          `${key} = ${JSON.stringify(r.value)} in ${r.file}${r.created ? ' (created)' : ''}${r.backup ? ` (previous version: ${r.backup})` : ''}`,
        );
      return printFindings(asJson);
    }
    case 'edit': {
      if (!fs.existsSync(file)) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, '{\n}\n', { mode: 0o600 });
      }
      const [cmd, ...rest] = editorArgv();
      if (!cmd) throw new CliError('no-editor', 'set $VISUAL or $EDITOR to the editor to use', 2);
      const r = spawnSync(cmd, [...rest, file], { stdio: 'inherit' });
      if (r.error)
        throw new CliError(
          'no-editor',
          `cannot start the editor "${cmd}": ${r.error.message}; set $VISUAL or $EDITOR`,
          1,
        );
      const bad = printFindings(asJson);
      if (asJson) json({ file, findings: settingsFindings(process.env) });
      else if (!bad) out(`${file} is valid`);
      return bad;
    }
  }
  return 0;
}
