// plan.md handoff end to end: the real `elevate handoff` CLI, the real launcher and `elevate run` (through a
// $TERMINAL stand-in that runs its `-e` command like xterm would), a stand-in `claude` that records its
// argv/env, the local STS endpoint, and the real AWS CLI v2 with the env the elevated session received.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsTestEnv, startAwsServer, type AwsServer } from '../helpers/awsServer';
import { ELEVATE_BIN, makeSandbox, type Sandbox } from '../helpers/cli';
import { makeStandIn, pidAlive, type StandIn } from '../helpers/standin';
import { encodeProjectDir } from '../../electron/node/claudeSessions';
import { readAudit } from '../../electron/node/audit';
import { getApproval, recordApproval } from '../../electron/node/approvals';
import { listSessions, readSession } from '../../electron/node/sessions';
import { PlanWatcher, type PendingPlan } from '../../electron/node/planWatcher';
import { planHash, type ApprovalState } from '../../shared/plan';
import { launchHandoff } from '../../electron/node/handoff';

const execFileP = promisify(execFile);
const hasAwsCli = fs.existsSync('/usr/bin/aws');
const BASE = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const ELEVATED_ROLE = 'arn:aws:iam::111122223333:role/ClaudeElevated';

const CONFIG = `[profile claudecode-readonly]
region = eu-west-2
role_arn = arn:aws:iam::111122223333:role/ClaudeReadOnly
source_profile = base
role_session_name = claude-ro

[profile claudecode-elevated]
region = eu-west-2
role_arn = ${ELEVATED_ROLE}
source_profile = claudecode-readonly
role_session_name = claude-el
`;

let server: AwsServer;
let sb: Sandbox;
let standIn: StandIn;
let project: string;
let env: Record<string, string>;

