// The app-side handoff service: watches folders of read-only sessions, shows the newest plan, approves
// the hash the user saw and launches through the real launcher + `elevate run` (a direct "terminal"),
// then "Resume read-only" after the elevation.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsTestEnv, startAwsServer, type AwsServer } from '../helpers/awsServer';
import { makeSandbox, REPO, type Sandbox } from '../helpers/cli';
import { makeStandIn, type StandIn } from '../helpers/standin';
import { encodeProjectDir } from '../../electron/node/claudeSessions';
import { HandoffService, resumeReadonly, type HandoffView } from '../../electron/node/handoffService';
import { launchSession, type LaunchOptions } from '../../electron/node/launcher';
import { adapterFor } from '../../electron/node/terminals';
import { selfCommand } from '../../electron/node/selfCommand';
import { readSession, writeSession } from '../../electron/node/sessions';
import { getApproval } from '../../electron/node/approvals';
import { readAudit } from '../../electron/node/audit';
import { planHash } from '../../shared/plan';

const BASE = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const CONFIG = `[profile claudecode-readonly]
region = eu-west-2
role_arn = arn:aws:iam::111122223333:role/ClaudeReadOnly
source_profile = base
role_session_name = claude-ro

[profile claudecode-elevated]
region = eu-west-2
role_arn = arn:aws:iam::111122223333:role/ClaudeElevated
source_profile = claudecode-readonly
role_session_name = claude-el
`;

let server: AwsServer;
let sb: Sandbox;
let standIn: StandIn;
let project: string;
let env: Record<string, string>;
let service: HandoffService;

/** The real launcher with a "terminal" that runs `elevate run --session ID` directly. */
const launch = (o: LaunchOptions) =>
  launchSession({
    ...o,
    adapter: adapterFor('xterm')!,
    self: selfCommand({ packaged: false, execPath: process.execPath, repoRoot: REPO }),
    open: async (_a, command, _opts, e) => {
      const child = spawn(command[0]!, command.slice(1), { env: e as NodeJS.ProcessEnv, stdio: 'ignore' });
      return { pid: child.pid, argv: command };
    },
  });

beforeEach(async () => {
  server = await startAwsServer({ staticKeys: [BASE] });
  sb = makeSandbox('elevate-handoff-svc-');
  sb.writeConfig(CONFIG);
  sb.writeCredentials(
    `[base]\naws_access_key_id = ${BASE.accessKeyId}\naws_secret_access_key = ${BASE.secretAccessKey}\n`,
  );
  standIn = makeStandIn(path.join(sb.root, 'standin'));
  project = path.join(sb.root, 'svc project');
  fs.mkdirSync(project);
  env = {
    ...sb.env,
    ...awsTestEnv(server),
    PATH: `${standIn.binDir}${path.delimiter}${sb.env.PATH ?? ''}`,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  service = new HandoffService({ env, debounceMs: 30, launch });
});

afterEach(async () => {
  service.close();
  await server.close();
  fs.rmSync(sb.root, { recursive: true, force: true });
});

async function sessionEnded(id: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    if (readSession(id, env).endedAt) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`session ${id} did not end`);
}

function nextPlan(): Promise<HandoffView> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no plan-ready event')), 4000);
    service.once('plan-ready', (v) => {
      clearTimeout(t);
      resolve(v);
    });
  });
}

describe('HandoffService', () => {
  it('watches read-only session folders, approves only the hash shown, launches, then resumes read-only', async () => {
    // A read-only session Elevate launched earlier in the project.
    writeSession(
      {
        id: '20261124100000-aaaabbbb',
        kind: 'claude',
        tier: 'readonly',
        profile: 'claudecode-readonly',
        cwd: project,
        argv: ['claude'],
        env: { set: {}, unset: [] },
        title: 'claude-ro',
        createdAt: new Date().toISOString(),
        endedAt: new Date().toISOString(),
      },
      env,
    );
    const claudeId = randomUUID();
    const dir = path.join(env.CLAUDE_CONFIG_DIR!, 'projects', encodeProjectDir(project));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, `${claudeId}.jsonl`),
      `${JSON.stringify({ cwd: project, sessionId: claudeId })}\n`,
    );

    service.syncFolders();
    expect(service.watcher.dirs).toEqual([project]);
    expect(service.current()).toBeNull();

    const shown = nextPlan();
    fs.writeFileSync(path.join(project, 'plan.md'), '# Deploy\n\n1. cdk deploy\n');
    const view = await shown;
    expect(view).toMatchObject({
      cwd: project,
      planHash: planHash('# Deploy\n\n1. cdk deploy\n'),
      title: 'Deploy',
      approved: false,
      voided: null,
      claudeSessionId: claudeId,
      preview: '# Deploy\n\n1. cdk deploy\n',
    });
    expect(service.current()?.planHash).toBe(view.planHash);

    // The plan changes after it was shown: approving what was shown must fail and record nothing.
    const changed = nextPlan();
    fs.writeFileSync(path.join(project, 'plan.md'), '# Deploy\n\n1. cdk deploy\n2. cdk destroy\n');
    await expect(
      service.approveAndLaunch({ cwd: project, planHash: view.planHash, minutes: 30 }),
    ).rejects.toThrow(/plan\.md changed since it was shown/);
    expect(getApproval(project, env)).toBeNull();
    const latest = await changed;
    await expect(
      service.approveAndLaunch({ cwd: project, planHash: latest.planHash, minutes: 10 }),
    ).rejects.toThrow(/15–60 minutes/);

    const r = await service.approveAndLaunch({ cwd: project, planHash: latest.planHash, minutes: 30 });
    expect(r.resumed?.id).toBe(claudeId);
    const [run] = await standIn.waitForRuns(1);
    // claude's argv: the session's one --settings (denies + hooks, sessionSettings.ts), then resume + prompt.
    expect(run!.argv[0]).toBe('--settings');
    expect(Object.keys((JSON.parse(run!.argv[1]!) as { hooks: object }).hooks)).toContain('PreToolUse');
    expect(run!.argv.slice(2)).toEqual(['--resume', claudeId, r.prompt]);
    expect(r.prompt).toContain(`sha256 ${latest.planHash}`);
    // Security change: every session's config is its own (one profile) and the approved snapshot is executed.
    expect(run!.env.AWS_CONFIG_FILE).toBe(
      path.join(env.ELEVATE_HOME!, 'sessions', r.launch.spec.id, 'aws', 'config'),
    );
    expect(r.prompt).toContain(r.snapshot);
    expect(service.current()).toBeNull();

    // After the elevation: resume the same conversation on the read-only tier.
    await sessionEnded(r.launch.spec.id);
    const back = await resumeReadonly(r.launch.spec.id, { env, launch });
    expect(back.resumeId).toBe(claudeId);
    const runs = await standIn.waitForRuns(2);
    expect(runs[1]!.argv[0]).toBe('--settings');
    expect(runs[1]!.argv.slice(2)).toEqual(['--resume', claudeId]);
    expect(runs[1]!.env.AWS_PROFILE).toBe('claudecode-readonly');
    expect(runs[1]!.env.AWS_CONFIG_FILE).toBe(
      path.join(env.ELEVATE_HOME!, 'sessions', back.launch.spec.id, 'aws', 'config'),
    );
    await sessionEnded(back.launch.spec.id);
    expect(readAudit(env).find((a) => a.type === 'resume-readonly')).toMatchObject({
      after: r.launch.spec.id,
      resumeId: claudeId,
    });
  }, 60_000);
});
