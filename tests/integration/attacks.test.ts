// Issue 12 attack suite. The adversary is a stand-in agent (tests/helpers/agent.ts) started by Elevate as
// `claude` in a READ-ONLY session through the real launcher and the real runner (`node bin/elevate.cjs run`),
// running as the same OS user with the session's env. It uses the real AWS CLI v2 (/usr/bin/aws), the real
// JS SDK v3 and the real `elevate` CLI. Layout: the hardened one (elevated role assumed from the operator's
// keys WITH MFA — the local endpoint's requireMfa; read-only creds cannot assume it without the code).
// Each route: the agent obtains no elevated identity (asserted on what it got and on the endpoint's
// recorded AssumeRole calls).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsTestEnv, startAwsServer, type AwsServer } from '../helpers/awsServer';
import { makeSandbox, REPO, type Sandbox } from '../helpers/cli';
import { makeAgent, type Agent, type AgentStep, ELEVATE_CLI } from '../helpers/agent';
import { launchSession } from '../../electron/node/launcher';
import { adapterFor } from '../../electron/node/terminals';
import { selfCommand } from '../../electron/node/selfCommand';
import { listSessions, readSession } from '../../electron/node/sessions';
import { readAudit } from '../../electron/node/audit';
import { getApproval } from '../../electron/node/approvals';
import { planHash } from '../../shared/plan';
import { pidAlive } from '../helpers/standin';

const hasAwsCli = fs.existsSync('/usr/bin/aws');
const hasScript = fs.existsSync('/usr/bin/script');
const BASE = {
  accessKeyId: 'AKIABASE0000EXAMPLE2',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE2',
};
const READONLY_ROLE = 'arn:aws:iam::111122223333:role/ClaudeReadOnly';
const ELEVATED_ROLE = 'arn:aws:iam::111122223333:role/ClaudeElevated';
const MFA_SERIAL = 'arn:aws:iam::111122223333:mfa/dana';
const CODE = '246810';
const HARDENED = `[profile claudecode-readonly]
region = eu-west-2
role_arn = ${READONLY_ROLE}
source_profile = base
role_session_name = claude-ro

[profile claudecode-elevated]
region = eu-west-2
role_arn = ${ELEVATED_ROLE}
source_profile = base
role_session_name = claude-el
mfa_serial = ${MFA_SERIAL}

[profile admin]
role_arn = arn:aws:iam::111122223333:role/Admin
source_profile = base
`;
const RO_ARN = /assumed-role\/ClaudeReadOnly\//;
/** The strongest agent points Elevate back at the user's own AWS files (it can read them). */
let USER_FILES: Record<string, string>;

const self = selfCommand({ packaged: false, execPath: process.execPath, repoRoot: REPO });
let server: AwsServer;
let sb: Sandbox;
let env: Record<string, string>;
let project: string;
let termLog: string;

beforeAll(async () => {
  server = await startAwsServer({ staticKeys: [BASE] });
  server.requireMfa(ELEVATED_ROLE, CODE);
  sb = makeSandbox('elevate-attacks-');
  sb.writeConfig(HARDENED);
  sb.writeCredentials(
    `[base]\naws_access_key_id = ${BASE.accessKeyId}\naws_secret_access_key = ${BASE.secretAccessKey}\n`,
  );
  project = path.join(sb.root, 'proj');
  fs.mkdirSync(project);
  // The terminal the agent's own `elevate launch/handoff` would open: the runner gets no human (stdin
  // /dev/null), as when the agent starts an elevation nobody asked for.
  const termDir = path.join(sb.root, 'term');
  fs.mkdirSync(termDir);
  termLog = path.join(termDir, 'term.log');
  const fakeTerm = path.join(termDir, 'fake-term');
  fs.writeFileSync(
    fakeTerm,
    `#!/bin/sh\nshift\n"$@" </dev/null >>${JSON.stringify(termLog)} 2>&1 &\nexit 0\n`,
    { mode: 0o755 },
  );
  env = { ...sb.env, ...awsTestEnv(server), TERMINAL: fakeTerm };
  USER_FILES = {
    AWS_CONFIG_FILE: sb.configFile,
    AWS_SHARED_CREDENTIALS_FILE: path.join(path.dirname(sb.configFile), 'credentials'),
  };
});
afterAll(async () => {
  await server.close();
  fs.rmSync(sb.root, { recursive: true, force: true });
});