beforeEach(async () => {
  server = await startAwsServer({ staticKeys: [BASE] });
  sb = makeSandbox('elevate-handoff-');
  sb.writeConfig(CONFIG);
  sb.writeCredentials(
    `[base]\naws_access_key_id = ${BASE.accessKeyId}\naws_secret_access_key = ${BASE.secretAccessKey}\n`,
  );
  standIn = makeStandIn(path.join(sb.root, 'standin'), { stayMs: 0 });
  // A $TERMINAL that does what `xterm -e cmd…` does, without a display.
  fs.writeFileSync(
    path.join(standIn.binDir, 'fake-term'),
    '#!/bin/sh\n[ "$1" = "-e" ] && shift\nexec "$@"\n',
    { mode: 0o755 },
  );
  project = path.join(sb.root, 'my proj.v2 ünï');
  fs.mkdirSync(project);
  env = {
    ...sb.env,
    ...awsTestEnv(server),
    PATH: `${standIn.binDir}${path.delimiter}${sb.env.PATH ?? ''}`,
    TERMINAL: 'fake-term',
    // The SDK's "node >= 22 soon" nag (this machine runs node 20) would otherwise be the only stderr.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
});

afterEach(async () => {
  await server.close();
  fs.rmSync(sb.root, { recursive: true, force: true });
});

async function elevate(args: string[], cwd = project) {
  try {
    const r = await execFileP(process.execPath, [ELEVATE_BIN, ...args], { env, cwd, timeout: 30_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const x = err as { code?: number; stdout?: string; stderr?: string };
    return { code: x.code ?? -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

function claudeSession(cwd: string, mtimeMs: number): string {
  const id = randomUUID();
  const dir = path.join(env.CLAUDE_CONFIG_DIR!, 'projects', encodeProjectDir(cwd));
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${id}.jsonl`);
  fs.writeFileSync(
    file,
    `${JSON.stringify({ type: 'user', cwd, sessionId: id, message: { content: 'plan it' } })}\n`,
  );
  fs.utimesSync(file, mtimeMs / 1000, mtimeMs / 1000);
  return id;
}

/** The runner records the end of the session (spec + audit) after claude exits; wait for it before cleanup. */
async function sessionEnded(id: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    if (readSession(id, env).endedAt) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`session ${id} did not end`);
}

const PLAN =
  '# Rotate the bucket policy\n\n1. aws s3api put-bucket-policy --bucket b --policy file://p.json\n2. Verify with get-bucket-policy\n';

describe('elevate handoff', () => {
  it('approved plan → stand-in claude gets `--resume <id>` + the prompt with the hash, in the same cwd, with the per-session AWS config that yields the elevated role', async () => {
    // This claude stays (as a real session would) so the agent's view can be checked, then is dropped.
    standIn = makeStandIn(path.join(sb.root, 'standin'), { stayMs: 20_000 });
    fs.writeFileSync(path.join(project, 'plan.md'), PLAN);
    const hash = planHash(PLAN);
    const now = Date.now();
    const sessionId = claudeSession(project, now - 60_000);
    // A colliding directory (same encoded folder name) with a NEWER session must not be picked.
    const twin = path.join(sb.root, 'my proj-v2 ünï');
    fs.mkdirSync(twin);
    claudeSession(twin, now);

    const show = await elevate(['handoff', '--json']);
    expect(show.code).toBe(0);
    const shown = JSON.parse(show.stdout);
    expect(shown).toMatchObject({
      cwd: project,
      plan: { status: 'pending', sha256: hash, title: 'Rotate the bucket policy' },
      approval: { status: 'none' },
      claudeSession: { id: sessionId, cwd: project },
    });

    const r = await elevate(['handoff', '--approve', '--minutes', '20', '--yes', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.launched).toMatchObject({ resumeId: sessionId, fresh: false, minutes: 20 });
    // The approval covers a snapshot of the approved bytes in the session's own dir.
    const snapshot: string = res.launched.planSnapshot;
    expect(snapshot).toBe(path.join(env.ELEVATE_HOME!, 'sessions', res.launched.sessionId, 'plan.md'));
    expect(fs.readFileSync(snapshot, 'utf8')).toBe(PLAN);
    expect(res.approval).toMatchObject({ status: 'used', sessionId: res.launched.sessionId });

    const [run] = await standIn.waitForRuns(1);
    // The session's one --settings (denies + hooks, sessionSettings.ts) comes first, then resume + prompt.
    expect(run!.argv[0]).toBe('--settings');
    const settings = JSON.parse(run!.argv[1]!) as { permissions: { deny: string[] }; hooks: object };
    expect(settings.permissions.deny).toContain(`Read(/${env.HOME}/.aws/**)`);
    expect(Object.keys(settings.hooks)).toContain('PreToolUse');
    const claudeArgs = run!.argv.slice(2);
    expect(claudeArgs[0]).toBe('--resume');
    expect(claudeArgs[1]).toBe(sessionId);
    expect(claudeArgs).toHaveLength(3);
    expect(claudeArgs[2]).toContain(`Execute the approved plan at ${snapshot}`);
    expect(claudeArgs[2]).toContain(`(sha256 ${hash})`);
    expect(claudeArgs[2]).toMatch(/stop and ask me/);
    expect(run!.cwd).toBe(project);
    expect(run!.env.AWS_PROFILE).toBe('claudecode-elevated');
    // Security change: the session's config is its own (one profile, no credential settings) and its
    // credentials come from the runner's broker, not from credential_process.
    expect(run!.env.AWS_CONFIG_FILE).toBe(
      path.join(env.ELEVATE_HOME!, 'sessions', res.launched.sessionId, 'aws', 'config'),
    );
    expect(run!.env.AWS_CONTAINER_CREDENTIALS_FULL_URI).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(fs.readFileSync(run!.env.AWS_SHARED_CREDENTIALS_FILE!, 'utf8')).toBe('');
    expect(run!.env.ELEVATE_SESSION_ID).toBe(res.launched.sessionId);
    // The runner supervises the same deadline the credentials stop at.
    expect(readSession(res.launched.sessionId, env).deadline).toBe(res.launched.deadline);
    expect(getApproval(project, env)?.deadline).toBe(res.launched.deadline);

    if (hasAwsCli) {
      // The session's token used from OUTSIDE its process tree (here: the test process, as another same-user
      // session could after reading /proc/<pid>/environ) is refused by the broker's peer check; nothing is
      // minted. (What the agent inside gets — the elevated role, one AssumeRole with the session policy — is
      // asserted in credentials.test.ts and attacks.test.ts.)
      const sessionEnv = { ...run!.env, AWS_PAGER: '' } as Record<string, string>;
      const who = await execFileP(
        '/usr/bin/aws',
        ['sts', 'get-caller-identity', '--endpoint-url', server.url, '--output', 'json'],
        { env: sessionEnv, timeout: 30_000 },
      ).then(
        () => null,
        (e: { stderr: string }) => e,
      );
      expect(who?.stderr).toContain('the caller is not a process of this session');
      expect(server.assumeRoleCalls.filter((c) => c.roleArn === ELEVATED_ROLE)).toEqual([]);
    }

    // Drop elevation early: the runner ends claude and its broker, so nothing serves credentials any more.
    const drop = await elevate(['sessions', 'drop', res.launched.sessionId]);
    expect(drop.code).toBe(0);
    expect(pidAlive(run!.pid)).toBe(false);
    const refused = await fetch(run!.env.AWS_CONTAINER_CREDENTIALS_FULL_URI!, {
      headers: { authorization: run!.env.AWS_CONTAINER_AUTHORIZATION_TOKEN! },
    }).then(
      (x) => x.status,
      () => 'connection refused',
    );
    expect(refused).toBe('connection refused');

    const types = readAudit(env).map((a) => a.type);
    expect(types).toEqual(expect.arrayContaining(['approval', 'launch', 'handoff', 'elevation-start']));
    // One elevation-start line per elevation.
    expect(types.filter((t) => t === 'elevation-start')).toHaveLength(1);
    const handoff = readAudit(env).find((a) => a.type === 'handoff');
    expect(handoff).toMatchObject({
      sessionId: res.launched.sessionId,
      planHash: hash,
      resumeId: sessionId,
      fresh: false,
      minutes: 20,
    });

    // An approval launches once.
    const again = await elevate(['handoff', '--yes']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already launched session/);
    expect(standIn.runs()).toHaveLength(1);

    const audit = await elevate(['audit']);
    expect(audit.stdout).toMatch(/approval\s+.*planHash=[0-9a-f]{12}\b/);
    expect(audit.stdout).toMatch(/handoff\s+sessionId=/);
    const onlyHandoff = JSON.parse((await elevate(['audit', '--json', '--type', 'handoff'])).stdout);
    expect(onlyHandoff.records.map((x: { type: string }) => x.type)).toEqual(['handoff']);
    expect(JSON.stringify(onlyHandoff)).not.toMatch(/SecretAccessKey|SessionToken|ASIA[A-Z2-7]{16}/);
  }, 60_000);

  it('no Claude session for the directory → fresh session with the same prompt, and says so', async () => {
    fs.writeFileSync(path.join(project, 'plan.md'), PLAN);
    const r = await elevate(['handoff', '--approve', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'resumes  nothing: no Claude session found for this directory, started fresh with the same prompt',
    );
    expect(r.stderr).toMatch(/warning: no Claude session found for .* starting a fresh elevated session/);
    const [run] = await standIn.waitForRuns(1);
    expect(run!.argv[0]).toBe('--settings');
    expect(run!.argv.slice(2)).toEqual([expect.stringContaining(`(sha256 ${planHash(PLAN)})`)]);
    expect(run!.argv).not.toContain('--resume');
    await sessionEnded(run!.env.ELEVATE_SESSION_ID!);
  }, 60_000);

  it('plan changed after approval → approval voided (audited), nothing launched, exit 1 with a clear message', async () => {
    fs.writeFileSync(path.join(project, 'plan.md'), PLAN);
    claudeSession(project, Date.now());
    // P4 (security change): without a terminal and without --yes, --approve records NOTHING (exit 2).
    const a = await elevate(['handoff', '--approve', '--minutes', '15']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('Nothing was recorded');
    expect(getApproval(project, env)).toBeNull();
    const approved = planHash(PLAN);
    // The approval as the app records it when the human clicks approve.
    recordApproval({ cwd: project, planHash: approved, minutes: 15 }, env);
    fs.writeFileSync(
      path.join(project, 'plan.md'),
      `${PLAN}3. aws iam attach-role-policy --policy-arn AdministratorAccess\n`,
    );
    const changed = planHash(fs.readFileSync(path.join(project, 'plan.md')));

    const r = await elevate(['handoff', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `elevate: approval void: plan.md changed after approval (approved sha256 ${approved.slice(0, 12)}, now ${changed.slice(0, 12)}); nothing was launched. Review plan.md and approve it again\n`,
    );
    expect(listSessions(env)).toEqual([]);
    expect(server.callCount('AssumeRole')).toBe(0);
    expect(readAudit(env).filter((x) => x.type === 'approval-void')).toMatchObject([
      { cwd: project, planHash: approved, currentHash: changed },
    ]);
    expect(getApproval(project, env)?.voidedAt).toBeTruthy();
    // Shown as void afterwards too (exit 1), and re-approving the new bytes works.
    const show = await elevate(['handoff']);
    expect(show.code).toBe(1);
    expect(show.stderr).toContain('approval void');
    await new Promise((r) => setTimeout(r, 300));
    expect(standIn.runs()).toHaveLength(0);
  }, 60_000);

  it('at the deadline both layers end the elevation: the runner ends claude (endReason deadline) and its broker with it', async () => {
    standIn = makeStandIn(path.join(sb.root, 'standin'), { stayMs: 30_000 });
    fs.writeFileSync(path.join(project, 'plan.md'), PLAN);
    claudeSession(project, Date.now());
    // Clock seam: the approval and launch happen "15 minutes minus 3 seconds ago", so the 15-minute
    // elevation's deadline is ~6 s from the real now (the runner and `elevate credentials` use the real clock).
    const skew = 15 * 60_000 - 6000;
    const past = () => new Date(Date.now() - skew);
    recordApproval({ cwd: project, planHash: planHash(PLAN), minutes: 15 }, env, past());
    const r = await launchHandoff({ cwd: project, env, now: past });
    expect(Date.parse(r.deadline) - Date.now()).toBeLessThanOrEqual(6000);
    const [run] = await standIn.waitForRuns(1);
    const broker = (token?: string) =>
      fetch(run!.env.AWS_CONTAINER_CREDENTIALS_FULL_URI!, {
        headers: token ? { authorization: token } : {},
      }).then(
        async (x) => ({ status: x.status, body: (await x.json()) as Record<string, string> }),
        () => ({ status: 0, body: {} as Record<string, string> }),
      );
    // Before the deadline the broker serves only its own session's processes: from outside (this test process,
    // even with the token) 403; without the token, 403.
    const before = await broker(run!.env.AWS_CONTAINER_AUTHORIZATION_TOKEN);
    expect(before.status).toBe(403);
    expect(before.body.message).toContain('not a process of this session');
    expect((await broker()).status).toBe(403);
    expect((await broker('x'.repeat(43))).status).toBe(403);
    // plan.md edited after launch: the session executes its snapshot; the runner says so and audits it once.
    fs.writeFileSync(path.join(project, 'plan.md'), `${PLAN}3. aws iam delete-role\n`);
    for (let i = 0; i < 40 && !readAudit(env).some((a) => a.type === 'plan-changed-after-launch'); i++)
      await new Promise((res) => setTimeout(res, 50));
    expect(readAudit(env).filter((a) => a.type === 'plan-changed-after-launch')).toMatchObject([
      { sessionId: r.launch.spec.id, planHash: planHash(PLAN) },
    ]);
    expect(fs.readFileSync(r.snapshot, 'utf8')).toBe(PLAN);
    await sessionEnded(r.launch.spec.id);
    const ended = readSession(r.launch.spec.id, env);
    expect(ended.endReason).toBe('deadline');
    expect(Date.parse(ended.endedAt!)).toBeGreaterThanOrEqual(Date.parse(r.deadline));
    expect(pidAlive(run!.pid)).toBe(false);
    expect((await broker(run!.env.AWS_CONTAINER_AUTHORIZATION_TOKEN)).status).toBe(0);
    const types = readAudit(env).map((a) => a.type);
    expect(types).toEqual(expect.arrayContaining(['handoff', 'elevation-start', 'expiry', 'session-end']));
  }, 60_000);

  it('refuses bad input: minutes outside 15–60 (exit 2), --minutes without --approve, plan > 1 MB or not UTF-8 (exit 1)', async () => {
    fs.writeFileSync(path.join(project, 'plan.md'), PLAN);
    const m = await elevate(['handoff', '--approve', '--minutes', '61']);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/15–60 minutes/);
    expect((await elevate(['handoff', '--minutes', '30'])).code).toBe(2);
    fs.writeFileSync(path.join(project, 'plan.md'), Buffer.alloc(1024 * 1024 + 1, 0x61));
    const big = await elevate(['handoff', '--approve']);
    expect(big.code).toBe(1);
    expect(big.stderr).toMatch(/plans over 1 MB are ignored/);
    fs.writeFileSync(path.join(project, 'plan.md'), Buffer.from([0x23, 0x20, 0xe4, 0x0a]));
    const latin = await elevate(['handoff', '--approve', '--json']);
    expect(latin.code).toBe(1);
    expect(JSON.parse(latin.stdout).error).toMatchObject({
      code: 'plan-rejected',
      message: expect.stringContaining('not valid UTF-8'),
    });
    expect(getApproval(project, env)).toBeNull();
  }, 60_000);
});

describe('PlanWatcher (real fs.watch on the directory)', () => {
  function nextEvent<T extends unknown[]>(
    w: PlanWatcher,
    name: 'plan' | 'rejected' | 'approval-void',
    ms = 4000,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no ${name} event within ${ms} ms`)), ms);
      w.once(name, (...args: unknown[]) => {
        clearTimeout(t);
        resolve(args as T);
      });
    });
  }
  function renameSave(file: string, text: string): void {
    const tmp = path.join(path.dirname(file), `.plan.md.${process.hrtime.bigint()}.swp`);
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  }

  it('survives editors’ atomic rename-saves, debounces, rejects >1 MB / non-UTF-8, and voids a changed approval', async () => {
    const w = new PlanWatcher({ env, debounceMs: 50 });
    try {
      const file = path.join(project, 'plan.md');
      fs.writeFileSync(file, 'v1\n');
      const first = nextEvent<[PendingPlan, ApprovalState]>(w, 'plan');
      w.add(project);
      expect((await first)[0].hash).toBe(planHash('v1\n'));

      // Several rename-saves in a row: the directory watch keeps seeing them (a file watch would not).
      for (const v of ['v2\n', 'v3\n', 'v4\n']) {
        const ev = nextEvent<[PendingPlan, ApprovalState]>(w, 'plan');
        renameSave(file, v);
        const [plan] = await ev;
        expect(plan.hash).toBe(planHash(v));
        expect(plan.cwd).toBe(project);
      }

      // A burst of writes is debounced into one event with the final bytes.
      let count = 0;
      const onPlan = () => count++;
      w.on('plan', onPlan);
      const burst = nextEvent<[PendingPlan, ApprovalState]>(w, 'plan');
      for (let i = 0; i < 5; i++) fs.writeFileSync(file, `burst ${i}\n`);
      expect((await burst)[0].hash).toBe(planHash('burst 4\n'));
      await new Promise((r) => setTimeout(r, 200));
      expect(count).toBe(1);
      w.off('plan', onPlan);

      const tooBig = nextEvent<[{ reason: string; message: string }]>(w, 'rejected');
      renameSave(file, 'x'.repeat(1024 * 1024 + 10));
      expect((await tooBig)[0]).toMatchObject({
        reason: 'too-large',
        message: expect.stringContaining('plans over 1 MB are ignored'),
      });
      const latin = nextEvent<[{ reason: string; message: string }]>(w, 'rejected');
      fs.writeFileSync(file, Buffer.from([0x50, 0x6c, 0xe4, 0x6e, 0x0a]));
      expect((await latin)[0]).toMatchObject({ reason: 'not-utf8' });

      // Approve v5, then an editor rename-saves a change → voided, audited, event emitted.
      const v5 = nextEvent<[PendingPlan, ApprovalState]>(w, 'plan');
      renameSave(file, 'v5\n');
      await v5;
      recordApproval({ cwd: project, planHash: planHash('v5\n'), minutes: 30 }, env);
      const voided = nextEvent<[string, string]>(w, 'approval-void');
      renameSave(file, 'v5 plus one more step\n');
      const [cwd, reason] = await voided;
      expect(cwd).toBe(project);
      expect(reason).toMatch(/^plan\.md changed after approval/);
      expect(readAudit(env).filter((a) => a.type === 'approval-void')).toHaveLength(1);
      expect(w.pending().map((p) => p.hash)).toEqual([planHash('v5 plus one more step\n')]);
    } finally {
      w.close();
    }
  }, 30_000);
});

describe('plan reads (P4): never follow a symlink, never block on a FIFO, bounded', () => {
  it('a symlinked plan.md and a FIFO plan.md are refused at once (sync and async reads)', async () => {
    const { readPlan, readPlanAsync } = await import('../../electron/node/planWatcher');
    const other = path.join(sb.root, 'elsewhere.md');
    fs.writeFileSync(other, '# Innocent\n\n1. aws s3 ls\n');
    fs.symlinkSync(other, path.join(project, 'plan.md'));
    for (const r of [readPlan(project), await readPlanAsync(project)]) {
      expect(r).toMatchObject({ kind: 'rejected', reason: 'symlink' });
    }
    fs.rmSync(path.join(project, 'plan.md'));
    const { spawnSync } = await import('node:child_process');
    spawnSync('mkfifo', [path.join(project, 'plan.md')]);
    const t0 = Date.now();
    for (const r of [readPlan(project), await readPlanAsync(project)]) {
      expect(r).toMatchObject({ kind: 'rejected', reason: 'not-file' });
    }
    expect(Date.now() - t0).toBeLessThan(2000);
    const cli = await elevate(['handoff', '--approve', '--yes']);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/not a regular file/);
    expect(getApproval(project, env)).toBeNull();
  });
});
