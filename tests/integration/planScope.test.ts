// Plan-scoped elevation (issue 14 item 4), end to end: `elevate handoff --approve` (the real CLI) records
// the scope; the real runner (`elevate run`, started by a terminal that types the MFA code) computes the
// plan's actions from its OWN snapshot, sends them as the AssumeRole session policy (with the deadline)
// to the local endpoint, whose IAM model (role permissions ∩ session policy) then decides every call of a
// stand-in agent running the real /usr/bin/aws through the session's activity shim.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsTestEnv, startAwsServer, type AwsServer, type PolicyDocument } from '../helpers/awsServer';
import { makeSandbox, type Sandbox } from '../helpers/cli';
import { makeAgent, ELEVATE_CLI, type AgentStep } from '../helpers/agent';
import { readSession } from '../../electron/node/sessions';
import { readAudit } from '../../electron/node/audit';
import { getApproval } from '../../electron/node/approvals';
import { parseActivityLog, NOT_IN_PLAN_HINT } from '../../shared/activity';

const hasAwsCli = fs.existsSync('/usr/bin/aws');
const ACCT = '111122223333';
const OPERATOR = {
  accessKeyId: 'AKIAOPERATOR00000PLN',
  secretAccessKey: 'operator-secret-operator-secret-operator',
  arn: `arn:aws:iam::${ACCT}:user/dana`,
  permissions: 'AdministratorAccess',
};
const RO = `arn:aws:iam::${ACCT}:role/ClaudeReadOnly`;
const EL = `arn:aws:iam::${ACCT}:role/ClaudeElevated`;
const SERIAL = `arn:aws:iam::${ACCT}:mfa/dana`;
const CONFIG = `[profile claudecode-readonly]
region = us-east-1
role_arn = ${RO}
source_profile = base
role_session_name = claude-ro

[profile claudecode-elevated]
region = us-east-1
role_arn = ${EL}
source_profile = base
role_session_name = claude-el
mfa_serial = ${SERIAL}
`;
const PLAN = `# Plan: check the fleet, then run uptime on i-0aaa

\`\`\`sh
aws ssm describe-instance-information
aws ssm send-command --instance-ids i-0aaa --document-name AWS-RunShellScript --parameters commands=uptime
\`\`\`
`;

let server: AwsServer;
let sb: Sandbox;
let env: Record<string, string>;
let project: string;
let codeFile: string;
let termLog: string;
let mfaCode = '100001';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  server = await startAwsServer({ staticKeys: [OPERATOR] });
  server.addMfaDevice(SERIAL, () => mfaCode);
  server.addInstance({ instanceId: 'i-0aaa' });
  server.defineRole({
    arn: RO,
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: OPERATOR.arn }, Action: 'sts:AssumeRole' }],
    } as unknown as PolicyDocument,
    permissions: 'ReadOnlyAccess',
  });
  server.defineRole({
    arn: EL,
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: OPERATOR.arn },
          // SetSourceIdentity too: else the first AssumeRole (with SourceIdentity) is refused after using
          // the MFA code, and the retry without it is refused as a reused code.
          Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
      ],
    } as unknown as PolicyDocument,
    permissions: 'PowerUserAccess',
  });
  sb = makeSandbox('elevate-planscope-');
  sb.writeConfig(CONFIG);
  sb.writeCredentials(
    `[base]\naws_access_key_id = ${OPERATOR.accessKeyId}\naws_secret_access_key = ${OPERATOR.secretAccessKey}\n`,
  );
  project = path.join(sb.root, 'proj');
  fs.mkdirSync(project);
  // The human at the elevated session's terminal: types the current MFA code (from codeFile) at the prompt.
  const termDir = path.join(sb.root, 'term');
  fs.mkdirSync(termDir);
  codeFile = path.join(termDir, 'code');
  termLog = path.join(termDir, 'term.log');
  const fakeTerm = path.join(termDir, 'fake-term');
  fs.writeFileSync(
    fakeTerm,
    `#!/bin/sh\nshift\ncat ${JSON.stringify(codeFile)} | "$@" >>${JSON.stringify(termLog)} 2>&1 &\nexit 0\n`,
    { mode: 0o755 },
  );
  env = { ...sb.env, ...awsTestEnv(server), TERMINAL: fakeTerm };
});
afterAll(async () => {
  await server?.close();
  if (sb) fs.rmSync(sb.root, { recursive: true, force: true });
});

