// "Connect" end to end under a private Xvfb: `elevate ssm connect` opens a real xterm that runs
// `elevate run --session ID`, which runs the real AWS CLI 2.9 `ssm start-session --endpoint-url` against
// the local endpoint; a stand-in session-manager-plugin records what the CLI hands it.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsTestEnv, startAwsServer, type AwsServer } from '../helpers/awsServer';
import { findOnPath, startXvfb, type Xvfb } from '../helpers/xvfb';
import { readSession } from '../../electron/node/sessions';

const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'elevate.cjs');
const WS = 'i-0123456789abcdef0';
const OPERATOR = {
  accessKeyId: 'AKIAOPERATOROPERATOR',
  secretAccessKey: 'operator-secret-operator-secret-operator1',
  arn: 'arn:aws:iam::222222222222:user/operator',
};
const missing = ['Xvfb', 'xterm'].filter((t) => !findOnPath(t));
if (!existsSync('/usr/bin/aws')) missing.push('/usr/bin/aws');

let xvfb: Xvfb | null = null;
let server: AwsServer | null = null;
let dir = '';

beforeAll(async () => {
  if (missing.length) return;
  xvfb = await startXvfb();
  server = await startAwsServer({ staticKeys: [OPERATOR] });
  dir = mkdtempSync(join(tmpdir(), 'elevate-ssm-e2e-'));
});

afterAll(async () => {
  await xvfb?.stop();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', rej);
    child.on('close', (code) => res({ code: code ?? -1, stdout, stderr }));
  });
}

describe('elevate ssm connect in a real xterm', () => {
  it(`Connect and "Claude (RO) on workstation": terminal → runner → aws 2.9 start-session → plugin${missing.length ? ` (skipped: ${missing.join(', ')} not installed)` : ''}`, async (ctx) => {
    if (missing.length || !xvfb || !server) return ctx.skip(`${missing.join(', ')} not installed`);
    server.addInstance({ instanceId: WS, tags: { Name: 'claudecode-workstation' } });
    const pluginDir = join(dir, 'plugin');
    mkdirSync(pluginDir);
    mkdirSync(join(dir, 'home'));
    mkdirSync(join(dir, 'elevate'));
    const record = join(dir, 'plugin-argv.json');
    writeFileSync(
      join(pluginDir, 'session-manager-plugin'),
      `#!${process.execPath}\nconst a = process.argv.slice(2);\nif (a[0] === '--version') { console.log('1.2.707.0'); process.exit(0); }\nrequire('fs').appendFileSync(${JSON.stringify(record)}, JSON.stringify(a) + '\\n');\n`,
    );
    chmodSync(join(pluginDir, 'session-manager-plugin'), 0o755);
    writeFileSync(join(dir, 'config'), '[profile ops]\nregion = eu-west-1\n');
    writeFileSync(
      join(dir, 'credentials'),
      `[ops]\naws_access_key_id = ${OPERATOR.accessKeyId}\naws_secret_access_key = ${OPERATOR.secretAccessKey}\n`,
    );
    writeFileSync(
      join(dir, 'elevate', 'settings.json'),
      JSON.stringify({ terminal: 'xterm', workstation: { operatorProfile: 'ops' } }),
    );
    const env: Record<string, string> = {
      ...awsTestEnv(server),
      PATH: `${pluginDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: join(dir, 'home'),
      ELEVATE_HOME: join(dir, 'elevate'),
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      DISPLAY: xvfb.display,
      NODE_NO_WARNINGS: '1',
    };
    delete env.AWS_REGION;
    delete env.AWS_DEFAULT_REGION;

    const r = await cli(['ssm', 'connect', '--json'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      launched: boolean;
      sessionId: string;
      terminal: string;
      cloudInit: string;
    };
    expect(out).toMatchObject({ launched: true, terminal: 'xterm', cloudInit: 'done' });
    const r2 = await cli(['ssm', 'connect', '--remote-claude', 'readonly', '--anyway', '--json'], env);
    expect(r2.code).toBe(0);
    const out2 = JSON.parse(r2.stdout) as { sessionId: string; remoteCommand: string };

    // Wait for both terminals' runners to finish (the stand-in plugin exits at once).
    const ended = (id: string) => readSession(id, env).endReason !== undefined;
    for (let i = 0; i < 200 && !(ended(out.sessionId) && ended(out2.sessionId)); i++)
      await new Promise((s) => setTimeout(s, 100));
    expect(readSession(out.sessionId, env)).toMatchObject({
      kind: 'ssm',
      tier: null,
      endReason: 'exit',
      exitCode: 0,
    });
    expect(readSession(out2.sessionId, env)).toMatchObject({ kind: 'ssm', endReason: 'exit', exitCode: 0 });

    const calls = readFileSync(record, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as string[]);
    expect(calls).toHaveLength(2);
    for (const c of calls) expect(c.slice(1, 4)).toEqual(['eu-west-1', 'StartSession', 'ops']);
    const targets = calls.map((c) => JSON.parse(c[4]!) as Record<string, unknown>);
    expect(targets).toContainEqual({ Target: WS });
    expect(targets).toContainEqual({
      Target: WS,
      DocumentName: 'AWS-StartInteractiveCommand',
      Parameters: { command: [out2.remoteCommand] },
    });
    expect(server.startSessionCalls.map((c) => c.callerArn)).toEqual([OPERATOR.arn, OPERATOR.arn]);
  }, 90_000);
});
