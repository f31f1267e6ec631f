// `elevate run` end to end without a terminal: launchSession() writes the spec (real core env builder,
// real settings/AWS files in a sandbox), a test "terminal" spawns the real `node bin/elevate.cjs run
// --session ID` with the parent's env — including override variables, as a login shell might re-add
// them — and a stand-in `claude` first on PATH records what it got.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ELEVATE_BIN, makeSandbox, runCli, type Sandbox } from '../helpers/cli';
import { makeStandIn, pidAlive, TIER_CONFIG, type StandIn } from '../helpers/standin';
import { launchSession, LaunchError } from '../../electron/node/launcher';
import { adapterFor, type TerminalAdapter } from '../../electron/node/terminals';
import { readSession, writeSession, type SessionSpec } from '../../electron/node/sessions';
import { readAudit } from '../../electron/node/audit';
import { selfCommand } from '../../electron/node/selfCommand';
import { REPO } from '../helpers/cli';

const OVERRIDES = {
  AWS_ACCESS_KEY_ID: 'AKIAPARENTKEY0000000',
  AWS_SECRET_ACCESS_KEY: 'parent-secret',
  AWS_SESSION_TOKEN: 'parent-token',
  AWS_DEFAULT_PROFILE: 'parent-default',
  AWS_ROLE_ARN: 'arn:aws:iam::999999999999:role/Other',
  AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.2/creds',
};

const sandboxes: Sandbox[] = [];
afterAll(() => {
  for (const s of sandboxes) fs.rmSync(s.root, { recursive: true, force: true });
});

interface Fixture {
  sb: Sandbox;
  standIn: StandIn;
  project: string;
  env: Record<string, string>;
}

function fixture(standInOpts: Parameters<typeof makeStandIn>[1] = {}): Fixture {
  const sb = makeSandbox('elevate-runner-');
  sandboxes.push(sb);
  sb.writeConfig(TIER_CONFIG);
  sb.writeCredentials('[base]\naws_access_key_id = AKIABASE000000000000\naws_secret_access_key = x\n');
  const standIn = makeStandIn(path.join(sb.root, 'standin'), standInOpts);
  const project = path.join(sb.root, 'proj ect');
  fs.mkdirSync(project);
  const env = { ...sb.env, PATH: `${standIn.binDir}${path.delimiter}${sb.env.PATH ?? ''}` };
  return { sb, standIn, project, env };
}

