// `elevate ssm` says which instance, profile and region it uses and why; with nothing configured it refuses
// to fall back to the "default" profile silently; a missing tool is named once; --terminal is connect's.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsTestEnv, startAwsServer, type AwsServer } from '../helpers/awsServer';
import { ELEVATE_BIN } from '../helpers/cli';

const OPERATOR = {
  accessKeyId: 'AKIASSMCLIUXOPERATOR',
  secretAccessKey: 'ssm-ux-secret-ssm-ux-secret-ssm-ux-0001',
  arn: 'arn:aws:iam::222222222222:user/operator',
};
const WS = 'i-0123456789abcdef0';

let server: AwsServer;
let dir: string;
let env: Record<string, string>;

beforeEach(async () => {
  server = await startAwsServer({ staticKeys: [OPERATOR] });
  dir = mkdtempSync(join(tmpdir(), 'elevate-ssm-ux-'));
  mkdirSync(join(dir, 'elevate'));
  writeFileSync(join(dir, 'config'), '[default]\nregion = us-east-1\n\n[profile ops]\nregion = eu-west-1\n');
  writeFileSync(
    join(dir, 'credentials'),
    `[default]\naws_access_key_id = ${OPERATOR.accessKeyId}\naws_secret_access_key = ${OPERATOR.secretAccessKey}\n` +
      `[ops]\naws_access_key_id = ${OPERATOR.accessKeyId}\naws_secret_access_key = ${OPERATOR.secretAccessKey}\n`,
  );
  env = {
    ...awsTestEnv(server),
    PATH: '/usr/bin:/bin',
    HOME: join(dir, 'home'),
    ELEVATE_HOME: join(dir, 'elevate'),
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  delete env.AWS_REGION;
  delete env.AWS_DEFAULT_REGION;
  delete env.AWS_PROFILE;
  server.addInstance({ instanceId: WS, tags: { Name: 'claudecode-workstation' } });
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function elevate(args: string[], extra: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const c = spawn(process.execPath, [ELEVATE_BIN, ...args], {
      env: { ...env, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('elevate ssm: which target and why', () => {
  it('nothing configured: refuses the "default" profile and says how to configure; no AWS call', async () => {
    const r = await elevate(['ssm', 'status', '--instance', WS]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no operator profile for the workstation: pass --profile NAME/);
    expect(r.stderr).toContain('elevate settings set workstation.operatorProfile NAME');
    expect(server.requests).toHaveLength(0);
  });

  it('says where the instance, profile and region come from', async () => {
    const byFlag = await elevate(['ssm', 'status', '--instance', WS, '--profile', 'ops']);
    expect(byFlag.code).toBe(0);
    expect(byFlag.stderr).toContain(
      `using instance ${WS} (from the command line), profile ops (from the command line), region eu-west-1 (the operator profile's region)`,
    );
    writeFileSync(
      join(dir, 'elevate', 'settings.json'),
      JSON.stringify({ workstation: { operatorProfile: 'ops', region: 'eu-west-1' } }),
    );
    const discovered = await elevate(['ssm', 'status']);
    expect(discovered.code).toBe(0);
    expect(discovered.stderr).toContain(
      `using instance ${WS} (found by tag Name=claudecode-*), profile ops (from Elevate settings), region eu-west-1 (from Elevate settings)`,
    );
    const fromEnv = await elevate(['ssm', 'status', '--instance', WS, '--json'], { AWS_PROFILE: 'default' });
    expect(fromEnv.code).toBe(0); // --json: stdout is the one JSON document, no target line
    expect(JSON.parse(fromEnv.stdout)).toMatchObject({ instanceId: WS });
  });

  it('connect: a missing session-manager-plugin is named once; --terminal belongs to connect', async () => {
    writeFileSync(
      join(dir, 'elevate', 'settings.json'),
      JSON.stringify({ workstation: { operatorProfile: 'ops' } }),
    );
    const r = await elevate([
      'ssm',
      'connect',
      '--instance',
      WS,
      '--anyway',
      '--dry-run',
      '--terminal',
      'xterm',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/session-manager-plugin is not on PATH/g)).toHaveLength(1);
    const wrong = await elevate(['ssm', 'status', '--terminal', 'xterm']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--terminal applies to connect only');
  });
});
