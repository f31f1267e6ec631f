// Keeps Elevate's keys (env.AWS_PROFILE and, with Bedrock, env.AWS_REGION / CLAUDE_CODE_USE_BEDROCK /
// ANTHROPIC_MODEL) in Claude's user settings.json and chosen projects' .claude/settings.local.json in step
// with the active tier, and puts the files back exactly as they were when the tier goes `off` or the app
// quits.
//
// - Edits are textual (jsonc-parser modify/applyEdits): comments, key order, formatting, other keys kept.
// - Writes are atomic with `<file>.elevate-bak` beside an existing file (atomicFile.ts).
// - The first time Elevate touches a file it records the ORIGINAL bytes and the original values of its keys
//   in $ELEVATE_HOME/restore/<hash of path>.json (0600), plus a hash of every text it writes. Restore is
//   byte-identical when the file still hashes to Elevate's last write; otherwise only Elevate's keys that
//   still hold the value Elevate wrote are reverted (a key the user changed is left alone) and the result
//   says "changed meanwhile".
// - A file that is not valid JSON(C) is never written: the target reports why and the record is kept.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { applyEdits, modify, type FormattingOptions } from 'jsonc-parser';
import { writeFileAtomic } from './atomicFile';
import { detectFormatting, isObject } from './claudeSettings';
import {
  ClaudeSettingsError,
  localSettingsPath,
  parseSettingsText,
  userSettingsPath,
} from './claudeSettings';
import { elevateHome, type Env } from './paths';

/** The env keys Elevate manages in Claude settings files (and nothing else). */
export const CLAUDE_SYNC_KEYS = [
  'AWS_PROFILE',
  'AWS_REGION',
  'CLAUDE_CODE_USE_BEDROCK',
  'ANTHROPIC_MODEL',
] as const;
export type ClaudeSyncKey = (typeof CLAUDE_SYNC_KEYS)[number];

export interface SwitchTargetsSetting {
  claudeUserSettings: boolean;
  projectLocalSettings: string[];
  shellHook: boolean;
}

export interface ClaudeTarget {
  kind: 'claude-user' | 'claude-project';
  file: string;
}

export type TargetAction =
  | 'written' // Elevate's keys set for the tier
  | 'unchanged' // already as wanted
  | 'restored' // original bytes written back (byte-identical)
  | 'deleted' // the file did not exist before Elevate; removed again
  | 'keys-reverted' // the user changed the file meanwhile: only Elevate's keys reverted
  | 'gone' // the file was deleted meanwhile: nothing to restore
  | 'failed';

export interface TargetResult {
  kind: ClaudeTarget['kind'] | 'shell';
  file: string;
  ok: boolean;
  action: TargetAction;
  changedMeanwhile?: boolean;
  /** Keys the user changed meanwhile, left as the user set them. */
  keptUserKeys?: string[];
  backup?: string;
  /** Why it failed / what the user should know. */
  message?: string;
}

interface RestoreRecord {
  version: 1;
  kind: ClaudeTarget['kind'];
  file: string;
  existed: boolean;
  /** Original bytes, base64 (null when the file did not exist). */
  original: string | null;
  /** Original values of Elevate's keys inside `env` (null = absent). */
  originalEnv: Record<string, unknown>;
  hadEnv: boolean;
  /** What Elevate last wrote for its keys (null = Elevate removed / left absent). */
  written: Record<string, string | null>;
  /** sha256 of the bytes Elevate last wrote (or found, when nothing needed writing). */
  writtenHash: string;
  createdDir: string | null;
  firstTouched: string;
  lastWritten: string;
}

export function claudeTargets(
  targets: SwitchTargetsSetting | undefined,
  env: Env = process.env,
): ClaudeTarget[] {
  const out: ClaudeTarget[] = [];
  if (targets?.claudeUserSettings) out.push({ kind: 'claude-user', file: userSettingsPath(env) });
  for (const dir of targets?.projectLocalSettings ?? []) {
    out.push({ kind: 'claude-project', file: localSettingsPath(path.resolve(dir)) });
  }
  return out;
}

export function restoreDir(env: Env = process.env): string {
  return path.join(elevateHome(env), 'restore');
}

