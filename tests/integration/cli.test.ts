import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeSandbox, runCli, type Sandbox } from '../helpers/cli';

const SEED = readFileSync(path.join(__dirname, '..', 'fixtures', 'seed-config.ini'), 'utf8');

let sb: Sandbox;
beforeEach(() => {
  sb = makeSandbox();
});

describe('elevate profiles', () => {
  it("shows the seed's two tiers and their chains", () => {
    sb.writeConfig(SEED);
    const r = runCli(['profiles', '--json'], sb.env);
    expect(r.status).toBe(0);
    const views = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    const byName = Object.fromEntries(views.map((v) => [v.name, v]));
    expect(byName['claudecode-readonly']).toEqual({
      name: 'claudecode-readonly',
      tier: 'readonly',
      roleArn: 'arn:aws:iam::123456789012:role/claudecode-readonly',
      sourceProfile: null,
      credentialSource: 'Ec2InstanceMetadata',
      roleSessionName: 'claudecode-ro',
      region: 'us-east-1',
      chain: ['claudecode-readonly', 'Ec2InstanceMetadata'],
      problems: [],
    });
    expect(byName['claudecode-elevated']).toMatchObject({
      tier: 'elevated',
      sourceProfile: 'claudecode-readonly',
      chain: ['claudecode-elevated', 'claudecode-readonly', 'Ec2InstanceMetadata'],
      problems: [],
    });
    expect(byName.default).toMatchObject({ tier: null, chain: ['default'] });
  });

  it('works with no AWS files at all', () => {
    const r = runCli(['profiles', '--json'], sb.env);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('exits 2 with the file and line for a malformed config, without a stack trace', () => {
    sb.writeConfig('[profile a]\nregion = us-east-1\nthis line is wrong\n');
    const r = runCli(['profiles', '--json'], sb.env);
    expect(r.status).toBe(2);
    const body = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('config-syntax');
    expect(body.error.message).toBe(
      `${sb.configFile}, line 3: "this line is wrong" is not "key = value" (missing "=")`,
    );
    const plain = runCli(['profiles'], sb.env);
    expect(plain.status).toBe(2);
    expect(plain.stderr).toContain(`${sb.configFile}, line 3`);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for binary garbage in the credentials file', () => {
    sb.writeConfig(SEED);
    writeFileSync(sb.credentialsFile, Buffer.from([0x5b, 0x61, 0x5d, 0x0a, 0x00, 0xff, 0xfe, 0x01]));
    const r = runCli(['profiles'], sb.env);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${sb.credentialsFile}, line 2: binary`);
  });
});

describe('elevate env', () => {
  it('lists override variables under unset and never prints their values', () => {
    sb.writeConfig(SEED);
    const env = {
      ...sb.env,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLETOKEN',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG',
    };
    const r = runCli(['env', 'elevated', '--json'], env);
    expect(r.status).toBe(0);
    const body = JSON.parse(r.stdout) as {
      profile: string;
      set: Record<string, string>;
      unset: Array<{ name: string; reason: string }>;
    };
    expect(body.profile).toBe('claudecode-elevated');
    expect(body.set).toEqual({
      AWS_PROFILE: 'claudecode-elevated',
      AWS_REGION: 'us-east-1',
      CLAUDE_CODE_USE_BEDROCK: '1',
      ANTHROPIC_MODEL: 'us.anthropic.claude-sonnet-4-6',
    });
    expect(body.unset.map((u) => u.name)).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
    ]);
    for (const fmt of [['--json'], ['--format', 'sh'], ['--format', 'fish'], ['--format', 'powershell']]) {
      const o = runCli(['env', 'elevated', ...fmt], env);
      expect(o.status).toBe(0);
      expect(o.stdout + o.stderr).not.toMatch(/AKIAIOSFODNN7EXAMPLE|FwoGZXIvYXdzEXAMPLETOKEN|wJalrXUtnFEMI/);
    }
  });

  it('prints lines a POSIX shell can eval', async () => {
    sb.writeConfig(SEED);
    const r = runCli(['env', 'readonly', '--format', 'sh'], { ...sb.env, AWS_ACCESS_KEY_ID: 'AKIAX' });
    const { execFileSync } = await import('node:child_process');
    const outp = execFileSync(
      '/bin/sh',
      ['-c', `${r.stdout}\necho "$AWS_PROFILE|\${AWS_ACCESS_KEY_ID-unset}|$CLAUDE_CODE_USE_BEDROCK"`],
      {
        env: { PATH: process.env.PATH ?? '/usr/bin', AWS_ACCESS_KEY_ID: 'AKIAX' },
        encoding: 'utf8',
      },
    );
    expect(outp.trim()).toBe('claudecode-readonly|unset|1');
  });

  it('exits 2 with usage for an unknown tier or format', () => {
    sb.writeConfig(SEED);
    const bad = runCli(['env', 'root'], sb.env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown tier "root": expected readonly or elevated/);
    expect(runCli(['env', 'readonly', '--format', 'csh'], sb.env).status).toBe(2);
  });

  it('exits 2 with a fix when a tier is missing', () => {
    sb.writeConfig('[profile claude]\nregion = us-east-1\n');
    const ro = runCli(['env', 'readonly', '--json'], sb.env);
    expect(ro.status).toBe(0);
    expect(JSON.parse(ro.stdout).profile).toBe('claude');
    const el = runCli(['env', 'elevated', '--json'], sb.env);
    expect(el.status).toBe(2);
    expect(JSON.parse(el.stdout).error).toMatchObject({ code: 'no-tier' });
  });
});

describe('elevate doctor', () => {
  it('passes the config checks on the seed and flags overrides in the environment', () => {
    sb.writeConfig(SEED);
    const r = runCli(['doctor', '--json'], { ...sb.env, AWS_ACCESS_KEY_ID: 'AKIAX' });
    const { checks } = JSON.parse(r.stdout) as {
      checks: Array<{ id: string; status: string; message: string }>;
    };
    const byId = (id: string) => checks.find((c) => c.id === id);
    expect(byId('config-files')?.status).toBe('ok');
    expect(byId('tiers')?.status).toBe('ok');
    expect(byId('chain-elevated')?.message).toBe(
      'claudecode-elevated → claudecode-readonly → Ec2InstanceMetadata',
    );
    expect(byId('env-overrides')).toMatchObject({ status: 'warn' });
    expect(byId('env-overrides')?.message).toContain('AWS_ACCESS_KEY_ID');
    for (const id of ['aws-cli', 'claude', 'session-manager-plugin']) expect(byId(id)).toBeDefined();
    // Exit code follows the checks: 1 if any failed.
    expect(r.status).toBe(checks.some((c) => c.status === 'fail') ? 1 : 0);
  });

  it('fails with the line of a broken config and exits 1', () => {
    sb.writeConfig('[profile a\n');
    const r = runCli(['doctor', '--json'], sb.env);
    expect(r.status).toBe(1);
    const { checks } = JSON.parse(r.stdout) as {
      checks: Array<{ id: string; status: string; message: string }>;
    };
    expect(checks[0]).toMatchObject({ id: 'config-files', status: 'fail' });
    expect(checks[0]?.message).toContain(`${sb.configFile}:1:`);
  });

  it('notices an AWS CLI v1 shadowing a v2 on PATH', async () => {
    const { mkdirSync, chmodSync } = await import('node:fs');
    const v1 = path.join(sb.root, 'v1bin');
    const v2 = path.join(sb.root, 'v2bin');
    mkdirSync(v1);
    mkdirSync(v2);
    writeFileSync(
      path.join(v1, 'aws'),
      '#!/bin/sh\necho "aws-cli/1.45.11 Python/3.11.7 Linux/6 botocore/1.43.11"\n',
    );
    writeFileSync(
      path.join(v2, 'aws'),
      '#!/bin/sh\necho "aws-cli/2.9.19 Python/3.11.2 Linux/6 source/x86_64.debian.12"\n',
    );
    chmodSync(path.join(v1, 'aws'), 0o755);
    chmodSync(path.join(v2, 'aws'), 0o755);
    sb.writeConfig(SEED);
    const r = runCli(['doctor', '--json'], { ...sb.env, PATH: `${v1}:${v2}:/usr/bin:/bin` });
    const aws = (JSON.parse(r.stdout).checks as Array<{ id: string; status: string; message: string }>).find(
      (c) => c.id === 'aws-cli',
    );
    expect(aws?.status).toBe('warn');
    expect(aws?.message).toBe(
      `aws on PATH is AWS CLI v1 (1.45.11) at ${v1}/aws: that is what Claude and launches will run; AWS CLI 2.9.19 at ${v2}/aws is shadowed by it`,
    );
  });
});

describe('elevate status and usage', () => {
  it('reports tiers, profile count and config paths', () => {
    sb.writeConfig(SEED);
    const r = runCli(['status', '--json'], sb.env);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({
      tiers: { readonly: 'claudecode-readonly', elevated: 'claudecode-elevated' },
      profiles: 3,
      configFile: sb.configFile,
      credentialsFile: sb.credentialsFile,
    });
  });

  it('exits 2 with usage for an unknown command and for bad flags', () => {
    const r = runCli(['frobnicate'], sb.env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command "frobnicate"[\s\S]*usage: elevate <command>/);
    const flag = runCli(['profiles', '--nope'], sb.env);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/--nope/);
    expect(runCli([], sb.env).status).toBe(2);
  });
});
