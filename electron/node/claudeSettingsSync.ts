// Keeps Elevate's keys (env.AWS_PROFILE and, with Bedrock, env.AWS_REGION / CLAUDE_CODE_USE_BEDROCK /
// ANTHROPIC_MODEL) in Claude's user settings.json and chosen projects' .claude/settings.local.json in step
// with the active tier, and puts the files back exactly as they were when the tier goes `off` or the app
// quits.
//
// - Edits are textual (jsonc-parser modify/applyEdits): comments, key order, formatting, other keys kept.
// - Writes are atomic with a versioned backup beside an existing file (`<file>.elevate-bak`, `.1`, `.2`, …;
//   never overwritten) (atomicFile.ts).
// - No instant loses the original (issue 12, P7): the first time Elevate touches a file it records the
//   ORIGINAL bytes (and their hash) and the original values of its keys in
//   $ELEVATE_HOME/restore/<hash of path>.json (0600), written and fsync'd BEFORE the file itself, with the
//   hash of the text it is about to write (`pendingHash`); after the rename the record is finalized.
//   A process killed at any step leaves either the original, or a text the record knows as Elevate's.
// - Restore is byte-identical when the file still hashes to Elevate's last (or pending) write, a no-op
//   when it already holds the original bytes; otherwise — or when the user edited the file while Elevate
//   was managing it — only Elevate's keys that still hold the value Elevate wrote are reverted (a key the
//   user changed is left alone) and the result says "changed meanwhile".
// - The file is re-hashed just before each rename: an edit made between Elevate's read and its write is
//   never clobbered — the file is re-read and the change re-applied on top of it (a few times), or the
//   target reports it.
// - A file that is not valid JSON(C) is never written: the target reports why and the record is kept.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { applyEdits, modify, type FormattingOptions } from 'jsonc-parser';
import { FileChangedError, writeFileAtomic, type AtomicWriteStep } from './atomicFile';
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

/** Points of a sync write, in order; crash tests stop the process at each (see SyncHooks). */
export type SyncStep = 'read' | 'record-saved' | AtomicWriteStep | 'record-finalized' | 'record-dropped';

export interface SyncHooks {
  /** Called after each step (tests: stop here, be killed, prove the next run restores the original). */
  onStep?: (step: SyncStep, file: string) => void;
}

/** How many times an apply re-reads and re-applies when the user edits the file under it. */
const MAX_APPLY_ATTEMPTS = 4;

interface RestoreRecord {
  version: 1;
  kind: ClaudeTarget['kind'];
  file: string;
  existed: boolean;
  /** Original bytes, base64 (null when the file did not exist). */
  original: string | null;
  /** sha256 of the original bytes (null when the file did not exist). Absent in records before P7. */
  originalHash?: string | null;
  /** sha256 of the text Elevate is about to write (set before the write, cleared when finalized). */
  pendingHash?: string;
  /** The user changed the file while Elevate managed it: restore reverts keys, not bytes. */
  userEdited?: boolean;
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

/** Atomic and fsync'd (temp file fsync, rename, directory fsync): durable before the caller goes on. */
function saveRecord(rec: RestoreRecord, env: Env): void {
  fs.mkdirSync(restoreDir(env), { recursive: true, mode: 0o700 });
  writeFileAtomic(recordPath(rec.file, env), `${JSON.stringify(rec, null, 2)}\n`, { mode: 0o600 });
}

function dropRecord(file: string, env: Env, hooks: SyncHooks = {}): void {
  fs.rmSync(recordPath(file, env), { force: true });
  hooks.onStep?.('record-dropped', file);
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
  hooks: SyncHooks = {},
): TargetResult {
  const file = path.resolve(target.file);
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        return applyOnce(target, file, desired, env, now, hooks);
      } catch (e) {
        if (!(e instanceof FileChangedError)) throw e;
        if (attempt >= MAX_APPLY_ATTEMPTS) {
          return {
            kind: target.kind,
            file,
            ok: false,
            action: 'failed',
            changedMeanwhile: true,
            message: `${file} kept changing while Elevate was writing it; left as it is (your edits kept). Run the switch again.`,
          };
        }
      }
    }
  } catch (e) {
    return failed(target, e);
  }
}