/** A "terminal" that runs the command directly (what xterm -e does), keeping the runner's result. */
function directTerminal(): {
  adapter: TerminalAdapter;
  open: (
    a: TerminalAdapter,
    command: string[],
    o: unknown,
    env: Record<string, string | undefined>,
  ) => Promise<{ pid: number | undefined; argv: string[] }>;
  done: Promise<{ code: number | null; stderr: string }>;
  parentEnv: Record<string, string>;
} {
  let resolveDone!: (v: { code: number | null; stderr: string }) => void;
  const done = new Promise<{ code: number | null; stderr: string }>((r) => (resolveDone = r));
  const parentEnv: Record<string, string> = {};
  return {
    adapter: adapterFor('xterm')!,
    parentEnv,
    done,
    open: async (_a, command, _o, env) => {
      const child = spawn(command[0]!, command.slice(1), {
        env: { ...(env as Record<string, string>), ...parentEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      child.stdout.resume();
      child.on('close', (code) => resolveDone({ code, stderr }));
      return { pid: child.pid, argv: command };
    },
  };
}

const self = selfCommand({ packaged: false, execPath: process.execPath, repoRoot: REPO });

describe('elevate run (real runner, stand-in claude)', () => {
  it('readonly: exact argv, cwd, env (override vars re-added by the parent are scrubbed), exit code, spec and audit', async () => {
    const f = fixture({ exitCode: 7 });
    const term = directTerminal();
    Object.assign(term.parentEnv, OVERRIDES, {
      AWS_PROFILE: 'parent-profile',
      AWS_REGION: 'us-west-1',
      // A terminal whose env names another Elevate home: the pinned ELEVATE_HOME in the command wins.
      ELEVATE_HOME: path.join(f.sb.root, 'another-elevate-home'),
    });
    const prompt = `it's "$(touch pwned)" \`id\`\nline2 ünï 🚀`;
    const r = await launchSession({
      tier: 'readonly',
      cwd: f.project,
      env: { ...f.env, ...OVERRIDES },
      resumeId: '0b4c1c3e-1d2f-4a5b-9c8d-7e6f5a4b3c2d',
      prompt,
      adapter: term.adapter,
      open: term.open,
      self,
    });
    expect(r.commandArgv).toEqual([
      '/usr/bin/env',
      `ELEVATE_HOME=${f.env.ELEVATE_HOME}`,
      process.execPath,
      ELEVATE_BIN,
      'run',
      '--session',
      r.spec.id,
    ]);
    expect(r.removed.map((v) => v.name)).toEqual(Object.keys(OVERRIDES).sort());
    expect((fs.statSync(r.specPath).mode & 0o777).toString(8)).toBe('600');
    const { code, stderr } = await term.done;
    expect(code).toBe(7);
    const [run] = f.standIn.runs();
    expect(run).toBeDefined();
    // Claude gets one --settings (sessionSettings.ts) before its own options, then exactly the resume/prompt.
    expect(run!.argv[0]).toBe('--settings');
    expect(run!.argv.slice(2)).toEqual(['--resume', '0b4c1c3e-1d2f-4a5b-9c8d-7e6f5a4b3c2d', prompt]);
    const settingsJson = run!.argv[1]!;
    const settings = JSON.parse(settingsJson) as {
      permissions: { deny: string[] };
      sandbox: { filesystem: { denyRead: string[] } };
      hooks: { PreToolUse: { matcher: string; hooks: { type: string; command: string }[] }[] };
      statusLine: { command: string };
    };
    expect(settings.permissions.deny).toEqual(
      expect.arrayContaining([`Read(/${f.env.HOME}/.aws/**)`, `Edit(/${f.env.HOME}/.aws/**)`]),
    );
    expect(settings.sandbox.filesystem.denyRead).toContain(`/${f.env.HOME}/.aws`);
    // Its own session dir (the secret-free AWS config `aws` needs) is not denied for reading.
    const ownDir = path.dirname(path.dirname(run!.env.AWS_CONFIG_FILE!));
    expect(path.basename(ownDir)).toBe(r.spec.id);
    expect(settings.permissions.deny.filter((d) => d.startsWith('Read(') && d.includes(ownDir))).toEqual([]);
    // No secret of the session or the parent in the JSON.
    for (const secret of [run!.env.AWS_CONTAINER_AUTHORIZATION_TOKEN!, 'parent-secret', 'parent-token'])
      expect(settingsJson).not.toContain(secret);
    const pre = settings.hooks.PreToolUse;
    expect(pre).toHaveLength(1);
    expect(pre[0]!.matcher).toBe('Bash');
    const hookCommand = pre[0]!.hooks[0]!.command;
    expect(hookCommand).toContain(path.join(REPO, 'out', 'cli', 'elevate-hook.cjs'));
    expect(hookCommand).toMatch(/pre-tool-use$/);
    expect(settings.statusLine.command).toMatch(/elevate-hook\.cjs'? statusline$/);
    // Run the hook as Claude Code would: its command line through a shell, in the session's env, the
    // PreToolUse JSON on stdin. A write under read-only is denied before it runs.
    const hookRun = spawnSync('/bin/sh', ['-c', hookCommand], {
      cwd: f.project,
      env: run!.env,
      input: JSON.stringify({
        session_id: 'c1a2b3c4-0000-4000-8000-000000000000',
        transcript_path: path.join(f.sb.root, 't.jsonl'),
        cwd: f.project,
        hook_event_name: 'PreToolUse',
        tool_name: 'Bash',
        tool_input: { command: 'aws s3 mb s3://x' },
      }),
      encoding: 'utf8',
    });
    expect(hookRun.status, hookRun.stderr).toBe(0);
    const answer = JSON.parse(hookRun.stdout) as {
      hookSpecificOutput: {
        hookEventName: string;
        permissionDecision: string;
        permissionDecisionReason: string;
      };
    };
    expect(answer.hookSpecificOutput.hookEventName).toBe('PreToolUse');
    expect(answer.hookSpecificOutput.permissionDecision).toBe('deny');
    expect(answer.hookSpecificOutput.permissionDecisionReason).toContain('needs elevation');
    expect(answer.hookSpecificOutput.permissionDecisionReason).toContain('s3:CreateBucket');
    // A read passes untouched (no decision).
    const readRun = spawnSync('/bin/sh', ['-c', hookCommand], {
      cwd: f.project,
      env: run!.env,
      input: JSON.stringify({
        hook_event_name: 'PreToolUse',
        tool_name: 'Bash',
        tool_input: { command: 'aws s3 ls' },
      }),
      encoding: 'utf8',
    });
    expect(readRun.status, readRun.stderr).toBe(0);
    expect(readRun.stdout).not.toContain('deny');
    expect(run!.cwd).toBe(f.project);
    expect(run!.env.AWS_PROFILE).toBe('claudecode-readonly');
    expect(run!.env.AWS_REGION).toBe('eu-west-2');
    expect(run!.env.CLAUDE_CODE_USE_BEDROCK).toBe('1');
    expect(run!.env.ANTHROPIC_MODEL).toBeTruthy();
    expect(run!.env.ELEVATE_SESSION_ID).toBe(r.spec.id);
    // The parent's override variables never reach the child. The container-credentials URI is now set again,
    // by the runner, to ITS OWN loopback broker (with a token that exists only in the child's env): the
    // session's only credential source, with a per-session config holding exactly one profile.
    const brokerVars = ['AWS_CONTAINER_CREDENTIALS_FULL_URI'];
    for (const name of Object.keys(OVERRIDES))
      if (!brokerVars.includes(name)) expect(run!.env[name], name).toBeUndefined();
    expect(run!.env.AWS_CONTAINER_CREDENTIALS_FULL_URI).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(run!.env.AWS_CONTAINER_AUTHORIZATION_TOKEN).toMatch(/^[\w-]{43}$/);
    const sessionConfig = fs.readFileSync(run!.env.AWS_CONFIG_FILE!, 'utf8');
    expect(sessionConfig.split('\n').filter((l) => l.startsWith('['))).toEqual([
      '[profile claudecode-readonly]',
    ]);
    expect(sessionConfig).not.toMatch(/role_arn|source_profile|credential_process|aws_access_key_id/);
    expect(fs.readFileSync(run!.env.AWS_SHARED_CREDENTIALS_FILE!, 'utf8')).toBe('');
    expect(fs.readFileSync(r.specPath, 'utf8')).not.toContain(run!.env.AWS_CONTAINER_AUTHORIZATION_TOKEN!);
    expect(run!.env.ELECTRON_RUN_AS_NODE).toBeUndefined();
    // banner: one line with tier, profile and the removed names
    const banner = stderr.split('\n').find((l) => l.startsWith('elevate · readonly'));
    expect(banner).toContain('profile claudecode-readonly');
    expect(banner).toContain('AWS_ACCESS_KEY_ID');
    expect(stderr).not.toContain('parent-secret');
    const spec = readSession(r.spec.id, f.env);
    expect(spec.pid).toBe(run!.pid);
    expect(spec.runnerPid).toBe(run!.ppid);
    expect(spec.exitCode).toBe(7);
    expect(spec.endReason).toBe('exit');
    expect(Date.parse(spec.endedAt!)).toBeGreaterThanOrEqual(Date.parse(spec.startedAt!));
    const audit = readAudit(f.env);
    const launch = audit.find((a) => a.type === 'launch');
    expect(launch).toMatchObject({
      tier: 'readonly',
      profile: 'claudecode-readonly',
      cwd: f.project,
      terminal: 'xterm',
      sessionId: r.spec.id,
      resumeId: '0b4c1c3e-1d2f-4a5b-9c8d-7e6f5a4b3c2d',
    });
    expect(JSON.stringify(audit)).not.toContain('parent-secret');
    expect(audit.find((a) => a.type === 'session-end')).toMatchObject({ sessionId: r.spec.id, exitCode: 7 });
    // a spec runs once
    const again = runCli(['run', '--session', r.spec.id], f.env);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already run');
    expect(f.standIn.runs()).toHaveLength(1);
  });

  it('claude missing: launch fails before any terminal opens; a spec whose program is gone exits 127', async () => {
    const f = fixture();
    fs.rmSync(f.standIn.program);
    let opened = false;
    await expect(
      launchSession({
        tier: 'readonly',
        cwd: f.project,
        env: f.env,
        adapter: adapterFor('xterm')!,
        open: async () => {
          opened = true;
          return { pid: 1, argv: [] };
        },
        self,
      }),
    ).rejects.toMatchObject({ code: 'claude-missing' } satisfies Partial<LaunchError>);
    expect(opened).toBe(false);
    expect(readAudit(f.env)).toHaveLength(0);
    const spec: SessionSpec = {
      id: 'missing-claude-0001',
      kind: 'claude',
      tier: 'readonly',
      profile: 'claudecode-readonly',
      cwd: f.project,
      argv: ['claude'],
      env: { set: { AWS_PROFILE: 'claudecode-readonly' }, unset: [] },
      title: 'claude-ro · claudecode-readonly',
      createdAt: new Date().toISOString(),
    };
    writeSession(spec, f.env);
    const r = runCli(['run', '--session', spec.id], f.env);
    expect(r.status).toBe(127);
    expect(r.stderr).toMatch(/claude not found .*install Claude Code/);
    expect(readSession(spec.id, f.env)).toMatchObject({ endReason: 'error', exitCode: 127 });
  });

  it('deadline: a child that ignores SIGTERM (and its grandchild) is SIGKILLed after the grace; endReason deadline; audit expiry', async () => {
    const f = fixture({ ignoreSigterm: true, grandchild: true, stayMs: 60_000 });
    const term = directTerminal();
    const t0 = Date.now();
    const r = await launchSession({
      tier: 'elevated',
      cwd: f.project,
      env: f.env,
      deadline: new Date(t0 + 1500),
      graceMs: 700,
      adapter: term.adapter,
      open: term.open,
      self,
    });
    expect(r.spec.env.set.AWS_PROFILE).toBe('claudecode-elevated');
    const [run] = await f.standIn.waitForRuns(1);
    expect(pidAlive(run!.grandchildPid!)).toBe(true);
    const { code, stderr } = await term.done;
    const elapsed = Date.now() - t0;
    expect(code).toBe(137); // 128 + SIGKILL
    expect(elapsed).toBeGreaterThanOrEqual(1500 + 700 - 50);
    expect(elapsed).toBeLessThan(8000);
    expect(stderr).toMatch(/elevation window ended/);
    expect(stderr).toMatch(/ends at \d\d:\d\d/);
    const spec = readSession(r.spec.id, f.env);
    expect(spec).toMatchObject({ endReason: 'deadline', signal: 'SIGKILL', exitCode: null });
    const types = readAudit(f.env).map((a) => a.type);
    expect(types).toEqual(['launch', 'expiry', 'session-end']);
    await new Promise((res) => setTimeout(res, 100));
    expect(pidAlive(run!.pid)).toBe(false);
    expect(pidAlive(run!.grandchildPid!)).toBe(false);
  });

  it('a spec past its deadline never starts', () => {
    const f = fixture();
    const spec: SessionSpec = {
      id: 'expired-spec-0001',
      kind: 'claude',
      tier: 'elevated',
      profile: 'claudecode-elevated',
      cwd: f.project,
      argv: ['claude'],
      env: { set: { AWS_PROFILE: 'claudecode-elevated' }, unset: [] },
      title: 'claude-el · claudecode-elevated',
      createdAt: new Date(Date.now() - 120_000).toISOString(),
      deadline: new Date(Date.now() - 1000).toISOString(),
    };
    writeSession(spec, f.env);
    const r = runCli(['run', '--session', spec.id], f.env);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('not starting');
    expect(f.standIn.runs()).toHaveLength(0);
    expect(readSession(spec.id, f.env).endReason).toBe('deadline');
  });

  it('sessions lists a live session and `sessions drop` ends it: endReason dropped, audit drop line', async () => {
    const f = fixture({ stayMs: 60_000 });
    const term = directTerminal();
    const r = await launchSession({
      tier: 'readonly',
      cwd: f.project,
      env: f.env,
      minutes: 30,
      graceMs: 1000,
      adapter: term.adapter,
      open: term.open,
      self,
    });
    await f.standIn.waitForRuns(1);
    // wait for the runner to record its pid
    for (let i = 0; i < 100 && !readSession(r.spec.id, f.env).runnerPid; i++)
      await new Promise((res) => setTimeout(res, 20));
    const list = runCli(['sessions', '--json'], f.env);
    expect(list.status).toBe(0);
    const live = JSON.parse(list.stdout).sessions as Array<{ id: string; live: boolean }>;
    expect(live.map((s) => s.id)).toEqual([r.spec.id]);
    // The human listing: a header row, then the session with its deadline and the time left.
    const text = runCli(['sessions'], f.env);
    expect(text.status).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+TIER\s+PROFILE\s+STATE\s+DEADLINE\s+FOLDER$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(r.spec.id);
    expect(lines[1]).toMatch(/\breadonly\b.*\brunning\b.*until \d{2}:\d{2} \((29|30) min left\)/);
    expect(lines[1]!.endsWith(f.project)).toBe(true);
    const drop = runCli(['sessions', 'drop', r.spec.id, '--json'], f.env);
    expect(drop.status).toBe(0);
    expect(JSON.parse(drop.stdout)).toMatchObject({
      forced: false,
      dropped: { id: r.spec.id, endReason: 'dropped' },
    });
    const { code } = await term.done;
    expect(code).toBe(143); // the stand-in dies of SIGTERM
    expect(readSession(r.spec.id, f.env)).toMatchObject({ endReason: 'dropped', signal: 'SIGTERM' });
    expect(readAudit(f.env).map((a) => a.type)).toEqual(['launch', 'drop', 'session-end']);
    const after = runCli(['sessions', '--json'], f.env);
    expect(JSON.parse(after.stdout).sessions).toEqual([]);
    const all = runCli(['sessions', '--all'], f.env);
    expect(all.stdout).toMatch(new RegExp(`^${r.spec.id}\\s+readonly\\s.*ended \\(dropped\\)`, 'm'));
    const again = runCli(['sessions', 'drop', r.spec.id], f.env);
    expect(again.status).toBe(1);
  });
});

describe('elevate launch: refusals before any window opens', () => {
  it('unknown terminal, bare --resume with a prompt, bad --minutes, missing claude, missing cwd', () => {
    const f = fixture();
    const env: Record<string, string> = { ...f.env, PATH: `${f.standIn.binDir}:/usr/bin:/bin` };
    const unknown = runCli(['launch', 'readonly', '--terminal', 'hyper', '--cwd', f.project, '--json'], env);
    expect(unknown.status).toBe(2);
    expect(JSON.parse(unknown.stdout).error.code).toBe('unknown-terminal');
    expect(JSON.parse(unknown.stdout).error.message).toMatch(/known terminals are .*xterm/);
    const bare = runCli(['launch', 'readonly', '--resume', '--prompt', 'go', '--cwd', f.project], env);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toMatch(/search term/);
    const minutes = runCli(['launch', 'elevated', '--minutes', 'ten', '--cwd', f.project], env);
    expect(minutes.status).toBe(2);
    const nocwd = runCli(['launch', 'readonly', '--cwd', path.join(f.project, 'nope')], env);
    expect(nocwd.status).toBe(1);
    expect(nocwd.stderr).toMatch(/not a directory/);
    fs.rmSync(f.standIn.program);
    const noclaude = runCli(['launch', 'readonly', '--terminal', 'xterm', '--cwd', f.project, '--json'], env);
    expect(noclaude.status).toBe(1);
    expect(JSON.parse(noclaude.stdout).error).toMatchObject({ code: 'claude-missing' });
    // nothing was written or logged
    expect(fs.existsSync(path.join(env.ELEVATE_HOME!, 'sessions'))).toBe(false);
    expect(readAudit(env)).toEqual([]);
  });
});

describe('launch --verify against the local STS endpoint (real SDK)', () => {
  it('verified account reaches the banner and the role session name the audit; a denied role opens nothing', async () => {
    const { startAwsServer, awsTestEnv } = await import('../helpers/awsServer');
    const server = await startAwsServer({
      staticKeys: [{ accessKeyId: 'AKIABASE000000000000', secretAccessKey: 'x' }],
    });
    try {
      const f = fixture();
      const env: Record<string, string> = {
        ...f.env,
        ...awsTestEnv(server),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      };
      const term = directTerminal();
      const r = await launchSession({
        tier: 'readonly',
        cwd: f.project,
        env,
        verify: true,
        adapter: term.adapter,
        open: term.open,
        self,
      });
      expect(r.spec.account).toBe('111122223333');
      expect(server.assumeRoleCalls.map((c) => c.roleArn)).toEqual([
        'arn:aws:iam::111122223333:role/ClaudeReadOnly',
      ]);
      const { stderr } = await term.done;
      expect(stderr).toMatch(/elevate · readonly · profile claudecode-readonly · account 111122223333/);
      expect(readAudit(env).find((a) => a.type === 'launch')).toMatchObject({
        roleSessionName: 'claude-ro',
        verifiedArn: 'arn:aws:sts::111122223333:assumed-role/ClaudeReadOnly/claude-ro',
      });

      server.denyAssumeRole('arn:aws:iam::111122223333:role/ClaudeElevated');
      let opened = false;
      await expect(
        launchSession({
          tier: 'elevated',
          cwd: f.project,
          env,
          verify: true,
          adapter: term.adapter,
          open: async () => {
            opened = true;
            return { pid: 1, argv: [] };
          },
          self,
        }),
      ).rejects.toMatchObject({ name: 'IdentityError', code: 'access-denied' });
      expect(opened).toBe(false);
      const specs = fs
        .readdirSync(path.join(env.ELEVATE_HOME!, 'sessions'))
        .filter((n) => n.endsWith('.json'));
      expect(specs).toEqual([`${r.spec.id}.json`]);
    } finally {
      await server.close();
    }
  });
});
