// The session credential broker (replaces the credential_process/cache tests: `elevate credentials` and
// cache.json are gone as a credential source — issue 12). Real runner (`node bin/elevate.cjs run`), real
// AWS CLI v2 (/usr/bin/aws) and JS SDK v3 inside the session (a stand-in agent), local STS endpoint.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsTestEnv, startAwsServer, type AwsServer } from '../helpers/awsServer';
import { makeSandbox, runCli, type Sandbox } from '../helpers/cli';
import { makeAgent, type Agent, type AgentStep } from '../helpers/agent';
import { launchSession } from '../../electron/node/launcher';
import { adapterFor } from '../../electron/node/terminals';
import { selfCommand } from '../../electron/node/selfCommand';
import { readSession } from '../../electron/node/sessions';
import { readAudit } from '../../electron/node/audit';
import { BrokerRefusal, containerResponse, startCredentialServer } from '../../electron/node/broker';
import { elevatedSource, sessionPolicy, cappedDeadline } from '../../electron/node/elevation';
import { REPO } from '../helpers/cli';

const hasAwsCli = fs.existsSync('/usr/bin/aws');
const BASE = {
  accessKeyId: 'AKIABASE0000EXAMPLE1',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const READONLY_ROLE = 'arn:aws:iam::111122223333:role/ClaudeReadOnly';
const ELEVATED_ROLE = 'arn:aws:iam::111122223333:role/ClaudeElevated';
const MFA_SERIAL = 'arn:aws:iam::111122223333:mfa/dana';

const SEED = `[profile claudecode-readonly]
region = eu-west-2
role_arn = ${READONLY_ROLE}
source_profile = base
role_session_name = claude-ro

[profile claudecode-elevated]
region = eu-west-2
role_arn = ${ELEVATED_ROLE}
source_profile = claudecode-readonly
role_session_name = claude-el

[profile admin]
role_arn = arn:aws:iam::111122223333:role/Admin
source_profile = base
`;
/** Hardened: elevated from the operator's own keys, with MFA; read-only cannot reach it. */
const HARDENED = SEED.replace(
  'source_profile = claudecode-readonly\nrole_session_name = claude-el\n',
  `source_profile = base\nrole_session_name = claude-el\nmfa_serial = ${MFA_SERIAL}\n`,
);

const self = selfCommand({ packaged: false, execPath: process.execPath, repoRoot: REPO });
let server: AwsServer;
let sb: Sandbox;
let env: Record<string, string>;
let project: string;
const sandboxes: Sandbox[] = [];

beforeEach(async () => {
  server = await startAwsServer({ staticKeys: [BASE] });
  sb = makeSandbox('elevate-broker-');
  sandboxes.push(sb);
  sb.writeConfig(SEED);
  sb.writeCredentials(
    `[base]\naws_access_key_id = ${BASE.accessKeyId}\naws_secret_access_key = ${BASE.secretAccessKey}\n`,
  );
  project = path.join(sb.root, 'proj');
  fs.mkdirSync(project);
  env = { ...sb.env, ...awsTestEnv(server) };
});
afterEach(async () => {
  await server.close();
});
afterAll(() => {
  for (const s of sandboxes) fs.rmSync(s.root, { recursive: true, force: true });
});

/** A "terminal" that runs the runner directly with `input` on its stdin (what the human types there). */
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

async function session(
  tier: 'readonly' | 'elevated',
  steps: AgentStep[],
  opts: { input?: string; deadline?: Date; minutes?: number } = {},
): Promise<{ agent: Agent; id: string; done: Promise<{ code: number | null; stderr: string }> }> {
  const agent = makeAgent(path.join(sb.root, `agent-${Math.random().toString(36).slice(2)}`), steps);
  const term = terminal(opts.input);
  const r = await launchSession({
    tier,
    cwd: project,
    env: { ...env, PATH: `${agent.binDir}:${env.PATH}` },
    adapter: term.adapter,
    open: term.open,
    self,
    ...(opts.deadline ? { deadline: opts.deadline } : {}),
    ...(opts.minutes ? { minutes: opts.minutes } : {}),
  });
  return { agent, id: r.spec.id, done: term.done };
}

const roArn = `arn:aws:sts::111122223333:assumed-role/ClaudeReadOnly/claude-ro`;

describe('read-only session: one profile, credentials only from its broker', () => {
  it.skipIf(!hasAwsCli)(
    'real AWS CLI and JS SDK get the read-only role; other profiles do not exist in the session',
    async () => {
      const { agent, id, done } = await session('readonly', [
        { kind: 'aws', name: 'cli', args: ['sts', 'get-caller-identity'] },
        { kind: 'sdk', name: 'sdk' },
        {
          kind: 'aws',
          name: 'cli-profile',
          args: ['sts', 'get-caller-identity', '--profile', 'claudecode-elevated'],
        },
        {
          kind: 'aws',
          name: 'cli-env-profile',
          args: ['sts', 'get-caller-identity'],
          env: { AWS_PROFILE: 'admin' },
        },
        { kind: 'sdk', name: 'sdk-env-profile', env: { AWS_PROFILE: 'claudecode-elevated' } },
        { kind: 'broker', name: 'no-token', token: '' },
        { kind: 'broker', name: 'wrong-token', token: 'A'.repeat(43) },
        {
          kind: 'sh',
          name: 'files',
          cmd: 'cat "$AWS_CONFIG_FILE"; echo ---; cat "$AWS_SHARED_CREDENTIALS_FILE"',
        },
      ]);
      const { code } = await done;
      expect(code).toBe(0);
      expect(agent.result('cli')?.arn).toBe(roArn);
      expect(agent.result('sdk')?.arn).toBe(roArn);
      expect(agent.result('cli-profile')).toMatchObject({ code: 255, arn: null });
      expect(agent.result('cli-profile')?.stderr).toContain(
        'The config profile (claudecode-elevated) could not be found',
      );
      expect(agent.result('cli-env-profile')?.stderr).toContain(
        'The config profile (admin) could not be found',
      );
      // The JS SDK falls through to the container provider: the SAME tier, never another.
      expect(agent.result('sdk-env-profile')?.arn ?? null).not.toMatch(/ClaudeElevated|Admin/);
      expect(agent.result('no-token')?.status).toBe(403);
      expect(agent.result('wrong-token')?.status).toBe(403);
      const files = agent.result('files')!.stdout!;
      expect(files.match(/^\[.*\]$/gm)).toEqual(['[profile claudecode-readonly]']);
      expect(files).not.toMatch(/role_arn|source_profile|credential_process|aws_access_key_id|mfa_serial/);
      expect(files.split('---\n')[1]).toBe('');
      // Only the read-only role was ever assumed; the token was never written to disk.
      expect(new Set(server.assumeRoleCalls.map((c) => c.roleArn))).toEqual(new Set([READONLY_ROLE]));
      const spec = JSON.stringify(readSession(id, env));
      expect(spec).not.toMatch(/AUTHORIZATION_TOKEN|SecretAccessKey/);
    },
    90_000,
  );
});

describe('elevated session: minted by the runner once, with a session policy ending at the deadline', () => {
  it.skipIf(!hasAwsCli)(
    'seed layout (no MFA): one AssumeRole at first use, DurationSeconds fitted, Policy DateLessThan = deadline',
    async () => {
      const deadline = new Date(Math.floor((Date.now() + 20 * 60_000) / 1000) * 1000);
      const { agent, done } = await session(
        'elevated',
        [
          { kind: 'aws', name: 'one', args: ['sts', 'get-caller-identity'] },
          { kind: 'aws', name: 'two', args: ['sts', 'get-caller-identity'] },
          { kind: 'broker', name: 'raw' },
        ],
        { deadline },
      );
      await done;
      expect(agent.result('one')?.arn).toMatch(/assumed-role\/ClaudeElevated\/claude-el-/);
      expect(agent.result('two')?.arn).toBe(agent.result('one')?.arn);
      const el = server.requests.filter(
        (q) => q.action === 'AssumeRole' && q.params.RoleArn === ELEVATED_ROLE,
      );
      expect(el).toHaveLength(1);
      const policy = JSON.parse(el[0]!.params.Policy as string);
      expect(policy.Statement[0].Condition.DateLessThan['aws:CurrentTime']).toBe(
        deadline.toISOString().replace('.000Z', 'Z'),
      );
      const duration = Number(el[0]!.params.DurationSeconds);
      expect(duration).toBeGreaterThanOrEqual(20 * 60 - 10);
      expect(duration).toBeLessThanOrEqual(20 * 60);
      // The broker tells the SDK the credentials end at the deadline.
      expect(Date.parse(String(agent.result('raw')?.body?.Expiration))).toBeLessThanOrEqual(
        deadline.getTime(),
      );
      const issue = readAudit(env).find((a) => a.type === 'elevation-issue');
      expect(issue).toMatchObject({ durationSeconds: duration, mfa: false, by: 'runner' });
      expect(JSON.stringify(readAudit(env))).not.toMatch(/ASIA[A-Z2-7]{16}|SecretAccessKey/);
    },
    90_000,
  );

  it.skipIf(!hasAwsCli)(
    'hardened layout: the runner asks for the MFA code on its terminal and sends it once; the code is stored nowhere',
    async () => {
      sb.writeConfig(HARDENED);
      server.requireMfa(ELEVATED_ROLE, '246810');
      const { agent, id, done } = await session(
        'elevated',
        [{ kind: 'aws', name: 'who', args: ['sts', 'get-caller-identity'] }],
        { input: '246810\n', minutes: 15 },
      );
      const { stderr } = await done;
      expect(stderr).toContain('ELEVATION requested for this session');
      expect(stderr).toContain(`role      ${ELEVATED_ROLE}`);
      expect(stderr).toMatch(/until {5}\d\d:\d\d:\d\d local time/);
      expect(agent.result('who')?.arn).toMatch(/ClaudeElevated/);
      const calls = server.assumeRoleCalls.filter((c) => c.roleArn === ELEVATED_ROLE);
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({ serialNumber: MFA_SERIAL, tokenCode: '246810', granted: true });
      const everything = [
        JSON.stringify(readAudit(env)),
        JSON.stringify(readSession(id, env)),
        ...fs.readdirSync(path.join(env.ELEVATE_HOME!, 'sessions'), { recursive: true }).flatMap((f) => {
          const p = path.join(env.ELEVATE_HOME!, 'sessions', String(f));
          return fs.statSync(p).isFile() ? [fs.readFileSync(p, 'utf8')] : [];
        }),
      ].join('\n');
      expect(everything).not.toContain('246810');
    },
    90_000,
  );

  it('hardened layout: no code / wrong codes → no child, no elevated credentials, audit elevation-refused', async () => {
    sb.writeConfig(HARDENED);
    server.requireMfa(ELEVATED_ROLE, '246810');
    const none = await session('elevated', [
      { kind: 'aws', name: 'who', args: ['sts', 'get-caller-identity'] },
    ]);
    const n = await none.done;
    expect(n.stderr + String(n.code)).toMatch(/no MFA code given: not elevating[\s\S]*1$/);
    expect(none.agent.results()).toEqual([]);
    const wrong = await session(
      'elevated',
      [{ kind: 'aws', name: 'who', args: ['sts', 'get-caller-identity'] }],
      {
        input: '111111\n222222\n333333\n',
      },
    );
    const w = await wrong.done;
    expect(w.stderr + String(w.code)).toMatch(/no valid MFA code[\s\S]*1$/);
    expect(wrong.agent.results()).toEqual([]);
    expect(server.assumeRoleCalls.filter((c) => c.roleArn === ELEVATED_ROLE && c.granted)).toEqual([]);
    expect(readAudit(env).filter((a) => a.type === 'elevation-refused')).toHaveLength(2);
  }, 90_000);

  it.skipIf(!hasAwsCli)(
    'a forged spec deadline a day out gets at most 60 minutes (runner clock), still one AssumeRole',
    async () => {
      const { agent, id, done } = await session(
        'elevated',
        [{ kind: 'aws', name: 'who', args: ['sts', 'get-caller-identity'] }],
        {
          deadline: new Date(Date.now() + 24 * 3600_000),
        },
      );
      await done;
      expect(agent.result('who')?.arn).toMatch(/ClaudeElevated/);
      const el = server.requests.find(
        (q) => q.action === 'AssumeRole' && q.params.RoleArn === ELEVATED_ROLE,
      )!;
      expect(Number(el.params.DurationSeconds)).toBeLessThanOrEqual(3600);
      const until = Date.parse(
        JSON.parse(el.params.Policy as string).Statement[0].Condition.DateLessThan['aws:CurrentTime'],
      );
      expect(until - Date.now()).toBeLessThanOrEqual(60 * 60_000);
      expect(readSession(id, env).endReason).toBe('exit');
    },
    90_000,
  );
});

describe('broker unit behaviour', () => {
  it('refuses after the deadline even if nothing else did; never re-issues; constant token check', async () => {
    let now = Date.parse('2026-01-01T10:00:00Z');
    const deadline = new Date('2026-01-01T10:15:00Z');
    let mints = 0;
    const source = elevatedSource(
      deadline,
      async () => {
        mints++;
        return {
          credentials: {
            accessKeyId: 'ASIAEXAMPLE000000001',
            secretAccessKey: 's',
            sessionToken: 't',
            expiration: new Date('2026-01-01T10:16:00Z'),
          },
          durationSeconds: 900,
          sourceIdentity: true,
          policy: sessionPolicy(deadline),
        };
      },
      { now: () => now },
    );
    const srv = await startCredentialServer(source);
    try {
      const get = (token?: string, host?: string) =>
        fetch(srv.url, {
          headers: { ...(token ? { authorization: token } : {}), ...(host ? { host } : {}) },
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, string> }));
      expect((await get()).status).toBe(403);
      expect((await get(`${srv.token}x`)).status).toBe(403);
      const ok = await get(srv.token);
      expect(ok).toMatchObject({
        status: 200,
        body: { AccessKeyId: 'ASIAEXAMPLE000000001', Expiration: '2026-01-01T10:15:00Z' },
      });
      now = deadline.getTime() - 1;
      expect((await get(srv.token)).status).toBe(200);
      now = deadline.getTime();
      const late = await get(srv.token);
      expect(late.status).toBe(403);
      expect(late.body.message).toMatch(/elevation expired at 2026-01-01T10:15:00.000Z/);
      expect(mints).toBe(1);
      expect(srv.stats).toMatchObject({ served: 2, refused: 1, forbidden: 2 });
    } finally {
      await srv.close();
    }
    expect(new BrokerRefusal('x', 'y').name).toBe('BrokerRefusal');
    // Long-term keys (a read-only profile with static keys): botocore needs Token and Expiration anyway.
    expect(
      containerResponse(
        { accessKeyId: 'AKIAEXAMPLE000000001', secretAccessKey: 's' },
        Date.parse('2026-01-01T10:00:00Z'),
      ),
    ).toEqual({
      AccessKeyId: 'AKIAEXAMPLE000000001',
      SecretAccessKey: 's',
      Token: '',
      Expiration: '2026-01-01T10:15:00Z',
    });
    expect(JSON.parse(sessionPolicy(new Date('2026-01-01T10:15:00.900Z'))).Statement[0].Condition).toEqual({
      DateLessThan: { 'aws:CurrentTime': '2026-01-01T10:15:00Z' },
    });
    const t = new Date('2026-01-01T10:00:00Z');
    expect(cappedDeadline(new Date('2026-01-02T10:00:00Z'), t)).toEqual({
      deadline: new Date('2026-01-01T11:00:00Z'),
      capped: true,
    });
  });

  it('`elevate credentials` no longer issues anything (exit 1, explains the broker)', () => {
    const r = runCli(['credentials', '--session', 'whatever-0000001'], env);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no longer issues credentials/);
  });
});
