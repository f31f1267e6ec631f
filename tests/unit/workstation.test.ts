import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import {
  CLOUD_INIT_SCRIPT,
  MIN_CALL_GAP_MS,
  decideCloudInit,
  gapWaitMs,
  instanceIdProblem,
  installHint,
  isInstanceId,
  lastLines,
  pollDelayMs,
  recheckDelayMs,
  remoteClaudeCommand,
  startSessionArgv,
  throttleDelayMs,
  type CloudInitStatus,
} from '../../shared/workstation';

describe('instance id validation', () => {
  it.each(['i-0123abcd', 'i-0123456789abcdef0', 'i-ffffffffffffffff0'])('accepts %s', (id) => {
    expect(isInstanceId(id)).toBe(true);
    expect(instanceIdProblem(id)).toBeNull();
  });
  it.each([
    ['', /expected i- followed by 8 or 17 hex digits/],
    ['i-', /expected i-/],
    ['i-0123abc', /expected i-/], // 7
    ['i-0123456789abcdef', /expected i-/], // 16
    ['i-0123456789abcdef01', /expected i-/], // 18
    ['i-0123456789ABCDEF0', /lowercase/],
    ['i-0123456789abcdeg0', /expected i-/],
    ['mi-0123456789abcdef0', /on-premises managed node/],
    ['i-0123abcd; rm -rf /', /expected i-/],
    [' i-0123abcd', /expected i-/],
    ['i-0123abcd\n', /expected i-/],
  ])('rejects %j', (id, why) => {
    expect(isInstanceId(id)).toBe(false);
    expect(instanceIdProblem(id)).toMatch(why);
  });
  it('shows a long bad value shortened', () => {
    expect(instanceIdProblem(`i-${'x'.repeat(500)}`)!.length).toBeLessThan(200);
  });
});