function sha256(data: Uint8Array | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

function recordPath(file: string, env: Env): string {
  return path.join(restoreDir(env), `${sha256(path.resolve(file)).slice(0, 24)}.json`);
}

function loadRecord(file: string, env: Env): RestoreRecord | null {
  try {
    const r = JSON.parse(fs.readFileSync(recordPath(file, env), 'utf8')) as RestoreRecord;
    return r.version === 1 && r.file === path.resolve(file) ? r : null;
  } catch {
    return null;
  }
}

function saveRecord(rec: RestoreRecord, env: Env): void {
  fs.mkdirSync(restoreDir(env), { recursive: true, mode: 0o700 });
  writeFileAtomic(recordPath(rec.file, env), `${JSON.stringify(rec, null, 2)}\n`, { mode: 0o600 });
}

function dropRecord(file: string, env: Env): void {
  fs.rmSync(recordPath(file, env), { force: true });
}

/** Files Elevate has touched and not yet restored. */
export function touchedFiles(env: Env = process.env): ClaudeTarget[] {
  let names: string[];
  try {
    names = fs.readdirSync(restoreDir(env));
  } catch {
    return [];
  }
  const out: ClaudeTarget[] = [];
  for (const n of names) {
    if (!n.endsWith('.json')) continue;
    try {
      const r = JSON.parse(fs.readFileSync(path.join(restoreDir(env), n), 'utf8')) as RestoreRecord;
      if (r.version === 1 && typeof r.file === 'string')
        out.push({ kind: r.kind ?? 'claude-project', file: r.file });
    } catch {
      /* torn record: ignore */
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

function readBytes(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Parse and check the shape Elevate needs; throws ClaudeSettingsError (never writes). */
function parseTarget(
  text: string,
  file: string,
): { root: Record<string, unknown>; env: Record<string, unknown> | null } {
  const root = parseSettingsText(text, file);
  const env = root.env;
  if (env !== undefined && !isObject(env))
    throw new ClaudeSettingsError(file, '"env" is not an object; fix it by hand');
  return { root, env: env === undefined ? null : env };
}

function setKey(text: string, key: string, value: unknown, fmt: FormattingOptions): string {
  return applyEdits(text, modify(text, ['env', key], value, { formattingOptions: fmt }));
}

function failed(target: ClaudeTarget, e: unknown): TargetResult {
  const message =
    e instanceof ClaudeSettingsError
      ? `${e.message}; not written`
      : `${target.file}: ${(e as Error).message}`;
  return { kind: target.kind, file: target.file, ok: false, action: 'failed', message };
}

/** Set Elevate's keys in one file: `desired` holds the values for the tier; other keys go back to the originals. */
export function applyClaudeTarget(
  target: ClaudeTarget,
  desired: Record<string, string>,
  env: Env = process.env,
  now: Date = new Date(),
): TargetResult {
  const file = path.resolve(target.file);
  try {
    const bytes = readBytes(file);
    const before = bytes === null ? null : bytes.toString('utf8');
    const parsed =
      before === null || before.trim() === '' ? { root: {}, env: null } : parseTarget(before, file);
    let rec = loadRecord(file, env);
    if (!rec) {
      const originalEnv: Record<string, unknown> = {};
      for (const k of CLAUDE_SYNC_KEYS)
        originalEnv[k] = parsed.env && Object.hasOwn(parsed.env, k) ? parsed.env[k] : null;
      let createdDir: string | null = null;
      if (bytes === null && !fs.existsSync(path.dirname(file))) createdDir = path.dirname(file);
      rec = {
        version: 1,
        kind: target.kind,
        file,
        existed: bytes !== null,
        original: bytes === null ? null : bytes.toString('base64'),
        originalEnv,
        hadEnv: parsed.env !== null,
        written: {},
        writtenHash: '',
        createdDir,
        firstTouched: now.toISOString(),
        lastWritten: now.toISOString(),
      };
    }
    let text = before === null || before.trim() === '' ? '{}\n' : before;
    const fmt = detectFormatting(before ?? '');
    const written: Record<string, string | null> = {};
    let changed = before === null || before.trim() === '';
    for (const k of CLAUDE_SYNC_KEYS) {
      const cur = parsed.env && Object.hasOwn(parsed.env, k) ? parsed.env[k] : undefined;
      const orig = rec.originalEnv[k];
      const want: unknown = Object.hasOwn(desired, k) ? desired[k] : orig === null ? undefined : orig;
      written[k] = typeof want === 'string' ? want : null;
      if (JSON.stringify(cur) === JSON.stringify(want)) continue;
      text = setKey(text, k, want, fmt);
      changed = true;
    }
    let backup: string | undefined;
    if (changed) {
      if (before !== null && before.trim() !== '' && !before.endsWith('\n') && text.endsWith('\n'))
        text = text.slice(0, -1);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      // No backup of a file Elevate created itself (its content is only Elevate's keys).
      const r = writeFileAtomic(file, text, { backup: bytes !== null && rec.existed, mode: 0o600 });
      backup = r.backup;
    }
    rec.written = written;
    rec.writtenHash = sha256(changed ? Buffer.from(text, 'utf8') : (bytes ?? Buffer.alloc(0)));
    rec.lastWritten = now.toISOString();
    saveRecord(rec, env);
    return {
      kind: target.kind,
      file,
      ok: true,
      action: changed ? 'written' : 'unchanged',
      ...(backup ? { backup } : {}),
    };
  } catch (e) {
    return failed(target, e);
  }
}

/** Put one file back as it was before Elevate first touched it (see the header). Null: nothing recorded. */
export function restoreClaudeTarget(target: ClaudeTarget, env: Env = process.env): TargetResult | null {
  const file = path.resolve(target.file);
  const rec = loadRecord(file, env);
  if (!rec) return null;
  try {
    const bytes = readBytes(file);
    if (bytes === null) {
      dropRecord(file, env);
      return {
        kind: target.kind,
        file,
        ok: true,
        action: 'gone',
        changedMeanwhile: true,
        message: `${file} was deleted meanwhile; nothing to restore`,
      };
    }
    if (sha256(bytes) === rec.writtenHash) {
      if (rec.existed && rec.original !== null) {
        const r = writeFileAtomic(file, Buffer.from(rec.original, 'base64'), { backup: true });
        dropRecord(file, env);
        return {
          kind: target.kind,
          file,
          ok: true,
          action: 'restored',
          ...(r.backup ? { backup: r.backup } : {}),
        };
      }
      fs.rmSync(file, { force: true });
      if (rec.createdDir) {
        fs.rmSync(`${file}.elevate-bak`, { force: true });
        try {
          fs.rmdirSync(rec.createdDir); // only when empty
        } catch {
          /* not empty: keep */
        }
      }
      dropRecord(file, env);
      return { kind: target.kind, file, ok: true, action: 'deleted' };
    }
    // Changed meanwhile: revert only Elevate's keys that still hold what Elevate wrote.
    const before = bytes.toString('utf8');
    const parsed = before.trim() === '' ? { root: {}, env: null } : parseTarget(before, file);
    const fmt = detectFormatting(before);
    let text = before;
    const kept: string[] = [];
    for (const k of CLAUDE_SYNC_KEYS) {
      const cur = parsed.env && Object.hasOwn(parsed.env, k) ? parsed.env[k] : undefined;
      const mine = rec.written[k] ?? undefined;
      const orig = rec.originalEnv[k] === null ? undefined : rec.originalEnv[k];
      if (JSON.stringify(cur) === JSON.stringify(orig)) continue;
      if (JSON.stringify(cur) !== JSON.stringify(mine)) {
        kept.push(k);
        continue;
      }
      text = setKey(text, k, orig, fmt);
    }
    if (!rec.hadEnv) {
      const after = parseTarget(text, file);
      if (after.env && Object.keys(after.env).length === 0) {
        text = applyEdits(text, modify(text, ['env'], undefined, { formattingOptions: fmt }));
      }
    }
    let backup: string | undefined;
    if (text !== before) {
      if (!before.endsWith('\n') && text.endsWith('\n')) text = text.slice(0, -1);
      backup = writeFileAtomic(file, text, { backup: true }).backup;
    }
    dropRecord(file, env);
    const keptMsg = kept.length ? `; kept your own value of ${kept.map((k) => `env.${k}`).join(', ')}` : '';
    return {
      kind: target.kind,
      file,
      ok: true,
      action: 'keys-reverted',
      changedMeanwhile: true,
      ...(kept.length ? { keptUserKeys: kept } : {}),
      ...(backup ? { backup } : {}),
      message: `${file} was changed after Elevate's last write: only Elevate's keys were reverted${keptMsg} (backup: ${backup ?? 'none needed'})`,
    };
  } catch (e) {
    return failed(target, e);
  }
}

/**
 * Bring every target in step with the tier. `desired` null (off) restores every touched file. Files
 * Elevate touched that are no longer targets are restored too.
 */
export function syncClaudeSettings(
  targets: ClaudeTarget[],
  desired: Record<string, string> | null,
  env: Env = process.env,
  now: Date = new Date(),
): TargetResult[] {
  const results: TargetResult[] = [];
  const wanted = new Set(targets.map((t) => path.resolve(t.file)));
  for (const t of targets) {
    if (desired) results.push(applyClaudeTarget(t, desired, env, now));
    else {
      const r = restoreClaudeTarget(t, env);
      if (r) results.push(r);
    }
  }
  for (const t of touchedFiles(env)) {
    if (wanted.has(t.file)) continue;
    const r = restoreClaudeTarget(t, env);
    if (r) results.push(r);
  }
  return results;
}

/** Restore every file Elevate touched (tier off, app quit). */
export function restoreAllClaudeSettings(env: Env = process.env): TargetResult[] {
  const out: TargetResult[] = [];
  for (const t of touchedFiles(env)) {
    const r = restoreClaudeTarget(t, env);
    if (r) out.push(r);
  }
  return out;
}
