// Connect prerequisites with stand-in tools on a private PATH, and the connect plan.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/settings';
import {
  awsCliCandidates,
  buildConnectPlan,
  checkConnectPrerequisites,
  connectWorkstation,
  findAwsCliV2,
} from '../../electron/node/ssmConnect';
import { WorkstationError, type SsmApi, type WorkstationTarget } from '../../electron/node/ssm';
import { REMOTE_ELEVATED_REFUSAL } from '../../electron/node/elevatedLaunch';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'elevate-ssmconnect-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function tool(sub: string, name: string, versionLine: string): string {
  const d = join(dir, sub);
  mkdirSync(d, { recursive: true });
  const p = join(d, name);
  writeFileSync(p, `#!/bin/sh\necho '${versionLine}'\n`);
  chmodSync(p, 0o755);
  return d;
}

describe('connect prerequisites', () => {
  it('uses the AWS CLI v2 behind a v1 that is first on PATH, says so, and drops symlinked duplicates', async () => {
    const v1 = tool('pyenv', 'aws', 'aws-cli/1.45.11 Python/3.11.7 Linux/6.1 botocore/1.43.11');
    const v2 = tool('v2', 'aws', 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.debian.12');
    mkdirSync(join(dir, 'link'));
    symlinkSync(join(v2, 'aws'), join(dir, 'link', 'aws'));
    const env = { PATH: [v1, join(dir, 'link'), v2].join(':') };
    const all = await awsCliCandidates(env);
    expect(all.map((c) => [c.path, c.major])).toEqual([
      [join(v1, 'aws'), 1],
      [join(dir, 'link', 'aws'), 2],
    ]);
    const r = await findAwsCliV2(env);
    expect(r).toMatchObject({ ok: true, path: join(dir, 'link', 'aws'), version: '2.15.0' });
    expect(r.message).toBe(
      `will run AWS CLI 2.15.0 at ${join(dir, 'link', 'aws')}; ${join(v1, 'aws')} (v1.45.11) is first on PATH and is NOT used`,
    );
  });

  it('only a v1, or nothing: not ok, with the per-OS install hint', async () => {
    const v1 = tool('pyenv', 'aws', 'aws-cli/1.45.11 Python/3.11.7');
    const only1 = await findAwsCliV2({ PATH: v1 }, 'darwin');
    expect(only1).toMatchObject({ ok: false, path: null });
    expect(only1.message).toMatch(/AWS CLI v2 is required .*only .*\/pyenv\/aws \(v1\.45\.11\) on PATH/);
    expect(only1.hint).toMatch(/brew install awscli/);
    const none = await findAwsCliV2({ PATH: join(dir, 'empty') }, 'linux');
    expect(none.message).toMatch(/no aws on PATH/);
    expect(none.hint).toMatch(/awscli-exe-linux/);
  });

  it('session-manager-plugin: version when present, hint when missing', async () => {
    const v2 = tool('v2', 'aws', 'aws-cli/2.9.19 Python/3.11.2');
    const plug = tool('plugin', 'session-manager-plugin', '1.2.707.0');
    const ok = await checkConnectPrerequisites({ PATH: `${v2}:${plug}` }, 'linux');
    expect(ok.ok).toBe(true);
    expect(ok.plugin).toMatchObject({
      ok: true,
      version: '1.2.707.0',
      path: join(plug, 'session-manager-plugin'),
    });
    const missing = await checkConnectPrerequisites({ PATH: v2 }, 'win32');
    expect(missing.ok).toBe(false);
    expect(missing.plugin.hint).toMatch(/SessionManagerPluginSetup\.exe/);
  });
});

describe('connect plan', () => {
  const target: WorkstationTarget & { instanceId: string } = {
    instanceId: 'i-0123456789abcdef0',
    region: 'ap-southeast-2',
    regionSource: 'settings',
    profile: 'me',
    profileSource: 'settings',
    endpointUrl: undefined,
    stsEndpointUrl: undefined,
    tagKey: 'Name',
    tagPrefix: 'claudecode-',
    configFile: '/x/config',
    credentialsFile: '/x/credentials',
  };

  it('plain connect: no document, no deadline, override variables removed', () => {
    const p = buildConnectPlan({ target, settings: defaultSettings(), awsPath: '/usr/local/bin/aws' });
    expect(p.argv).toEqual([
      '/usr/local/bin/aws',
      'ssm',
      'start-session',
      '--target',
      'i-0123456789abcdef0',
      '--region',
      'ap-southeast-2',
      '--profile',
      'me',
    ]);
    expect(p).toMatchObject({
      tier: null,
      deadline: null,
      remoteCommand: null,
      title: 'Workstation i-0123456789abcdef0',
    });
    expect(p.unset).toEqual(
      expect.arrayContaining(['AWS_ACCESS_KEY_ID', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_PROFILE']),
    );
  });

  it('port forwarding from settings; remote Claude wins over it', () => {
    const s = defaultSettings();
    s.workstation.portForward = {
      document: 'AWS-StartPortForwardingSession',
      parameters: { portNumber: ['22'] },
    };
    const pf = buildConnectPlan({ target, settings: s, awsPath: 'aws' });
    expect(pf.argv.slice(-4)).toEqual([
      '--document-name',
      'AWS-StartPortForwardingSession',
      '--parameters',
      '{"portNumber":["22"]}',
    ]);
    const ro = buildConnectPlan({ target, settings: s, awsPath: 'aws', remoteClaude: 'readonly' });
    expect(ro.argv).toContain('AWS-StartInteractiveCommand');
    expect(ro.deadline).toBeNull();
    expect(ro.remoteCommand).not.toContain('timeout');
    expect(ro.title).toBe('Claude (RO) on workstation i-0123456789abcdef0');
  });

  // Security change (issue 12 P2): the hardened workstation has no elevated profile and its role cannot
  // assume the elevated one, so a remote elevated plan is refused instead of built (it used to carry a
  // deadline and `AWS_PROFILE=claudecode-elevated`).
  it('remote elevated: refused with remote-elevated-unsupported and what to do instead; no plan built', () => {
    const s = defaultSettings();
    let caught: unknown;
    try {
      buildConnectPlan({ target, settings: s, awsPath: 'aws', remoteClaude: 'elevated' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(WorkstationError);
    const e = caught as WorkstationError;
    expect(e.code).toBe('remote-elevated-unsupported');
    expect(e.message).toBe(REMOTE_ELEVATED_REFUSAL);
    // The refusal names the alternatives: the local elevated step, or read-only on the workstation.
    expect(e.message).toContain('elevate launch elevated');
    expect(e.message).toContain('--remote-claude readonly');
  });

  it('remote elevated: connectWorkstation refuses before any prerequisite check, AWS call or terminal', async () => {
    const opened: string[][] = [];
    const calls: string[] = [];
    await expect(
      connectWorkstation({
        env: { HOME: '/nonexistent', PATH: '' },
        remoteClaude: 'elevated',
        anyway: true,
        // any SSM API use is recorded (and fails)
        ssm: {
          api: new Proxy({} as SsmApi, {
            get: (_t, k) => {
              calls.push(String(k));
              throw new Error('no SSM call may be made');
            },
          }),
        },
        launch: {
          open: async (_a, c) => {
            opened.push(c);
            return { pid: undefined, argv: c };
          },
        },
      }),
    ).rejects.toMatchObject({ code: 'remote-elevated-unsupported', message: REMOTE_ELEVATED_REFUSAL });
    expect(calls).toEqual([]);
    expect(opened).toEqual([]);
  });
});