// Real outputs of `cloud-init status` across versions (shapes from cloud-init's status.py).
const json24 = (status: string, extended: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify(
    {
      boot_status_code: 'enabled-by-generator',
      datasource: 'ec2',
      detail: 'DataSourceEc2Local',
      errors: [],
      extended_status: extended,
      last_update: 'Thu, 01 Jan 1970 00:02:14 +0000',
      recoverable_errors: {},
      status,
      ...extra,
    },
    null,
    2,
  );
// 22.x–23.3: JSON without extended_status; "not run".
const json22 = (status: string) =>
  JSON.stringify({ datasource: 'ec2', detail: 'DataSourceEc2Local', errors: [], status }, null, 2);
// 19.3 (Amazon Linux 2) `--long`.
const long19 = (status: string) =>
  `status: ${status}\ntime: Tue, 24 Nov 2026 14:02:11 +0000\ndetail:\nDataSourceEc2\n`;
// 23.4+ `--long` (tabular): status line hides degraded, extended_status shows it.
const long24 = (status: string, extended: string) =>
  `status: ${status}\nextended_status: ${extended}\nboot_status_code: enabled-by-generator\nlast_update: Thu, 01 Jan 1970 00:02:14 +0000\ndetail: DataSourceEc2Local\nerrors: []\nrecoverable_errors: {}\n`;
const argparseErr =
  'usage: /usr/bin/cloud-init status [-h] [-l] [-w]\n/usr/bin/cloud-init status: error: unrecognized arguments: --format json\n';

type Row = [string, string, number, string, string, CloudInitStatus];
const rows: Row[] = [
  // name, ssmStatus, responseCode, stdout, stderr, expected
  ['24.x done', 'Success', 0, json24('done', 'done'), '', 'done'],
  ['24.x running', 'Success', 0, json24('running', 'running'), '', 'running'],
  ['24.x not started', 'Success', 0, json24('not started', 'not started'), '', 'running'],
  [
    '24.x degraded done: SSM says Failed, code 2',
    'Failed',
    2,
    json24('done', 'degraded done'),
    '',
    'degraded',
  ],
  ['24.x degraded running keeps waiting', 'Failed', 2, json24('running', 'degraded running'), '', 'running'],
  ['24.x error - done', 'Failed', 1, json24('error', 'error - done', { errors: ['boom'] }), '', 'error'],
  ['24.x error - running', 'Failed', 1, json24('error', 'error - running'), '', 'error'],
  ['24.x disabled', 'Success', 0, json24('disabled', 'disabled'), '', 'disabled'],
  ['22.x done', 'Success', 0, json22('done'), '', 'done'],
  ['22.x not run (old wording)', 'Success', 0, json22('not run'), '', 'running'],
  ['22.x error', 'Failed', 1, json22('error'), '', 'error'],
  ['19.3 --long done', 'Success', 0, long19('done'), '', 'done'],
  ['19.3 --long running', 'Success', 0, long19('running'), '', 'running'],
  ['19.3 --long not run', 'Success', 0, long19('not run'), '', 'running'],
  ['19.3 --long error', 'Failed', 1, long19('error'), '', 'error'],
  ['19.3 --long disabled', 'Success', 0, long19('disabled'), '', 'disabled'],
  // The `a || b` form on old cloud-init: argparse error (exit 2) then --long (exit 0): not degraded.
  ['19.3 via `||`: argparse exit 2 ignored', 'Success', 0, long19('done'), argparseErr, 'done'],
  // Tabular 23.4+: "status: done" hides degraded; the response code does not.
  ['24.x tabular done + code 2', 'Failed', 2, 'status: done\n', '', 'degraded'],
  ['24.x --long degraded', 'Failed', 2, long24('done', 'degraded done'), '', 'degraded'],
  ['24.x --long done', 'Success', 0, long24('done', 'done'), '', 'done'],
  // The `a || b` form on 23.4+ with a degraded boot: both reports printed; the JSON one decides.
  [
    '24.x via `||`: two reports',
    'Failed',
    2,
    `${json24('done', 'degraded done')}\n${long24('done', 'degraded done')}`,
    '',
    'degraded',
  ],
  ['--wait dots before status', 'Success', 0, `......\nstatus: done\n`, '', 'done'],
  ['done but exit 1', 'Failed', 1, json22('done'), '', 'error'],
  ['not installed', 'Failed', 127, '', 'cloud-init: command not found\n', 'unknown'],
  ['garbage', 'Failed', 1, 'Traceback (most recent call last):\n  File …\n', 'KeyError', 'unknown'],
  ['SSM TimedOut', 'TimedOut', -1, '', '', 'unknown'],
  ['SSM Cancelled', 'Cancelled', -1, '', '', 'unknown'],
  ['SSM still InProgress', 'InProgress', -1, '', '', 'unknown'],
  ['unknown word', 'Success', 0, json24('sleeping', 'sleeping'), '', 'unknown'],
];

describe('decideCloudInit', () => {
  it.each(rows)('%s → %s', (_name, ssmStatus, responseCode, stdout, stderr, expected) => {
    const d = decideCloudInit({ ssmStatus, responseCode, stdout, stderr });
    expect(d.status).toBe(expected);
    expect(d.message.length).toBeGreaterThan(5);
  });
  it('keeps cloud-init’s own words', () => {
    const d = decideCloudInit({
      ssmStatus: 'Failed',
      responseCode: 1,
      stdout: json24('error', 'error - done', { errors: ['module scripts_user failed'] }),
      stderr: '',
    });
    expect(d.reported).toMatchObject({
      status: 'error',
      extendedStatus: 'error - done',
      errors: ['module scripts_user failed'],
    });
    expect(
      decideCloudInit({ ssmStatus: 'Success', responseCode: 0, stdout: long19('done'), stderr: '' }).reported
        ?.detail,
    ).toBe('DataSourceEc2');
    expect(
      decideCloudInit({ ssmStatus: 'Failed', responseCode: 127, stdout: '', stderr: 'x: command not found' })
        .message,
    ).toMatch(/not installed/);
    expect(
      decideCloudInit({ ssmStatus: 'Success', responseCode: 0, stdout: json22('not run'), stderr: '' })
        .message,
    ).toMatch(/not started yet/);
  });
});

describe('the remote script', () => {
  // Run CLOUD_INIT_SCRIPT with a stand-in cloud-init to prove the branch selection and that the exit code
  // of the branch that ran becomes the script's exit code (what SSM reports as ResponseCode).
  const run = (fake: string) => {
    const dir = execFileSync('mktemp', ['-d']).toString().trim();
    execFileSync('sh', ['-c', `cat > "$1/cloud-init" && chmod +x "$1/cloud-init"`, 'sh', dir], {
      input: fake,
    });
    try {
      const out = execFileSync('sh', ['-c', CLOUD_INIT_SCRIPT.join('\n')], {
        env: { PATH: `${dir}:/usr/bin:/bin` },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return { code: 0, stdout: out.toString() };
    } catch (e) {
      const err = e as { status: number; stdout: Buffer };
      return { code: err.status, stdout: err.stdout.toString() };
    } finally {
      execFileSync('rm', ['-rf', dir]);
    }
  };
  const newCloudInit = `#!/bin/sh
case "$*" in
  "status --help") echo "usage: cloud-init status [-h] [--format {json,tabular,yaml}] [-l] [-w]";;
  "status --format json") echo '{"status": "done", "extended_status": "degraded done"}'; exit 2;;
  *) echo "status: done"; exit 2;;
esac`;
  const oldCloudInit = `#!/bin/sh
case "$*" in
  "status --help") echo "usage: cloud-init status [-h] [-l] [-w]";;
  "status --long") printf 'status: done\\ntime: now\\ndetail:\\nDataSourceEc2\\n';;
  *) echo "cloud-init status: error: unrecognized arguments: $*" >&2; exit 2;;
esac`;
  it('new cloud-init: JSON only, its exit code 2 preserved (no second report)', () => {
    const r = run(newCloudInit);
    expect(r.code).toBe(2);
    expect(r.stdout.trim()).toBe('{"status": "done", "extended_status": "degraded done"}');
    expect(
      decideCloudInit({ ssmStatus: 'Failed', responseCode: r.code, stdout: r.stdout, stderr: '' }).status,
    ).toBe('degraded');
  });
  it('old cloud-init: --long, exit 0 (argparse exit 2 never happens)', () => {
    const r = run(oldCloudInit);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^status: done/);
    expect(
      decideCloudInit({ ssmStatus: 'Success', responseCode: r.code, stdout: r.stdout, stderr: '' }).status,
    ).toBe('done');
  });
  it('no cloud-init: exit 127', () => {
    const out = (() => {
      try {
        execFileSync('/bin/sh', ['-c', CLOUD_INIT_SCRIPT.join('\n')], {
          env: { PATH: '/nonexistent' },
          stdio: 'pipe',
        });
        return 0;
      } catch (e) {
        return (e as { status: number }).status;
      }
    })();
    expect(out).toBe(127);
  });
});

describe('backoff schedule', () => {
  it('polls start at 2 s, grow, cap at 5 s, never below the 2 s gap', () => {
    const delays = Array.from({ length: 20 }, (_, i) => pollDelayMs(i));
    expect(delays[0]).toBe(2000);
    expect(delays.slice(0, 8)).toEqual([2000, 2500, 3000, 3500, 4000, 4500, 5000, 5000]);
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(MIN_CALL_GAP_MS);
    expect(Math.max(...delays)).toBe(5000);
  });
  it('re-checks and throttle back-off grow and cap', () => {
    expect([0, 1, 2, 3, 4, 10].map(recheckDelayMs)).toEqual([5000, 7500, 10000, 12500, 15000, 15000]);
    expect([1, 2, 3, 4, 5].map(throttleDelayMs)).toEqual([4000, 8000, 16000, 30000, 30000]);
  });
  it('gapWaitMs enforces ≤ 1 call / 2 s whatever is asked', () => {
    expect(gapWaitMs(10_000, undefined, 0)).toBe(0);
    expect(gapWaitMs(10_000, 9_500, 0)).toBe(1500);
    expect(gapWaitMs(10_000, 9_500, 100)).toBe(1500);
    expect(gapWaitMs(10_000, 9_500, 4000)).toBe(4000);
    expect(gapWaitMs(10_000, 1_000, 0)).toBe(0);
  });
  it('a simulated 3-minute wait stays well under 90 calls by the schedule alone', () => {
    // One check = SendCommand + polls until the command finishes (here: 2 polls), then a re-check delay.
    let t = 0;
    let calls = 0;
    for (let check = 0; t < 180_000; check++) {
      calls++; // SendCommand
      t += pollDelayMs(0);
      calls++;
      t += pollDelayMs(1);
      calls++;
      t += recheckDelayMs(check);
    }
    expect(calls).toBeLessThanOrEqual(90);
    expect(calls / (t / 2000)).toBeLessThanOrEqual(1);
  });
});

describe('start-session argv', () => {
  const base = {
    aws: '/usr/bin/aws',
    instanceId: 'i-0123456789abcdef0',
    region: 'eu-west-1',
    profile: 'ops',
  };
  it('always has --profile; --endpoint-url only when overridden', () => {
    expect(startSessionArgv(base)).toEqual([
      '/usr/bin/aws',
      'ssm',
      'start-session',
      '--target',
      'i-0123456789abcdef0',
      '--region',
      'eu-west-1',
      '--profile',
      'ops',
    ]);
    expect(startSessionArgv({ ...base, endpointUrl: 'http://127.0.0.1:4566' }).slice(-2)).toEqual([
      '--endpoint-url',
      'http://127.0.0.1:4566',
    ]);
    expect(() => startSessionArgv({ ...base, profile: '' })).toThrow(/--profile/);
    expect(() => startSessionArgv({ ...base, instanceId: 'i-bad' })).toThrow(/not a valid instance id/);
  });
  it('port forwarding: parameters JSON-encoded as one argv element', () => {
    const argv = startSessionArgv({
      ...base,
      documentName: 'AWS-StartPortForwardingSession',
      parameters: { portNumber: ['8080'], localPortNumber: ['18080'] },
    });
    const i = argv.indexOf('--parameters');
    expect(argv[argv.indexOf('--document-name') + 1]).toBe('AWS-StartPortForwardingSession');
    expect(JSON.parse(argv[i + 1]!)).toEqual({ portNumber: ['8080'], localPortNumber: ['18080'] });
    expect(argv.length).toBe(i + 2);
  });
});

describe('remote Claude command (a shell line on the instance)', () => {
  const hostile = [
    "ro'; touch /tmp/pwned; echo '",
    'ro$(touch /tmp/pwned)',
    'ro`touch /tmp/pwned`',
    'ro" && touch /tmp/pwned && "',
    'ro profile with spaces',
    'ro\nnewline',
    'ro;|&<>*?[]{}~#!\\',
  ];
  it.each(hostile)('profile %j reaches claude as one literal AWS_PROFILE value', (profile) => {
    const line = remoteClaudeCommand({
      tier: 'readonly',
      remoteUser: 'ec2-user',
      profile,
      region: 'eu-west-1',
    });
    expect(line.startsWith('sudo -i -u ec2-user -- env ')).toBe(true);
    // Evaluate the line with sh, with `sudo` replaced by a recorder that prints its argv NUL-separated.
    const dir = execFileSync('mktemp', ['-d']).toString().trim();
    try {
      execFileSync('sh', [
        '-c',
        'printf \'#!/bin/sh\\nprintf "%%s\\\\0" "$@"\\n\' > "$1/sudo"; chmod +x "$1/sudo"',
        'sh',
        dir,
      ]);
      const out = execFileSync('sh', ['-c', line], { env: { PATH: `${dir}:/usr/bin:/bin` } }).toString();
      const argv = out.split('\0').slice(0, -1);
      expect(argv).toEqual([
        '-i',
        '-u',
        'ec2-user',
        '--',
        'env',
        `AWS_PROFILE=${profile}`,
        'ELEVATE_TIER=readonly',
        'AWS_REGION=eu-west-1',
        'claude',
      ]);
      expect(execFileSync('sh', ['-c', 'test -e /tmp/pwned && echo yes || echo no']).toString().trim()).toBe(
        'no',
      );
    } finally {
      execFileSync('rm', ['-rf', dir]);
    }
  });
  it('elevated: a remote time limit, Bedrock variables; bad remote user refused', () => {
    const line = remoteClaudeCommand({
      tier: 'elevated',
      remoteUser: 'ec2-user',
      profile: 'claudecode-elevated',
      region: 'us-west-2',
      bedrockModel: 'us.anthropic.claude-sonnet-4-6',
      timeLimitSeconds: 1800.4,
    });
    expect(line).toBe(
      'sudo -i -u ec2-user -- timeout -k 10 1800s env AWS_PROFILE=claudecode-elevated ELEVATE_TIER=elevated AWS_REGION=us-west-2 CLAUDE_CODE_USE_BEDROCK=1 ANTHROPIC_MODEL=us.anthropic.claude-sonnet-4-6 claude',
    );
    expect(() => remoteClaudeCommand({ tier: 'readonly', remoteUser: 'root; id', profile: 'p' })).toThrow(
      /not a valid Linux user/,
    );
  });
});

describe('install hints', () => {
  it('per OS, Linux as fallback', () => {
    expect(installHint('session-manager-plugin', 'darwin')).toMatch(
      /brew install --cask session-manager-plugin/,
    );
    expect(installHint('session-manager-plugin', 'linux')).toMatch(/dpkg -i/);
    expect(installHint('session-manager-plugin', 'win32')).toMatch(/SessionManagerPluginSetup\.exe/);
    expect(installHint('aws', 'freebsd')).toBe(installHint('aws', 'linux'));
  });
  it('lastLines keeps the tail without blanks', () => {
    expect(lastLines('a\n\nb\nc\n  \nd\n', 3)).toEqual(['b', 'c', 'd']);
    expect(lastLines(undefined)).toEqual([]);
  });
});
