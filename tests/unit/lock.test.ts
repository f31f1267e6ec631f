// active.lock records its holder (issue 12 P7): a crashed holder's lock is taken at once (it blocked
// `elevate switch off` for 15 s), a live holder's is respected, a reused pid (same number, another start
// time) counts as dead, and a record-less lock (an older Elevate's directory) still goes stale after 15 s.
// Holders are real processes: a `sleep` child that is SIGKILLed while "holding" the lock.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readActiveRaw, switchTier, SwitchError } from '../../electron/node/activeTier';
import { readAppState, updateAppState } from '../../electron/node/appState';
import { LockTimeoutError, processStart, readHolder, withFileLock } from '../../electron/node/lock';
import { files } from '../../electron/node/paths';

const SEED = fs.readFileSync(new URL('../fixtures/seed-config.ini', import.meta.url), 'utf8');

let root: string;
let env: Record<string, string>;
let lockFile: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'elevate-lock-'));
  env = {
    HOME: root,
    ELEVATE_HOME: path.join(root, 'elevate'),
    AWS_CONFIG_FILE: path.join(root, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(root, 'aws-credentials'),
    CLAUDE_CONFIG_DIR: path.join(root, 'claude'),
  };
  fs.mkdirSync(env.ELEVATE_HOME!, { recursive: true });
  fs.writeFileSync(env.AWS_CONFIG_FILE!, SEED);
  lockFile = files.activeLock(env);
});

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

/** A real process, and the holder record lock.ts would have written for it. */
async function holderProcess(): Promise<{ child: ChildProcess; pid: number }> {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
  const pid = child.pid!;
  fs.writeFileSync(
    lockFile,
    JSON.stringify({ pid, start: processStart(pid), token: 'held-by-child', at: new Date().toISOString() }),
  );
  return { child, pid };
}

async function kill9(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

describe('active.lock records its holder', () => {
  it('the lock file names the holder (pid + start time) while held, and is gone after', () => {
    const seen = withFileLock(lockFile, () => readHolder(lockFile));
    expect(seen).toMatchObject({ pid: process.pid });
    if (process.platform === 'linux') expect(seen?.start).toMatch(/^\d+$/);
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('a SIGKILLed holder (real dead pid): `switch off` takes the lock at once, not after 15 s', async () => {
    switchTier('readonly', { env, now: new Date(), source: 'cli' });
    const { child, pid } = await holderProcess();
    await kill9(child);
    expect(() => process.kill(pid, 0)).toThrow(); // really dead
    const t0 = Date.now();
    const r = switchTier('off', { env, now: new Date(), source: 'cli' });
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(r.state.tier).toBe('off');
    expect(readActiveRaw(env).tier).toBe('off');
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('a live holder is respected: the waiter times out naming its pid; once it is killed the lock is free', async () => {
    const { child, pid } = await holderProcess();
    const t0 = Date.now();
    let caught: unknown;
    try {
      withFileLock(lockFile, () => 'never', { timeoutMs: 300 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(LockTimeoutError);
    expect((caught as LockTimeoutError).code).toBe('locked');
    expect((caught as Error).message).toContain(`pid ${pid}`);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    // through activeTier: the same as a SwitchError 'locked' (exit code 1: try again)
    expect(() => switchTier('readonly', { env, now: new Date(), source: 'cli' })).toThrow(SwitchError);
    expect(fs.existsSync(files.active(env))).toBe(false); // nothing written while it held the lock
    await kill9(child);
    expect(withFileLock(lockFile, () => 'taken')).toBe('taken');
  }, 15_000);

  it('a reused pid (alive, but another start time) counts as a dead holder', () => {
    if (processStart(process.pid) === null) return; // no start times on this OS: pid liveness only
    fs.writeFileSync(
      lockFile,
      JSON.stringify({
        pid: process.pid,
        start: 'not-this-process',
        token: 'old',
        at: '2026-01-01T00:00:00Z',
      }),
    );
    const t0 = Date.now();
    expect(withFileLock(lockFile, () => 'taken')).toBe('taken');
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('a record-less lock (an older Elevate’s active.lock/ directory) is respected until 15 s old', () => {
    fs.mkdirSync(lockFile);
    expect(() => withFileLock(lockFile, () => 'x', { timeoutMs: 100 })).toThrow(LockTimeoutError);
    const old = new Date(Date.now() - 20_000);
    fs.utimesSync(lockFile, old, old);
    expect(withFileLock(lockFile, () => 'taken')).toBe('taken');
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('re-entrant in one process: state.json is written under the lock by activeTier and the app alike', () => {
    const out = withFileLock(lockFile, () =>
      updateAppState((prev) => ({ ...prev, pid: 4242, activeTier: 'readonly' }), env),
    );
    expect(out).toMatchObject({ pid: 4242 });
    switchTier('readonly', { env, now: new Date(), source: 'cli' }); // mirrors into state.json, keeps pid
    expect(readAppState(env).state).toMatchObject({ pid: 4242, activeTier: 'readonly' });
    expect(fs.existsSync(lockFile)).toBe(false);
  });
});
