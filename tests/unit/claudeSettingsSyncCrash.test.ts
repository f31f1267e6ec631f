// P7 (issue 12): no user file lost at any instant. A real child process runs the Claude settings sync and
// is SIGKILLed at each write step (a test-only wrapper stops it there: tests/helpers/syncChild.ts); the
// next run must restore the original byte-identically. Also: versioned backups never overwritten, and a
// user edit made between Elevate's read and write is never lost.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  applyClaudeTarget,
  restoreAllClaudeSettings,
  touchedFiles,
  type SyncStep,
} from '../../electron/node/claudeSettingsSync';

const ORIGINAL = Buffer.from(
  '{\n  // my settings — keep this comment\n  "model": "opus",\n  "env": { "FOO": "bar", "AWS_PROFILE": "mine" },\n  "zz": [1, 2]\n}',
);
const RO = { AWS_PROFILE: 'claudecode-readonly' };
const EL = { AWS_PROFILE: 'claudecode-elevated' };

let bundleDir: string;
let child: string;
beforeAll(() => {
  bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'elevate-syncchild-'));
  child = path.join(bundleDir, 'syncChild.cjs');
  buildSync({
    entryPoints: [path.join(__dirname, '..', 'helpers', 'syncChild.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // As scripts/build-cli.mjs: jsonc-parser's "main" is a UMD build esbuild cannot follow.
    mainFields: ['module', 'main'],
    outfile: child,
    logLevel: 'silent',
  });
});
afterAll(() => fs.rmSync(bundleDir, { recursive: true, force: true }));

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});
function setup(): { file: string; home: string; env: NodeJS.ProcessEnv } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'elevate-p7-'));
  roots.push(root);
  const file = path.join(root, 'project', '.claude', 'settings.local.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, ORIGINAL, { mode: 0o640 });
  const home = path.join(root, 'elevate-home');
  return { file, home, env: { ...process.env, ELEVATE_HOME: home } };
}

/** Runs the child; with `stopAt`, waits until it reports that step, SIGKILLs it and resolves 'killed'. */
function runChild(
  op: 'apply' | 'restore',
  file: string,
  home: string,
  stopAt: string,
  desired: Record<string, string> = {},
): Promise<'killed' | 'done'> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, op, file, home, stopAt, JSON.stringify(desired)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killed = false;
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!killed && out.includes(`AT ${stopAt}\n`)) {
        killed = true;
        p.kill('SIGKILL');
      }
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`child did not reach ${stopAt}: ${out} ${err}`));
    }, 15_000);
    p.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (killed && signal === 'SIGKILL') resolve('killed');
      else if (!killed && code === 0 && out.includes('DONE ')) resolve('done');
      else reject(new Error(`child exited ${code}/${signal} without reaching ${stopAt}: ${out} ${err}`));
    });
  });
}

const APPLY_STEPS: SyncStep[] = [
  'read',
  'record-saved',
  'backup-written',
  'temp-written',
  'renamed',
  'record-finalized',
];
const APPLY_AGAIN_STEPS: SyncStep[] = ['read', 'record-saved', 'temp-written', 'renamed', 'record-finalized'];
const RESTORE_STEPS: SyncStep[] = ['read', 'temp-written', 'renamed', 'record-dropped'];

describe('claude settings sync survives SIGKILL at every write step', () => {
  for (const step of APPLY_STEPS) {
    it(`first apply killed after "${step}": the next run restores the original byte-identically`, async () => {
      const { file, home, env } = setup();
      expect(await runChild('apply', file, home, step, EL)).toBe('killed');
      const results = restoreAllClaudeSettings(env);
      expect(fs.readFileSync(file).equals(ORIGINAL)).toBe(true);
      expect(results.every((r) => r.ok)).toBe(true);
      if (step === 'temp-written' || step === 'backup-written') {
        // The dead writer's temp file is still there; the next write beside it removes it.
        applyClaudeTarget({ kind: 'claude-project', file }, RO, env);
        restoreAllClaudeSettings(env);
      }
      expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(touchedFiles(env)).toEqual([]);
      // …and a later cycle (apply, restore) after the crash still ends on the original.
      expect(applyClaudeTarget({ kind: 'claude-project', file }, RO, env).ok).toBe(true);
      expect(fs.readFileSync(file, 'utf8')).toContain('"AWS_PROFILE": "claudecode-readonly"');
      restoreAllClaudeSettings(env);
      expect(fs.readFileSync(file).equals(ORIGINAL)).toBe(true);
    }, 30_000);
  }

  for (const step of APPLY_AGAIN_STEPS) {
    it(`second apply (next tier) killed after "${step}": the original is not lost on the next cycle`, async () => {
      const { file, home, env } = setup();
      expect(applyClaudeTarget({ kind: 'claude-project', file }, RO, env).action).toBe('written');
      expect(await runChild('apply', file, home, step, EL)).toBe('killed');
      // The next run: apply again (as a tier switch would), then restore.
      expect(applyClaudeTarget({ kind: 'claude-project', file }, RO, env).ok).toBe(true);
      restoreAllClaudeSettings(env);
      expect(fs.readFileSync(file).equals(ORIGINAL)).toBe(true);
    }, 30_000);
  }

  for (const step of RESTORE_STEPS) {
    it(`restore killed after "${step}": the next run finishes it, byte-identical`, async () => {
      const { file, home, env } = setup();
      applyClaudeTarget({ kind: 'claude-project', file }, EL, env);
      expect(await runChild('restore', file, home, step)).toBe('killed');
      restoreAllClaudeSettings(env);
      expect(fs.readFileSync(file).equals(ORIGINAL)).toBe(true);
      expect(touchedFiles(env)).toEqual([]);
    }, 30_000);
  }

  it('the child runs to completion without a stop (the wrapper itself changes nothing)', async () => {
    const { file, home, env } = setup();
    expect(await runChild('apply', file, home, 'never', EL)).toBe('done');
    expect(fs.readFileSync(file, 'utf8')).toContain('"AWS_PROFILE": "claudecode-elevated"');
    expect(await runChild('restore', file, home, 'never')).toBe('done');
    expect(fs.readFileSync(file).equals(ORIGINAL)).toBe(true);
    expect(touchedFiles(env)).toEqual([]);
  }, 30_000);
});