function applyOnce(
  target: ClaudeTarget,
  file: string,
  desired: Record<string, string>,
  env: Env,
  now: Date,
  hooks: SyncHooks,
): TargetResult {
  const bytes = readBytes(file);
  hooks.onStep?.('read', file);
  const before = bytes === null ? null : bytes.toString('utf8');
  const beforeHash = bytes === null ? null : sha256(bytes);
  const parsed =
    before === null || before.trim() === '' ? { root: {}, env: null } : parseTarget(before, file);
  let rec = loadRecord(file, env);
  // Bytes only Elevate produced (its last write) need no backup: the record reproduces them.
  const elevatesOwn =
    rec !== null && beforeHash !== null && [rec.writtenHash, rec.pendingHash].includes(beforeHash);
  if (rec) {
    // Edited by the user since Elevate's last write: from now on restore reverts keys, never bytes.
    const known = [rec.writtenHash, rec.pendingHash, rec.originalHash].filter((h) => h);
    if (beforeHash !== null && !known.includes(beforeHash)) rec.userEdited = true;
  } else {
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
      originalHash: beforeHash,
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
    // The restore record first (fsync'd), naming what is about to be written; then the file.
    rec.pendingHash = sha256(Buffer.from(text, 'utf8'));
    rec.written = written;
    saveRecord(rec, env);
    hooks.onStep?.('record-saved', file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // A versioned backup of what the user had (never of a file Elevate created, or of Elevate's own write).
    const r = writeFileAtomic(file, text, {
      backup: bytes !== null && rec.existed && !elevatesOwn,
      mode: 0o600,
      expectHash: beforeHash,
      onStep: (step) => hooks.onStep?.(step, file),
    });
    backup = r.backup;
  }
  rec.written = written;
  rec.writtenHash = sha256(changed ? Buffer.from(text, 'utf8') : (bytes ?? Buffer.alloc(0)));
  delete rec.pendingHash;
  rec.lastWritten = now.toISOString();
  saveRecord(rec, env);
  hooks.onStep?.('record-finalized', file);
  return {
    kind: target.kind,
    file,
    ok: true,
    action: changed ? 'written' : 'unchanged',
    ...(backup ? { backup } : {}),
  };
}

/** Put one file back as it was before Elevate first touched it (see the header). Null: nothing recorded. */
export function restoreClaudeTarget(
  target: ClaudeTarget,
  env: Env = process.env,
  hooks: SyncHooks = {},
): TargetResult | null {
  const file = path.resolve(target.file);
  const rec = loadRecord(file, env);
  if (!rec) return null;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        return restoreOnce(target, file, rec, env, hooks);
      } catch (e) {
        if (!(e instanceof FileChangedError) || attempt >= MAX_APPLY_ATTEMPTS) throw e;
      }
    }
  } catch (e) {
    if (e instanceof FileChangedError) {
      return {
        kind: target.kind,
        file,
        ok: false,
        action: 'failed',
        changedMeanwhile: true,
        message: `${file} kept changing while Elevate was restoring it; left as it is, restore record kept (run \`elevate switch off\` again)`,
      };
    }
    return failed(target, e);
  }
}

function restoreOnce(
  target: ClaudeTarget,
  file: string,
  rec: RestoreRecord,
  env: Env,
  hooks: SyncHooks,
): TargetResult {
  {
    const bytes = readBytes(file);
    hooks.onStep?.('read', file);
    if (bytes === null && !rec.existed) {
      // Elevate was about to create it (killed before the rename), or it was removed: nothing to undo.
      dropRecord(file, env, hooks);
      return { kind: target.kind, file, ok: true, action: 'deleted' };
    }
    if (bytes === null) {
      dropRecord(file, env, hooks);
      return {
        kind: target.kind,
        file,
        ok: true,
        action: 'gone',
        changedMeanwhile: true,
        message: `${file} was deleted meanwhile; nothing to restore`,
      };
    }
    const hash = sha256(bytes);
    if (rec.originalHash && hash === rec.originalHash) {
      // Already the original bytes (killed before Elevate's rename, or restored before the record was dropped).
      dropRecord(file, env, hooks);
      return { kind: target.kind, file, ok: true, action: 'restored' };
    }
    if (!rec.userEdited && (hash === rec.writtenHash || hash === rec.pendingHash)) {
      if (rec.existed && rec.original !== null) {
        // The file holds exactly Elevate's write (no user edit in it): the original goes back, no backup needed.
        const r = writeFileAtomic(file, Buffer.from(rec.original, 'base64'), {
          expectHash: hash,
          onStep: (step) => hooks.onStep?.(step, file),
        });
        dropRecord(file, env, hooks);
        return {
          kind: target.kind,
          file,
          ok: true,
          action: 'restored',
          ...(r.backup ? { backup: r.backup } : {}),
        };
      }
      if (sha256(readBytes(file) ?? Buffer.alloc(0)) !== hash) throw new FileChangedError(file);
      fs.rmSync(file, { force: true });
      if (rec.createdDir) {
        fs.rmSync(`${file}.elevate-bak`, { force: true });
        try {
          fs.rmdirSync(rec.createdDir); // only when empty
        } catch {
          /* not empty: keep */
        }
      }
      dropRecord(file, env, hooks);
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
      backup = writeFileAtomic(file, text, {
        backup: true,
        expectHash: hash,
        onStep: (step) => hooks.onStep?.(step, file),
      }).backup;
    }
    dropRecord(file, env, hooks);
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
  hooks: SyncHooks = {},
): TargetResult[] {
  const results: TargetResult[] = [];
  const wanted = new Set(targets.map((t) => path.resolve(t.file)));
  for (const t of targets) {
    if (desired) results.push(applyClaudeTarget(t, desired, env, now, hooks));
    else {
      const r = restoreClaudeTarget(t, env, hooks);
      if (r) results.push(r);
    }
  }
  for (const t of touchedFiles(env)) {
    if (wanted.has(t.file)) continue;
    const r = restoreClaudeTarget(t, env, hooks);
    if (r) results.push(r);
  }
  return results;
}

/** Restore every file Elevate touched (tier off, app quit). */
export function restoreAllClaudeSettings(env: Env = process.env, hooks: SyncHooks = {}): TargetResult[] {
  const out: TargetResult[] = [];
  for (const t of touchedFiles(env)) {
    const r = restoreClaudeTarget(t, env, hooks);
    if (r) out.push(r);
  }
  return out;
}
