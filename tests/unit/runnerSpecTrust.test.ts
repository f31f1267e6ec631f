// `elevate run --session ID` trusts the spec to decide what runs with the tier's credentials: it must refuse
// specs it cannot trust (symlinked, writable by others, in a directory others can write, naming another id)
// and must run a spec at most once, even when two runners race before either recorded startedAt.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runSession, type RunnerDeps } from '../../electron/node/runner';
import { sessionPath, writeSession, type SessionSpec } from '../../electron/node/sessions';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

function home(): { root: string; env: Record<string, string> } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'elevate-spec-trust-'));
  roots.push(root);
  return { root, env: { ELEVATE_HOME: path.join(root, 'eh'), PATH: process.env.PATH ?? '', HOME: root } };
}

function spec(id: string, cwd: string): SessionSpec {
  return {
    id,
    kind: 'command',
    tier: null,
    profile: null,
    cwd,
    argv: [process.execPath, '-e', ''],
    env: { set: {}, unset: [] },
    title: 't',
    createdAt: new Date().toISOString(),
  };
}

/** Deps whose spawn records calls and returns a child that "starts" on the next tick and exits on demand. */
function fakeDeps(env: Record<string, string>) {
  const spawned: string[][] = [];
  const children: Array<EventEmitter & { pid: number; exitCode: number | null; signalCode: null }> = [];
  let stderr = '';
  const deps: Partial<RunnerDeps> = {
    env,
    stderr: { write: (s: string) => (stderr += s) },
    stdout: { write: () => true, isTTY: false },
    stdinIsTTY: false,
    holdOpen: () => Promise.resolve(),
    onSignal: () => () => undefined,
    kill: () => undefined,
    descendants: () => [],
    platform: 'linux',
    spawn: ((file: string, args: string[]) => {
      spawned.push([file, ...args]);
      const child = Object.assign(new EventEmitter(), {
        pid: 4_000_000 + children.length,
        exitCode: null as number | null,
        signalCode: null,
      });
      children.push(child);
      process.nextTick(() => child.emit('spawn'));
      return child;
    }) as unknown as RunnerDeps['spawn'],
  };
  return { deps, spawned, children, stderr: () => stderr };
}

describe('elevate run: spec trust and single use', () => {
  it('two runners racing on one spec: only one starts the program', async () => {
    const h = home();
    const id = 'race-spec-0001';
    writeSession(spec(id, h.root), h.env);
    const f = fakeDeps(h.env);
    const first = runSession(id, f.deps);
    const second = runSession(id, f.deps); // before the first child's 'spawn' recorded startedAt
    await new Promise((r) => setImmediate(r));
    const started = f.spawned.length;
    for (const c of f.children) c.emit('exit', 0, null);
    expect(await Promise.all([first, second])).toEqual([0, 1]);
    expect(started).toBe(1);
    expect(f.stderr()).toContain('already run');
  });

  it('a spec file replaced by a symlink is refused, even to a file the user owns', async () => {
    const h = home();
    const id = 'symlink-spec-0001';
    writeSession(spec(id, h.root), h.env);
    const file = sessionPath(id, h.env);
    const elsewhere = path.join(h.root, 'other.json');
    fs.renameSync(file, elsewhere);
    fs.symlinkSync(elsewhere, file);
    const f = fakeDeps(h.env);
    expect(await runSession(id, f.deps)).toBe(1);
    expect(f.stderr()).toMatch(/refusing session .*symbolic link/);
    expect(f.spawned).toHaveLength(0);
  });

  it('a group-writable spec, or one in a directory others can write, is refused', async () => {
    const h = home();
    const id = 'mode-spec-0001';
    writeSession(spec(id, h.root), h.env);
    const file = sessionPath(id, h.env);
    fs.chmodSync(file, 0o620);
    let f = fakeDeps(h.env);
    expect(await runSession(id, f.deps)).toBe(1);
    expect(f.stderr()).toMatch(/writable by other users \(mode 620\)/);

    fs.chmodSync(file, 0o600);
    fs.chmodSync(path.dirname(file), 0o777);
    f = fakeDeps(h.env);
    expect(await runSession(id, f.deps)).toBe(1);
    expect(f.stderr()).toContain(`${path.dirname(file)} is writable by other users (mode 777)`);
    expect(f.spawned).toHaveLength(0);

    // Back to the user's own modes: the same spec runs.
    fs.chmodSync(path.dirname(file), 0o700);
    f = fakeDeps(h.env);
    const run = runSession(id, f.deps);
    await new Promise((r) => setImmediate(r));
    expect(f.spawned).toHaveLength(1);
    f.children[0]!.emit('exit', 0, null);
    expect(await run).toBe(0);
  });

  it('a spec copied under another id (its content names a different session) is refused', async () => {
    const h = home();
    writeSession(spec('original-0001', h.root), h.env);
    const copy = sessionPath('copied-00000001', h.env);
    fs.copyFileSync(sessionPath('original-0001', h.env), copy);
    const f = fakeDeps(h.env);
    expect(await runSession('copied-00000001', f.deps)).toBe(1);
    expect(f.stderr()).toContain('names session "original-0001"');
    expect(f.spawned).toHaveLength(0);
  });

  it('path-traversal ids never reach the file system', async () => {
    const h = home();
    const f = fakeDeps(h.env);
    for (const id of ['../../etc/passwd', '..', 'a/../../b', 'ABCDEFGH/..']) {
      expect(() => runSession(id, f.deps)).toThrow(/invalid session id/);
    }
    expect(f.spawned).toHaveLength(0);
  });
});

describe('dropSession and recorded pids', () => {
  it('a stale spec whose runner pid now belongs to another process: closed, nothing signalled', async () => {
    const h = home();
    const { spawn } = await import('node:child_process');
    const { dropSession, sameProcess } = await import('../../electron/node/runner');
    const { readSession } = await import('../../electron/node/sessions');
    // An unrelated process that got the number after the session's runner died (it started later).
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const s = spec('stale-pids-0001', h.root);
      const startedAt = new Date(Date.now() - 3600_000).toISOString();
      writeSession({ ...s, startedAt, runnerPid: other.pid!, pid: other.pid!, graceMs: 200 }, h.env);
      const t0 = Date.now();
      const r = await dropSession('stale-pids-0001', { env: h.env, by: 'test', pollMs: 20 });
      expect(Date.now() - t0).toBeLessThan(1000); // no waiting for a runner that is not ours
      expect(r.forced).toBe(false);
      expect(readSession('stale-pids-0001', h.env)).toMatchObject({ endReason: 'dropped' });
      expect(other.exitCode).toBeNull();
      expect(other.signalCode).toBeNull();
      expect(() => process.kill(other.pid!, 0)).not.toThrow();
      expect(sameProcess(other.pid!, startedAt)).toBe(false);
      expect(sameProcess(process.pid, new Date().toISOString())).toBe(true);
    } finally {
      other.kill('SIGKILL');
    }
  });
});