describe('backups and concurrent user edits', () => {
  it('backups are versioned and never overwritten; only what the user had is backed up', () => {
    const { file, env } = setup();
    const t = { kind: 'claude-project' as const, file };
    expect(applyClaudeTarget(t, RO, env).backup).toBe(`${file}.elevate-bak`);
    // A switch on top of Elevate's own write needs no backup (the record reproduces it).
    expect(applyClaudeTarget(t, EL, env).backup).toBeUndefined();
    // The user edits the file meanwhile; the next write backs up THEIR version, beside the first.
    const edited = fs.readFileSync(file, 'utf8').replace('"model": "opus"', '"model": "sonnet"');
    fs.writeFileSync(file, edited);
    expect(applyClaudeTarget(t, RO, env).backup).toBe(`${file}.elevate-bak.1`);
    expect(fs.readFileSync(`${file}.elevate-bak`).equals(ORIGINAL)).toBe(true);
    expect(fs.readFileSync(`${file}.elevate-bak.1`, 'utf8')).toBe(edited);
    // Restore keeps the user's edit (keys reverted, not bytes) and backs up before writing.
    const [r] = restoreAllClaudeSettings(env);
    expect(r).toMatchObject({
      action: 'keys-reverted',
      changedMeanwhile: true,
      backup: `${file}.elevate-bak.2`,
    });
    const after = fs.readFileSync(file, 'utf8');
    expect(after).toContain('"model": "sonnet"');
    expect(after).toContain('"AWS_PROFILE": "mine"');
    expect(after).toContain('// my settings — keep this comment');
    expect(fs.readFileSync(`${file}.elevate-bak`).equals(ORIGINAL)).toBe(true);
    expect(fs.readFileSync(`${file}.elevate-bak.1`, 'utf8')).toBe(edited);
  });

  it('a user edit between Elevate’s read and its rename is never lost: re-read and re-applied on top', () => {
    const { file, env } = setup();
    let edits = 0;
    const r = applyClaudeTarget({ kind: 'claude-project', file }, EL, env, new Date(), {
      onStep(step) {
        if (step === 'temp-written' && edits === 0) {
          edits++;
          const cur = fs.readFileSync(file, 'utf8');
          fs.writeFileSync(file, cur.replace('"zz": [1, 2]', '"zz": [1, 2, 3]'));
        }
      },
    });
    expect(r).toMatchObject({ ok: true, action: 'written' });
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('"zz": [1, 2, 3]');
    expect(text).toContain('"AWS_PROFILE": "claudecode-elevated"');
    // The record's original is what the user had before Elevate's write landed (their edit included).
    restoreAllClaudeSettings(env);
    const restored = fs.readFileSync(file, 'utf8');
    expect(restored).toContain('"zz": [1, 2, 3]');
    expect(restored).toContain('"AWS_PROFILE": "mine"');
  });

  it('a file that keeps changing under every attempt is left exactly as the user has it, and reported', () => {
    const { file, env } = setup();
    let n = 0;
    const r = applyClaudeTarget({ kind: 'claude-project', file }, EL, env, new Date(), {
      onStep(step) {
        if (step === 'temp-written') fs.writeFileSync(file, `{ "edit": ${++n} }\n`);
      },
    });
    expect(r).toMatchObject({ ok: false, action: 'failed', changedMeanwhile: true });
    expect(r.message).toMatch(/kept changing/);
    expect(fs.readFileSync(file, 'utf8')).toBe(`{ "edit": ${n} }\n`);
    expect(n).toBeGreaterThan(1);
    // No temp files left beside it.
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