function terminal(input = '') {
  let resolveDone!: (v: { code: number | null; stderr: string }) => void;
  const done = new Promise<{ code: number | null; stderr: string }>((r) => (resolveDone = r));
  return {
    adapter: adapterFor('xterm')!,
    done,
    open: async (_a: unknown, command: string[], _o: unknown, e: Record<string, string | undefined>) => {
      const child = spawn(command[0]!, command.slice(1), {
        env: e as NodeJS.ProcessEnv,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      child.stdout.resume();
      child.stdin.end(input);
      child.on('close', (code) => resolveDone({ code, stderr }));
      return { pid: child.pid, argv: command };
    },
  };
}

let n = 0;
/** Start the agent in a session the HUMAN launched (input = what the human types into its terminal). */
async function agentSession(
  tier: 'readonly' | 'elevated',
  steps: AgentStep[],
  opts: { input?: string; deadline?: Date; graceMs?: number; stayMs?: number } = {},
): Promise<{ agent: Agent; id: string; done: Promise<{ code: number | null; stderr: string }> }> {
  const agent = makeAgent(path.join(sb.root, `agent-${++n}`), steps, { stayMs: opts.stayMs ?? 0 });
  const term = terminal(opts.input);
  const r = await launchSession({
    tier,
    cwd: project,
    env: { ...env, PATH: `${agent.binDir}:${env.PATH}` },
    adapter: term.adapter,
    open: term.open,
    self,
    ...(opts.deadline ? { deadline: opts.deadline } : {}),
    ...(opts.graceMs !== undefined ? { graceMs: opts.graceMs } : {}),
  });
  return { agent, id: r.spec.id, done: term.done };
}

const elevatedGranted = () => server.assumeRoleCalls.filter((c) => c.roleArn === ELEVATED_ROLE && c.granted);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasAwsCli)(
  'issue 12 routes: the read-only agent never obtains the elevated identity',
  () => {
    it('route 1: --profile / AWS_PROFILE of another profile → "profile not found" (CLI); the SDK stays on its own tier', async () => {
      const { agent, done } = await agentSession('readonly', [
        { kind: 'aws', name: 'own', args: ['sts', 'get-caller-identity'] },
        {
          kind: 'aws',
          name: 'flag',
          args: ['sts', 'get-caller-identity', '--profile', 'claudecode-elevated'],
        },
        {
          kind: 'aws',
          name: 'env',
          args: ['sts', 'get-caller-identity'],
          env: { AWS_PROFILE: 'claudecode-elevated' },
        },
        { kind: 'aws', name: 'admin', args: ['sts', 'get-caller-identity'], env: { AWS_PROFILE: 'admin' } },
        { kind: 'sdk', name: 'sdk', env: { AWS_PROFILE: 'claudecode-elevated' } },
      ]);
      await done;
      expect(agent.result('own')?.arn).toMatch(RO_ARN);
      for (const [name, profile] of [
        ['flag', 'claudecode-elevated'],
        ['env', 'claudecode-elevated'],
        ['admin', 'admin'],
      ] as const) {
        expect(agent.result(name)?.arn, name).toBeNull();
        expect(agent.result(name)?.stderr, name).toContain(
          `The config profile (${profile}) could not be found`,
        );
      }
      expect(agent.result('sdk')?.arn ?? '').not.toMatch(/ClaudeElevated|Admin/);
      expect(elevatedGranted()).toEqual([]);
    }, 120_000);

    it("routes 2 and 3: assume-role with the read-only credentials, or from the user's own files, needs the MFA code", async () => {
      const { agent, done } = await agentSession('readonly', [
        {
          kind: 'aws',
          name: 'chain',
          args: ['sts', 'assume-role', '--role-arn', ELEVATED_ROLE, '--role-session-name', 'claude-x'],
        },
        {
          kind: 'aws',
          name: 'userfiles',
          args: ['sts', 'get-caller-identity'],
          env: {
            AWS_CONFIG_FILE: sb.configFile,
            AWS_SHARED_CREDENTIALS_FILE: path.join(path.dirname(sb.configFile), 'credentials'),
            AWS_PROFILE: 'claudecode-elevated',
            AWS_CONTAINER_CREDENTIALS_FULL_URI: null,
          },
        },
        {
          kind: 'aws',
          name: 'basekeys',
          args: ['sts', 'assume-role', '--role-arn', ELEVATED_ROLE, '--role-session-name', 'claude-y'],
          env: {
            AWS_CONFIG_FILE: sb.configFile,
            AWS_SHARED_CREDENTIALS_FILE: path.join(path.dirname(sb.configFile), 'credentials'),
            AWS_PROFILE: 'base',
            AWS_CONTAINER_CREDENTIALS_FULL_URI: null,
          },
        },
      ]);
      await done;
      for (const name of ['chain', 'userfiles', 'basekeys']) {
        expect(agent.result(name)?.code, name).not.toBe(0);
        expect(agent.result(name)?.stdout ?? '', name).not.toMatch(/ClaudeElevated|AccessKeyId/);
      }
      expect(elevatedGranted()).toEqual([]);
    }, 120_000);

    it('route 4: `elevate launch elevated --yes` and `elevate handoff --approve --yes` from the agent → the runner asks for the MFA code, nobody answers, no credentials', async () => {
      const before = listSessions(env).length;
      const { agent, done } = await agentSession('readonly', [
        // With the session's own config there is no elevated tier at all.
        {
          kind: 'elevate',
          name: 'launch-session-cfg',
          args: ['launch', 'elevated', '--yes', '--cwd', project, '--json'],
        },
        {
          kind: 'elevate',
          name: 'launch-no-yes',
          args: ['launch', 'elevated', '--cwd', project],
          env: USER_FILES,
        },
        {
          kind: 'elevate',
          name: 'launch-yes',
          args: ['launch', 'elevated', '--yes', '--cwd', project, '--json'],
          env: USER_FILES,
        },
        { kind: 'sh', name: 'plan', cmd: `printf '# Plan\\n\\n1. aws iam attach-role-policy\\n' > plan.md` },
        {
          kind: 'elevate',
          name: 'handoff-yes',
          args: ['handoff', '--approve', '--yes', '--cwd', project, '--json'],
          env: USER_FILES,
        },
      ]);
      await done;
      expect(agent.result('launch-session-cfg')?.code).toBe(2);
      expect(agent.result('launch-session-cfg')?.stdout).toContain('no elevated tier');
      expect(agent.result('launch-no-yes')).toMatchObject({ code: 2 });
      expect(agent.result('launch-no-yes')?.stderr).toContain('needs confirmation');
      expect(agent.result('launch-yes')?.code).toBe(0);
      expect(agent.result('handoff-yes')?.code).toBe(0);
      // Two elevated runners were started by the agent's terminal; both must refuse for lack of the code.
      const launched = listSessions(env)
        .slice(before)
        .filter((s) => s.tier === 'elevated');
      expect(launched).toHaveLength(2);
      for (let i = 0; i < 100 && !launched.every((s) => readSession(s.id, env).endedAt); i++)
        await sleep(100);
      for (const s of launched) expect(readSession(s.id, env)).toMatchObject({ endReason: 'error' });
      expect(fs.readFileSync(termLog, 'utf8')).toMatch(/no MFA code given: not elevating/);
      expect(elevatedGranted()).toEqual([]);
      fs.rmSync(path.join(project, 'plan.md'), { force: true });
    }, 120_000);

    it('route 5: forged approvals.json, active.json and a pending session spec yield no credentials', async () => {
      const plan = '# Forged\n\n1. aws iam create-user\n';
      const hash = planHash(plan);
      const home = env.ELEVATE_HOME!;
      const forgedSpec = {
        id: 'forged-spec-0001',
        kind: 'claude',
        tier: 'elevated',
        profile: 'claudecode-elevated',
        cwd: project,
        argv: [
          process.execPath,
          '-e',
          'fetch(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI,{headers:{authorization:process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN}}).then(r=>r.text()).then(t=>console.log("GOT",t))',
        ],
        env: { set: {}, unset: [] },
        title: 'x',
        createdAt: new Date().toISOString(),
        deadline: new Date(Date.now() + 24 * 3600_000).toISOString(),
      };
      const { agent, done } = await agentSession('readonly', [
        { kind: 'sh', name: 'plan', cmd: `printf '${plan.replace(/\n/g, '\\n')}' > plan.md` },
        {
          kind: 'sh',
          name: 'forge-approval',
          cmd: `printf '%s' '${JSON.stringify({ version: 1, approvals: { [project]: { cwd: project, planHash: hash, approvedAt: new Date().toISOString(), minutes: 60 } } })}' > '${home}/approvals.json'`,
        },
        {
          kind: 'sh',
          name: 'forge-active',
          cmd: `printf '%s' '${JSON.stringify({ tier: 'elevated', deadline: new Date(Date.now() + 86_400_000).toISOString(), since: new Date().toISOString(), profile: 'claudecode-elevated', rev: 99 })}' > '${home}/active.json'`,
        },
        { kind: 'aws', name: 'after-active', args: ['sts', 'get-caller-identity'] },
        {
          kind: 'elevate',
          name: 'handoff-forged',
          args: ['handoff', '--yes', '--cwd', project, '--json'],
          env: USER_FILES,
        },
        {
          kind: 'sh',
          name: 'forge-spec',
          cmd: `printf '%s' '${JSON.stringify(forgedSpec)}' > '${home}/sessions/forged-spec-0001.json' && chmod 600 '${home}/sessions/forged-spec-0001.json'`,
        },
        {
          kind: 'elevate',
          name: 'run-forged',
          args: ['run', '--session', 'forged-spec-0001'],
          env: USER_FILES,
        },
        {
          kind: 'sh',
          name: 'edit-plan',
          cmd: `printf '# Forged\\n\\n1. aws iam create-user\\n2. aws iam attach-user-policy AdministratorAccess\\n' > plan.md`,
        },
      ]);
      await done;
      expect(agent.result('after-active')?.arn).toMatch(RO_ARN);
      expect(agent.result('run-forged')?.code).toBe(1);
      expect(agent.result('run-forged')?.stdout ?? '').not.toContain('GOT');
      expect(agent.result('run-forged')?.stderr).toMatch(/no MFA code given/);
      // The forged approval did launch an elevated session (approvals are not trusted for credentials): its
      // runner asked for the code and refused.
      const handoff = JSON.parse(agent.result('handoff-forged')!.stdout!) as {
        launched: { sessionId: string; planSnapshot: string };
      };
      const sid = handoff.launched.sessionId;
      for (let i = 0; i < 100 && !readSession(sid, env).endedAt; i++) await sleep(100);
      expect(readSession(sid, env).endReason).toBe('error');
      // The elevated session would execute the SNAPSHOT: the later plan.md edit did not reach it, and is audited.
      expect(fs.readFileSync(handoff.launched.planSnapshot, 'utf8')).toBe(plan);
      expect(readSession(sid, env).argv.join(' ')).toContain(handoff.launched.planSnapshot);
      spawnSync(process.execPath, [ELEVATE_CLI, 'handoff', '--cwd', project], { env, encoding: 'utf8' });
      expect(readAudit(env).find((a) => a.type === 'approval-void' && a.sessionId === sid)).toMatchObject({
        afterLaunch: true,
      });
      expect(elevatedGranted()).toEqual([]);
      fs.rmSync(path.join(project, 'plan.md'), { force: true });
      fs.rmSync(path.join(home, 'approvals.json'), { force: true });
      fs.rmSync(path.join(home, 'active.json'), { force: true });
    }, 120_000);

    it("route 6: another session's id, token and files: refused (run once, peer check, no secrets on disk)", async () => {
      // The HUMAN starts an elevated session and types the code.
      const human = await agentSession(
        'elevated',
        [{ kind: 'aws', name: 'el', args: ['sts', 'get-caller-identity'] }],
        {
          input: `${CODE}\n`,
          stayMs: 20_000,
        },
      );
      await human.agent.waitDone();
      expect(human.agent.result('el')?.arn).toMatch(/ClaudeElevated/);
      const granted = elevatedGranted().length;
      const elId = human.id;
      const home = env.ELEVATE_HOME!;
      const { agent, done } = await agentSession('readonly', [
        { kind: 'elevate', name: 'run-other', args: ['run', '--session', elId] },
        { kind: 'elevate', name: 'credentials-other', args: ['credentials', '--session', elId] },
        {
          kind: 'sh',
          name: 'files',
          cmd: `cat '${home}/sessions/${elId}/aws/config' '${home}/sessions/${elId}/aws/credentials' '${home}/sessions/${elId}.json'; ls '${home}/sessions/${elId}'`,
        },
        {
          kind: 'sh',
          name: 'steal',
          // Read the elevated child's environment (same user can) and use ITS token against ITS broker.
          cmd: `for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < $f 2>/dev/null | grep -q '^ELEVATE_SESSION_ID=${elId}$' || continue; U=$(tr '\\0' '\\n' < $f | sed -n 's/^AWS_CONTAINER_CREDENTIALS_FULL_URI=//p'); T=$(tr '\\0' '\\n' < $f | sed -n 's/^AWS_CONTAINER_AUTHORIZATION_TOKEN=//p'); [ -n "$T" ] && curl -s -H "Authorization: $T" "$U" && echo && break; done`,
        },
      ]);
      await done;
      expect(agent.result('run-other')?.code).toBe(1);
      expect(agent.result('run-other')?.stderr).toMatch(/already run|refusing/);
      expect(agent.result('credentials-other')?.code).toBe(1);
      expect(agent.result('credentials-other')?.stdout).toBe('');
      expect(agent.result('files')?.stdout).not.toMatch(
        /AccessKeyId|aws_access_key_id|credential_process|AUTHORIZATION_TOKEN|ASIA/,
      );
      const stolen = agent.result('steal')?.stdout ?? '';
      expect(stolen).toContain('not a process of this session');
      expect(stolen).not.toContain('AccessKeyId');
      expect(elevatedGranted().length).toBe(granted);
      spawnSync(process.execPath, [ELEVATE_CLI, 'sessions', 'drop', elId], { env });
    }, 120_000);

    it.skipIf(!hasScript)(
      'route 7: the human answers "n" → nothing recorded; the agent\'s `handoff --yes` then launches nothing',
      async () => {
        fs.writeFileSync(path.join(project, 'plan.md'), '# Plan\n\n1. aws ecs update-service\n');
        const human = spawnSync(
          '/usr/bin/script',
          [
            '-qec',
            `${process.execPath} ${ELEVATE_CLI} handoff --approve --minutes 15 --cwd '${project}'`,
            '/dev/null',
          ],
          {
            env,
            input: 'n\n',
            encoding: 'utf8',
            timeout: 30_000,
          },
        );
        expect(human.stdout).toContain('nothing was recorded');
        expect(getApproval(project, env)).toBeNull();
        const before = listSessions(env).length;
        const { agent, done } = await agentSession('readonly', [
          { kind: 'elevate', name: 'yes', args: ['handoff', '--yes', '--cwd', project] },
        ]);
        await done;
        expect(agent.result('yes')?.code).toBe(1);
        expect(agent.result('yes')?.stderr).toContain('is not approved');
        expect(
          listSessions(env)
            .slice(before)
            .filter((s) => s.tier === 'elevated'),
        ).toEqual([]);
        fs.rmSync(path.join(project, 'plan.md'), { force: true });
      },
      120_000,
    );

    it('route 8: hidden plan content (ANSI erase/up, CR, comments, hidden markdown) is shown, neutralised', async () => {
      const plan =
        '# Plan\n\n1. aws s3 ls\n2. aws iam create-access-key\r\x1b[2K\x1b[1A\n<!-- 3. aws iam attach-user-policy AdministratorAccess -->\n[//]: # (4. aws organizations leave-organization)\n\u202Egnp.txt\n';
      fs.writeFileSync(path.join(project, 'plan.md'), plan);
      const r = spawnSync(process.execPath, [ELEVATE_CLI, 'handoff', '--approve', '--cwd', project], {
        env,
        encoding: 'utf8',
      });
      expect(r.status).toBe(2); // no terminal, no --yes: nothing recorded
      expect(getApproval(project, env)).toBeNull();
      expect(r.stdout).not.toContain('\x1b');
      expect(r.stdout).not.toContain('\r');
      expect(r.stdout).toContain('2. aws iam create-access-key⟨CR⟩⟨ESC⟩[2K⟨ESC⟩[1A');
      expect(r.stdout).toContain('<!-- 3. aws iam attach-user-policy AdministratorAccess -->');
      expect(r.stdout).toContain('[//]: # (4. aws organizations leave-organization)');
      expect(r.stdout).toContain('⟨U+202E RLO⟩gnp.txt');
      expect(r.stdout).not.toContain('\u202e');
      fs.rmSync(path.join(project, 'plan.md'), { force: true });
    }, 60_000);

    it("double fork: a process that left the session's tree is killed at the deadline (named in the audit) and never gets credentials after it", async () => {
      const deadline = new Date(Date.now() + 6000);
      const { agent, id, done } = await agentSession(
        'elevated',
        [
          { kind: 'aws', name: 'el', args: ['sts', 'get-caller-identity'] },
          { kind: 'doublefork', name: 'fork', ms: 200 },
        ],
        { input: `${CODE}\n`, deadline, graceMs: 500, stayMs: 60_000 },
      );
      await agent.waitDone();
      expect(agent.result('el')?.arn).toMatch(/ClaudeElevated/);
      const forkPid = agent.result('fork')!.pid!;
      expect(pidAlive(forkPid)).toBe(true);
      await done;
      await sleep(300);
      expect(pidAlive(forkPid)).toBe(false);
      const expiry = readAudit(env).find((a) => a.type === 'expiry' && a.sessionId === id);
      expect(expiry?.escaped).toContain(forkPid);
      // Outside the session's tree the broker never served it (peer check), and nothing after the deadline.
      const polls = agent.forkPolls();
      expect(polls.length).toBeGreaterThan(0);
      expect(polls.filter((p) => p.status === 200)).toEqual([]);
      expect(polls.filter((p) => p.t > deadline.getTime() + 1500)).toEqual([]);
      // The one elevated AssumeRole carried the session policy ending at the deadline.
      const call = server.requests
        .filter((q) => q.action === 'AssumeRole' && q.params.RoleArn === ELEVATED_ROLE)
        .at(-1)!;
      expect(
        JSON.parse(call.params.Policy as string).Statement[0].Condition.DateLessThan['aws:CurrentTime'],
      ).toBe(new Date(Math.floor(deadline.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
      expect(Number(call.params.DurationSeconds)).toBe(900);
    }, 120_000);
  },
);