const sh = (name: string, cmd: string): AgentStep => ({ kind: 'sh', name, cmd });
const hookStep = (name: string, command: string): AgentStep => ({
  kind: 'elevate',
  name,
  args: ['hook', 'pre-tool-use'],
  input: JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command } }),
});
const aws = (args: string) => `aws ${args} --endpoint-url "$AWS_ENDPOINT_URL" --output json`;

/** `elevate handoff --approve --yes --json [extra]` with the agent as `claude` and /usr/bin/aws first. */
function handoff(binDir: string, extra: string[]) {
  const r = spawnSync(
    process.execPath,
    [ELEVATE_CLI, 'handoff', '--approve', '--yes', '--minutes', '15', '--cwd', project, ...extra],
    {
      env: { ...env, PATH: `${binDir}:/usr/bin:/bin:${env.PATH}` },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return r;
}

async function ended(id: string): Promise<void> {
  for (let i = 0; i < 300 && !readSession(id, env).endedAt; i++) await sleep(100);
  expect(readSession(id, env).endedAt, 'session ended').toBeTruthy();
}

describe.skipIf(!hasAwsCli)('plan-scoped elevation (real runner, /usr/bin/aws, local IAM)', () => {
  it('scope plan (default): in-plan calls succeed, an out-of-plan write is denied by AWS with the "not in the approved plan" hint; the AssumeRole Policy is exactly the plan\'s actions + deadline', async () => {
    fs.writeFileSync(path.join(project, 'plan.md'), PLAN);
    mfaCode = '100001';
    fs.writeFileSync(codeFile, `${mfaCode}\n`);
    const agent = makeAgent(path.join(sb.root, 'agent-plan'), [
      sh('which', 'command -v aws'),
      sh('describe', aws('ssm describe-instance-information')),
      sh(
        'send',
        aws(
          'ssm send-command --instance-ids i-0aaa --document-name AWS-RunShellScript --parameters commands=uptime',
        ),
      ),
      sh('terminate', aws('ssm terminate-session --session-id s-0123456789abcdef0')),
      sh('policy-file', 'stat -c %a "$ELEVATE_PLAN_ACTIONS" && cat "$ELEVATE_PLAN_ACTIONS"'),
      // The session's Claude hook reads the same policy (ELEVATE_PLAN_ACTIONS): out of plan → ask.
      hookStep('hook-out', 'aws ssm terminate-session --session-id s-1'),
      hookStep('hook-in', 'aws ssm describe-instance-information'),
      { kind: 'sleep', ms: 1500 },
    ]);
    const before = server.assumeRoleCalls.length;
    const r = handoff(agent.binDir, ['--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { launched: { sessionId: string; scope: string; deadline: string } };
    expect(out.launched.scope).toBe('plan');
    const id = out.launched.sessionId;
    expect(getApproval(fs.realpathSync(project), env)).toMatchObject({
      scope: 'plan',
      actions: ['ssm:DescribeInstanceInformation', 'ssm:SendCommand'],
    });
    expect(readSession(id, env).planScope).toBe('plan');
    await agent.waitDone(30_000).catch((e: Error) => {
      throw new Error(`${e.message}\nterminal:\n${fs.readFileSync(termLog, 'utf8')}`);
    });
    await ended(id);

    // The one AssumeRole: MFA, and the session policy = exactly the plan's actions, bounded by the deadline.
    const calls = server.assumeRoleCalls.slice(before).filter((c) => c.roleArn === EL);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.granted).toBe(true);
    const sent = JSON.parse(calls[0]!.policy!) as PolicyDocument & {
      Statement: Array<Record<string, unknown>>;
    };
    const deadline = new Date(readSession(id, env).deadline!).toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect(sent.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['ssm:DescribeInstanceInformation', 'ssm:SendCommand'],
        Resource: '*',
        Condition: { DateLessThan: { 'aws:CurrentTime': deadline } },
      },
    ]);

    // The agent: the shim is its aws; in-plan calls pass, the write outside the plan is denied by the endpoint.
    expect(agent.result('which')?.stdout).toContain(path.join('sessions', id, 'bin', 'aws'));
    expect(agent.result('describe')?.code, agent.result('describe')?.stderr).toBe(0);
    expect(agent.result('describe')?.stdout).toContain('i-0aaa');
    expect(agent.result('send')?.code, agent.result('send')?.stderr).toBe(0);
    expect(agent.result('send')?.stdout).toContain('CommandId');
    const term = agent.result('terminate')!;
    expect(term.code).not.toBe(0);
    expect(term.stderr).toMatch(/AccessDeniedException/);
    expect(term.stderr).toMatch(/ssm:TerminateSession/);

    // The policy file for the hook: 0400, the same policy.
    const pf = agent.result('policy-file')!;
    const pfOut = pf.stdout ?? '';
    expect(pf.code).toBe(0);
    expect(pfOut.split('\n')[0]).toBe('400');
    const file = JSON.parse(pfOut.slice(pfOut.indexOf('\n') + 1)) as {
      actions: string[];
      policy: unknown;
    };
    expect(file.actions).toEqual(['ssm:DescribeInstanceInformation', 'ssm:SendCommand']);
    expect(file.policy).toEqual(sent);

    const hookOut = JSON.parse(agent.result('hook-out')?.stdout ?? '{}') as {
      hookSpecificOutput?: { permissionDecision?: string; permissionDecisionReason?: string };
    };
    expect(hookOut.hookSpecificOutput?.permissionDecision).toBe('ask');
    expect(hookOut.hookSpecificOutput?.permissionDecisionReason).toMatch(/not in the approved plan/);
    expect(agent.result('hook-in')).toMatchObject({ code: 0, stdout: '' });

    // The activity record of the denied call carries the hint; the allowed ones do not.
    let records = parseActivityLog('');
    for (let i = 0; i < 50; i++) {
      try {
        records = parseActivityLog(fs.readFileSync(path.join(env.ELEVATE_HOME!, 'activity.jsonl'), 'utf8'));
      } catch {
        /* not yet written */
      }
      if (records.filter((x) => x.sessionId === id).length >= 3) break;
      await sleep(100);
    }
    const mine = records.filter((x) => x.sessionId === id);
    const denied = mine.find((x) => x.operation === 'terminate-session');
    expect(denied).toMatchObject({
      tier: 'elevated',
      notInPlan: true,
      hint: NOT_IN_PLAN_HINT,
      denied: { action: 'ssm:TerminateSession' },
    });
    expect(mine.find((x) => x.operation === 'send-command')).toMatchObject({ exitCode: 0 });
    expect(mine.find((x) => x.operation === 'send-command')?.hint).toBeUndefined();

    // The MFA prompt showed the scope and the actions; the audit names scope and actions, no secrets.
    const shown = fs.readFileSync(termLog, 'utf8');
    expect(shown).toMatch(
      /scope\s+limited to the plan: 2 actions \(ssm:DescribeInstanceInformation, ssm:SendCommand\)/,
    );
    const audit = readAudit(env);
    expect(audit.find((e) => e.type === 'approval' && e.scope === 'plan')).toMatchObject({
      actions: ['ssm:DescribeInstanceInformation', 'ssm:SendCommand'],
    });
    expect(audit.find((e) => e.type === 'elevation-start' && e.sessionId === id)).toMatchObject({
      scope: 'plan',
    });
    expect(audit.find((e) => e.type === 'elevation-issue' && e.sessionId === id)).toMatchObject({
      scope: 'plan',
      actions: ['ssm:DescribeInstanceInformation', 'ssm:SendCommand'],
      policyScope: 'exact',
      mfa: true,
    });
    expect(JSON.stringify(audit)).not.toContain(OPERATOR.secretAccessKey);
    expect(JSON.stringify(audit)).not.toContain(mfaCode);
  }, 150_000);

  it('--scope full: the AssumeRole Policy is the plain deadline policy (Action "*"), no plan policy file', async () => {
    fs.writeFileSync(path.join(project, 'plan.md'), `${PLAN}\n<!-- full -->\n`);
    mfaCode = '200002';
    fs.writeFileSync(codeFile, `${mfaCode}\n`);
    const agent = makeAgent(path.join(sb.root, 'agent-full'), [
      sh('terminate', aws('ssm terminate-session --session-id s-0123456789abcdef1')),
      sh('plan-env', 'printf %s "${ELEVATE_PLAN_ACTIONS-unset}"'),
    ]);
    const before = server.assumeRoleCalls.length;
    const r = handoff(agent.binDir, ['--scope', 'full']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/scope\s+FULL ELEVATED ROLE/);
    const id = /launched elevated session (\S+)/.exec(r.stdout)![1]!;
    expect(readSession(id, env).planScope).toBe('full');
    await agent.waitDone(30_000).catch((e: Error) => {
      throw new Error(`${e.message}\nterminal:\n${fs.readFileSync(termLog, 'utf8')}`);
    });
    await ended(id);
    const calls = server.assumeRoleCalls.slice(before).filter((c) => c.roleArn === EL);
    expect(calls).toHaveLength(1);
    const deadline = new Date(readSession(id, env).deadline!).toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect(JSON.parse(calls[0]!.policy!)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ElevateDeadline',
          Effect: 'Allow',
          Action: '*',
          Resource: '*',
          Condition: { DateLessThan: { 'aws:CurrentTime': deadline } },
        },
      ],
    });
    // The full role (PowerUserAccess) allows the write the plan did not name.
    expect(agent.result('terminate')?.code, agent.result('terminate')?.stderr).toBe(0);
    expect(agent.result('plan-env')?.stdout).toBe('unset');
    expect(getApproval(fs.realpathSync(project), env)).toMatchObject({ scope: 'full' });
  }, 150_000);

  it('CLI --scope: default plan when every command was understood, full when one was not; bad value and --scope without --approve are usage errors; the choice is shown before anything is recorded', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, [ELEVATE_CLI, 'handoff', '--cwd', project, ...args], {
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
    fs.writeFileSync(path.join(project, 'plan.md'), `${PLAN}\n<!-- cli -->\n`);
    // No terminal and no --yes: the review and the scope are printed, nothing is recorded.
    const shown = run(['--approve']);
    expect(shown.status).toBe(2);
    expect(shown.stdout).toMatch(/scope\s+LIMITED TO THIS PLAN: 2 action\(s\)/);
    expect(shown.stdout).toContain('ssm:SendCommand');
    const chosen = run(['--approve', '--scope', 'full']);
    expect(chosen.status).toBe(2);
    expect(chosen.stdout).toMatch(/scope\s+FULL ELEVATED ROLE/);
    // A command Elevate cannot map: default full.
    fs.writeFileSync(
      path.join(project, 'plan.md'),
      `${PLAN}\n\`\`\`sh\naws frobnicate do-things --x 1\n\`\`\`\n`,
    );
    const unknown = run(['--approve']);
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toContain('NOT UNDERSTOOD');
    expect(unknown.stdout).toMatch(/scope\s+FULL ELEVATED ROLE/);
    const bad = run(['--approve', '--scope', 'some']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--scope: expected plan or full/);
    const noApprove = run(['--scope', 'plan']);
    expect(noApprove.status).toBe(2);
    expect(noApprove.stderr).toMatch(/--scope goes with --approve/);
    // A plan without any aws command cannot be plan-scoped.
    fs.writeFileSync(path.join(project, 'plan.md'), '# Plan\n\nRestart the service by hand.\n');
    const none = run(['--approve', '--scope', 'plan', '--yes']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/use --scope full/);
    expect(readAudit(env).filter((e) => e.type === 'approval')).toHaveLength(2); // the two tests above only
  }, 60_000);
});
