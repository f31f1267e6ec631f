// Loads and saves $ELEVATE_HOME/settings.json. The file is JSON with comments allowed (jsonc-parser):
// invalid JSON is reported with line and column, unknown keys are kept and reported with the closest known
// key, and `setSetting` edits one key in place (comments and unknown keys kept), atomically, with a backup.
import {
  applyEdits,
  findNodeAtLocation,
  modify,
  parse as parseJsonc,
  parseTree,
  printParseErrorCode,
  type ParseError,
} from 'jsonc-parser';
import {
  defaultSettings,
  knownSettingKeys,
  closest,
  parseSettings,
  settingSchemaAt,
  unknownSettingKeys,
  type Settings,
} from '../../shared/settings';
import { readTextIfExists, writeFileAtomic } from './atomicFile';
import { files, type Env } from './paths';

export class SettingsError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'SettingsError';
  }
}

const JSONC = { allowTrailingComma: true, disallowComments: false } as const;

export function settingsPath(env: Env = process.env): string {
  return files.settings(env);
}

function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

export interface SettingsSyntaxProblem {
  line: number;
  column: number;
  message: string;
}

/** JSON syntax problems with line and column (1-based); empty when the text parses. */
export function settingsSyntax(text: string): { value: unknown; problems: SettingsSyntaxProblem[] } {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, JSONC);
  const problems = errors.map((e) => ({
    ...lineCol(text, e.offset),
    message: printParseErrorCode(e.error)
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase(),
  }));
  if (!problems.length && (typeof value !== 'object' || value === null || Array.isArray(value)))
    problems.push({ line: 1, column: 1, message: 'expected a JSON object ({ ... })' });
  return { value, problems };
}

function syntaxMessage(file: string, p: SettingsSyntaxProblem): string {
  return `${file}:${p.line}:${p.column}: not valid JSON: ${p.message}`;
}

export function loadSettings(env: Env = process.env): Settings {
  const file = files.settings(env);
  const text = readTextIfExists(file);
  if (text === null || text.trim() === '') return defaultSettings();
  const { value, problems } = settingsSyntax(text);
  const first = problems[0];
  if (first) throw new SettingsError(file, syntaxMessage(file, first));
  const r = parseSettings(value);
  if (!r.ok) throw new SettingsError(file, `${file}: ${r.errors.join('; ')}`);
  return r.settings;
}

export function saveSettings(settings: Settings, env: Env = process.env): void {
  const r = parseSettings(settings);
  if (!r.ok) throw new SettingsError(files.settings(env), r.errors.join('; '));
  writeFileAtomic(files.settings(env), `${JSON.stringify(r.settings, null, 2)}\n`, {
    backup: true,
    mode: 0o600,
  });
}

export interface SettingsFinding {
  id: 'settings';
  status: 'ok' | 'warn' | 'fail';
  message: string;
  fix?: string;
}

/** The line of a dotted key in the file text, for messages. */
function keyLine(text: string, key: string): number | undefined {
  const tree = parseTree(text, [], JSONC);
  const node = tree ? findNodeAtLocation(tree, key.split('.')) : undefined;
  const prop = node?.parent;
  return prop ? lineCol(text, prop.offset).line : undefined;
}

/**
 * What `elevate doctor` (and the window) report about settings.json: invalid JSON with line and column
 * (fail), schema errors (fail), unknown keys with the closest known key (warn), or one ok line.
 */
