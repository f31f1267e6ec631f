// The ~/.aws/config change of `elevate setup`: the two tier profiles, appended — never an edit. The new
// text is the old text byte for byte plus a block at the end; a section that already exists with the same
// settings is left alone, one with different settings stops the whole change (the user decides).
import fs from 'node:fs';
import path from 'node:path';
import { parseIni } from '../../shared/ini';
import { readTextIfExists, writeFileAtomic } from './atomicFile';

export interface TierProfileSpec {
  name: string;
  settings: [key: string, value: string][];
}

export interface ConfigPlan {
  file: string;
  /** Current text ('' when the file does not exist). */
  before: string;
  /** before + appended block (=== before when nothing is to be added). */
  after: string;
  appended: string;
  /** Sections already present with the same settings. */
  present: string[];
  /** Sections present with different settings: the change must not happen. */
  conflicts: { name: string; line: number; differences: string[] }[];
  exists: boolean;
}

export function tierProfiles(o: {
  readonlyName: string;
  elevatedName: string;
  readonlyRoleArn: string;
  elevatedRoleArn: string;
  sourceProfile: string;
  region: string;
  mfaSerial?: string;
}): TierProfileSpec[] {
  return [
    {
      name: o.readonlyName,
      settings: [
        ['role_arn', o.readonlyRoleArn],
        ['source_profile', o.sourceProfile],
        ['role_session_name', 'claude-readonly'],
        ['region', o.region],
      ],
    },
    {
      name: o.elevatedName,
      settings: [
        ['role_arn', o.elevatedRoleArn],
        ['source_profile', o.sourceProfile],
        ...(o.mfaSerial ? ([['mfa_serial', o.mfaSerial]] as [string, string][]) : []),
        ['role_session_name', 'claude-elevated'],
        ['region', o.region],
      ],
    },
  ];
}

const header = (name: string): string => (name === 'default' ? 'default' : `profile ${name}`);

export function renderProfile(p: TierProfileSpec): string {
  return `[${header(p.name)}]\n${p.settings.map(([k, v]) => `${k} = ${v}`).join('\n')}\n`;
}

export function planConfigAppend(file: string, profiles: TierProfileSpec[], stamp: string): ConfigPlan {
  const text = readTextIfExists(file);
  const before = text ?? '';
  const doc = parseIni(before, file);
  const present: string[] = [];
  const conflicts: ConfigPlan['conflicts'] = [];
  const toAdd: TierProfileSpec[] = [];
  for (const p of profiles) {
    const sections = doc.sections.filter((s) => s.header.replace(/\s+/g, ' ') === header(p.name));
    if (!sections.length) {
      toAdd.push(p);
      continue;
    }
    const have = new Map<string, string>();
    for (const s of sections) for (const e of s.entries) if (!e.parent) have.set(e.key, e.value);
    const want = new Map(p.settings);
    const differences: string[] = [];
    for (const [k, v] of want)
      if (have.get(k) !== v)
        differences.push(`${k}: has ${have.has(k) ? `"${have.get(k)}"` : '(unset)'}, setup needs "${v}"`);
    for (const k of have.keys())
      if (!want.has(k)) differences.push(`${k}: set to "${have.get(k)}", setup would not set it`);
    if (differences.length) conflicts.push({ name: p.name, line: sections[0]!.line, differences });
    else present.push(p.name);
  }
  let appended = '';
  if (toAdd.length) {
    const sep = before === '' ? '' : before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
    appended = `${sep}# Added by \`elevate setup\` on ${stamp} (stack outputs; see docs/laptop.md)\n${toAdd.map(renderProfile).join('\n')}`;
  }
  return { file, before, after: before + appended, appended, present, conflicts, exists: text !== null };
}

/** The appended lines as a diff against the current file. */
export function renderDiff(plan: ConfigPlan): string {
  const lines =
    plan.before === '' ? 0 : plan.before.split('\n').length - (plan.before.endsWith('\n') ? 1 : 0);
  const added = plan.appended.replace(/\n$/, '').split('\n');
  return [
    `--- ${plan.file}`,
    `+++ ${plan.file}`,
    `@@ -${lines},0 +${lines + 1},${added.length} @@`,
    ...added.map((l) => `+${l}`),
  ].join('\n');
}

export function backupPathFor(file: string, stamp: string): string {
  const base = `${file}.elevate-setup-${stamp.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
  let candidate = `${base}.bak`;
  for (let i = 2; fs.existsSync(candidate); i++) candidate = `${base}-${i}.bak`;
  return candidate;
}

/**
 * Applies the plan: refuses when the file changed since it was read (compare and swap on the text),
 * backs the current file up to a versioned path, writes atomically (new files 0600).
 */
export function applyConfigAppend(plan: ConfigPlan, stamp: string): { backup?: string } {
  if (plan.conflicts.length) throw new Error('refusing to write: sections conflict');
  if (plan.after === plan.before) return {};
  const now = readTextIfExists(plan.file) ?? '';
  if (now !== plan.before)
    throw new Error(`${plan.file} changed while setup was running; nothing written — run setup again`);
  fs.mkdirSync(path.dirname(plan.file), { recursive: true, mode: 0o700 });
  const backup = plan.exists ? backupPathFor(plan.file, stamp) : undefined;
  const r = writeFileAtomic(plan.file, plan.after, { mode: 0o600, ...(backup ? { backup } : {}) });
  return r.backup ? { backup: r.backup } : {};
}
