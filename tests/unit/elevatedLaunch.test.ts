// elevatedLaunch: the one elevation transaction — validation first, one record per elevation, rollback.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { elevatedLaunch, ElevatedLaunchError, snapshotPath } from '../../electron/node/elevatedLaunch';
import type { LaunchOptions, LaunchResult } from '../../electron/node/launcher';
import { readAudit } from '../../electron/node/audit';
import { defaultSettings } from '../../shared/settings';
import type { CoreContext } from '../../electron/node/context';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function setup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'elevated-launch-'));
  dirs.push(root);
  const env = { ELEVATE_HOME: path.join(root, 'eh'), HOME: root };
  const ctx = { env, settings: defaultSettings(), tiers: {}, setup: {} } as unknown as CoreContext;
  const calls: LaunchOptions[] = [];
  const ok = async (o: LaunchOptions): Promise<LaunchResult> => {
    calls.push(o);
    return {
      spec: {
        id: o.sessionId!,
        kind: 'claude',
        tier: 'elevated',
        profile: 'claudecode-elevated',
        cwd: o.cwd,
        argv: ['claude'],
        env: { set: {}, unset: [] },
        title: 't',
        createdAt: new Date().toISOString(),
        deadline: o.deadline!.toISOString(),
      },
      specPath: '',
      terminal: { id: 'x', label: 'x', argv: [] },
      removed: [],
      warnings: [],
      commandArgv: [],
    };
  };
  return { root, env, ctx, calls, ok };
}

describe('elevatedLaunch', () => {
  it('bad minutes: refused before anything runs (before() not called, nothing launched or audited)', async () => {
    const { root, env, ctx, calls, ok } = setup();
    let before = 0;
    for (const minutes of [14, 61, 30.5, 'ten', 720]) {
      await expect(
        elevatedLaunch({ cwd: root, env, ctx, minutes, launch: ok, before: async () => void before++ }),
      ).rejects.toBeInstanceOf(ElevatedLaunchError);
    }
    expect(before).toBe(0);
    expect(calls).toEqual([]);
    expect(readAudit(env)).toEqual([]);
  });

  it('one elevation-start line; whole-second deadline; the plan snapshot is what the prompt names', async () => {
    const { root, env, ctx, calls, ok } = setup();
    const bytes = new TextEncoder().encode('# Plan\n\n1. aws s3 ls\n');
    const r = await elevatedLaunch({
      cwd: root,
      env,
      ctx,
      minutes: 15,
      launch: ok,
      plan: { hash: 'ab'.repeat(32), bytes },
    });
    expect(r.deadline).toMatch(/:\d\d\.000Z$/);
    expect(calls[0]!.prompt).toContain(snapshotPath(r.sessionId, env));
    expect(fs.readFileSync(r.snapshot!, 'utf8')).toBe('# Plan\n\n1. aws s3 ls\n');
    expect((fs.statSync(r.snapshot!).mode & 0o777).toString(8)).toBe('400');
    expect(readAudit(env).filter((a) => a.type === 'elevation-start')).toMatchObject([
      {
        sessionId: r.sessionId,
        minutes: 15,
        deadline: r.deadline,
        source: 'handoff',
        planHash: 'ab'.repeat(32),
      },
    ]);
  });

  it('rollback: a failed launch records nothing and removes the snapshot; a failed record drops the session', async () => {
    const { root, env, ctx, ok } = setup();
    let id = '';
    await expect(
      elevatedLaunch({
        cwd: root,
        env,
        ctx,
        minutes: 15,
        plan: { hash: 'cd'.repeat(32), bytes: new Uint8Array([0x23]) },
        launch: async (o) => {
          id = o.sessionId!;
          throw new Error('terminal failed');
        },
      }),
    ).rejects.toThrow('terminal failed');
    expect(fs.existsSync(snapshotPath(id, env))).toBe(false);
    expect(readAudit(env)).toEqual([]);
    const dropped: string[] = [];
    await expect(
      elevatedLaunch({
        cwd: root,
        env,
        ctx,
        minutes: 15,
        launch: ok,
        record: () => {
          throw new Error('no elevated tier');
        },
        drop: async (sid) => void dropped.push(sid),
      }),
    ).rejects.toMatchObject({ code: 'record-failed' });
    expect(dropped).toHaveLength(1);
  });
});