export function settingsFindings(env: Env = process.env): SettingsFinding[] {
  const file = files.settings(env);
  const text = readTextIfExists(file);
  if (text === null || text.trim() === '')
    return [{ id: 'settings', status: 'ok', message: `${file} does not exist yet: defaults apply` }];
  const { value, problems } = settingsSyntax(text);
  if (problems.length)
    return problems.slice(0, 3).map((p) => ({
      id: 'settings',
      status: 'fail',
      message: syntaxMessage(file, p),
      fix: `fix the file at that line (elevate settings edit); until then Elevate cannot start a session`,
    }));
  const findings: SettingsFinding[] = [];
  const r = parseSettings(value);
  if (!r.ok)
    for (const e of r.errors)
      findings.push({
        id: 'settings',
        status: 'fail',
        message: `${file}: ${e}`,
        fix: 'elevate settings set KEY VALUE validates a value before writing it',
      });
  for (const u of unknownSettingKeys(value)) {
    const line = keyLine(text, u.key);
    findings.push({
      id: 'settings',
      status: 'warn',
      message: `${file}${line ? `:${line}` : ''}: unknown key "${u.key}" is ignored${u.suggestion ? `; did you mean "${u.suggestion}"?` : ''}`,
      fix: u.suggestion
        ? `rename it to "${u.suggestion}" (elevate settings edit)`
        : 'remove it, or see the known keys with: elevate settings show',
    });
  }
  if (!findings.length) findings.push({ id: 'settings', status: 'ok', message: `${file} is valid` });
  return findings;
}

/** The effective value of a dotted key (defaults applied). */
export function getSetting(key: string, env: Env = process.env): unknown {
  if (!settingSchemaAt(key)) throw new SettingsError(files.settings(env), unknownKeyMessage(key));
  let cur: unknown = loadSettings(env);
  for (const part of key.split('.')) cur = (cur as Record<string, unknown> | undefined)?.[part];
  return cur;
}

function unknownKeyMessage(key: string): string {
  const near = closest(key, knownSettingKeys());
  return `unknown setting "${key}"${near ? `; did you mean "${near}"?` : ''} (elevate settings show lists them)`;
}

/**
 * Interpret VALUE for KEY: JSON when it parses and fits the key's schema (numbers, booleans, null, arrays),
 * else the plain string. Throws SettingsError with the schema's message when neither fits.
 */
export function coerceSettingValue(key: string, raw: string, file = 'settings'): unknown {
  const schema = settingSchemaAt(key);
  if (!schema) throw new SettingsError(file, unknownKeyMessage(key));
  const candidates: unknown[] = [];
  try {
    candidates.push(JSON.parse(raw));
  } catch {
    // not JSON: the string itself
  }
  candidates.push(raw);
  let firstError = '';
  for (const c of candidates) {
    const r = schema.safeParse(c);
    if (r.success) return c;
    // The JSON reading's complaint is the useful one ("too big", not "expected number, received string").
    firstError ||= r.error.issues.map((i) => i.message).join('; ');
  }
  throw new SettingsError(file, `${key}: ${firstError} (got ${raw})`);
}

export interface SetResult {
  file: string;
  value: unknown;
  backup?: string;
  created: boolean;
}

/** Set one key in settings.json: validated, minimal edit (comments and unknown keys kept), atomic, backup. */
export function setSetting(key: string, raw: string, env: Env = process.env): SetResult {
  const file = files.settings(env);
  const value = coerceSettingValue(key, raw, file);
  const existing = readTextIfExists(file);
  const text = existing === null || existing.trim() === '' ? '{}\n' : existing;
  const { problems } = settingsSyntax(text);
  const first = problems[0];
  if (first)
    throw new SettingsError(file, `${syntaxMessage(file, first)}; fix it first (elevate settings edit)`);
  const edits = modify(text, key.split('.'), value, {
    formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' },
  });
  const next = applyEdits(text, edits);
  const r = parseSettings(settingsSyntax(next).value);
  if (!r.ok) throw new SettingsError(file, `${file}: ${r.errors.join('; ')}; nothing written`);
  const w = writeFileAtomic(file, next.endsWith('\n') ? next : `${next}\n`, {
    backup: existing !== null,
    mode: 0o600,
  });
  return { file, value, created: existing === null, ...(w.backup ? { backup: w.backup } : {}) };
}
