// The CLI as a person meets it: help for every command, one-line option errors, EPIPE, colour rules,
// completion scripts checked by the real shells (bash: syntax and compgen; fish: syntax).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELEVATE_BIN, makeSandbox, runCli, type Sandbox } from '../helpers/cli';
import { TIER_CONFIG } from '../helpers/standin';

let sb: Sandbox;
beforeAll(() => {
  sb = makeSandbox('elevate-cli-ux-');
  sb.writeConfig(TIER_CONFIG);
});
afterAll(() => fs.rmSync(sb.root, { recursive: true, force: true }));

const COMMANDS = [
  'profiles',
  'env',
  'doctor',
  'status',
  'switch',
  'shell-init',
  'ssm',
  'workstation',
  'whoami',
  'claude-settings',
  'credentials',
  'audit',
  'handoff',
  'launch',
  'run',
  'sessions',
  'activity',
  'policy-hints',
  'claude-md',
  'completion',
];

describe('help', () => {
  it('top-level help lists every command and --version; elevate help <cmd> = elevate <cmd> --help', () => {
    const top = runCli(['--help'], sb.env);
    expect(top.status).toBe(0);
    for (const c of COMMANDS) expect(top.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    expect(top.stdout).toContain('--version');
    for (const c of COMMANDS) {
      const a = runCli([c, '--help'], sb.env);
      const b = runCli(['help', c], sb.env);
      expect(a.status, c).toBe(0);
      expect(a.stdout, c).toBe(b.stdout);
      expect(a.stdout, c).toMatch(/^usage: elevate /m);
      expect(a.stdout, c).toMatch(/^examples:\n {2}\S/m);
    }
    expect(runCli(['help', 'profiles'], sb.env).stdout).not.toContain('commands:');
    expect(runCli(['--version'], sb.env).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('an unknown option is one line naming it and the command help (exit 2)', () => {
    for (const [args, cmd] of [
      [['profiles', '--nope'], 'profiles'],
      [['whoami', 'readonly', '--mfa'], 'whoami'],
      [['launch', 'readonly', '--frobnicate'], 'launch'],
    ] as const) {
      const r = runCli([...args], sb.env);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      const opt = args[args.length - 1];
      expect(r.stderr).toBe(`elevate: unknown option ${opt}; see "elevate ${cmd} --help"\n`);
    }
    const missing = runCli(['doctor', '--cwd'], sb.env);
    expect(missing.stderr).toBe('elevate: option --cwd needs a value; see "elevate doctor --help"\n');
    expect(runCli(['status', '--json=1'], sb.env).stderr).toBe(
      'elevate: option --json takes no value; see "elevate status --help"\n',
    );
    const dash = runCli(['switch', 'elevated', '--minutes', '-5'], sb.env);
    expect(dash.status).toBe(2);
    expect(dash.stderr).toBe(
      'elevate: option --minutes: the argument is ambiguous (it starts with "-"); write --minutes=VALUE; see "elevate switch --help"\n',
    );
  });
});

function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ELEVATE_BIN, ...args], {
      env: sb.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader goes away before the first line: every write of the child meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('output', () => {
  it.each([['doctor'], ['profiles'], ['status']])(
    'EPIPE: `elevate %s` into a closed pipe exits 0 without a stack trace',
    async (cmd) => {
      const r = await runWithClosedStdout([cmd]);
      expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
      expect(r.code).toBe(0);
    },
  );

  it('`elevate doctor | head -1` in a real shell: first line only, status 0, no stack trace', () => {
    const r = spawnSync(
      'bash',
      [
        '-c',
        `set -o pipefail; "${process.execPath}" "${ELEVATE_BIN}" doctor | head -1; echo "status=\${PIPESTATUS[0]}"`,
      ],
      { env: sb.env, encoding: 'utf8' },
    );
    expect(r.stdout).toMatch(/^\[(ok {2}|warn|FAIL)\] config-files/);
    expect(r.stdout).toMatch(/status=[01]\n$/); // doctor's own verdict, never a crash
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
  });

  it('doctor ends with a summary line; colour only on a TTY and never with NO_COLOR', () => {
    const r = runCli(['doctor'], sb.env);
    expect(r.stdout).toMatch(/\n\d+ ok, \d+ warn, \d+ fail\n$/);
    expect(r.stdout).not.toContain('\u001b[');
    const forced = runCli(['doctor'], { ...sb.env, FORCE_COLOR: '1' });
    expect(forced.stdout).toContain('\u001b[');
    const tty = spawnSync(
      'script',
      ['-qec', `"${process.execPath}" "${ELEVATE_BIN}" profiles`, '/dev/null'],
      {
        env: sb.env,
        encoding: 'utf8',
      },
    );
    expect(tty.stdout).toContain('\u001b[1mPROFILE');
    const noColor = spawnSync(
      'script',
      ['-qec', `"${process.execPath}" "${ELEVATE_BIN}" profiles`, '/dev/null'],
      { env: { ...sb.env, NO_COLOR: '1' }, encoding: 'utf8' },
    );
    expect(noColor.stdout).toMatch(/PROFILE/);
    expect(noColor.stdout).not.toContain('\u001b[');
    const json = JSON.parse(runCli(['doctor', '--json'], sb.env).stdout) as {
      summary: { ok: number; warn: number; fail: number };
      checks: unknown[];
    };
    expect(json.summary.ok + json.summary.warn + json.summary.fail).toBe(json.checks.length);
  }, 90_000); // four CLI runs, two of them doctor (which runs the real aws --version): slow on a loaded machine

  it('env --format bash and zsh print the sh lines', () => {
    const sh = runCli(['env', 'readonly', '--format', 'sh'], sb.env);
    expect(sh.status).toBe(0);
    for (const f of ['bash', 'zsh']) {
      const r = runCli(['env', 'readonly', '--format', f], sb.env);
      expect(r.status, f).toBe(0);
      expect(r.stdout, f).toBe(sh.stdout);
    }
  });
});

describe('completion', () => {
  const complete = (script: string, words: string[]): string[] => {
    const file = path.join(sb.root, 'completion.bash');
    fs.writeFileSync(file, script);
    const arr = words.map((w) => `'${w}'`).join(' ');
    const r = spawnSync(
      'bash',
      [
        '--norc',
        '-c',
        `source "${file}"; COMP_WORDS=(${arr}); COMP_CWORD=${words.length - 1}; _elevate; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { env: sb.env, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  };

  it('bash: valid syntax (bash -n), completes commands, options, tiers and profile names', () => {
    const r = runCli(['completion', 'bash'], sb.env);
    expect(r.status).toBe(0);
    const file = path.join(sb.root, 'c.bash');
    fs.writeFileSync(file, r.stdout);
    expect(spawnSync('bash', ['-n', file]).status).toBe(0);
    expect(complete(r.stdout, ['elevate', 'la'])).toEqual(['launch']);
    expect(complete(r.stdout, ['elevate', 'whoami', ''])).toEqual(
      expect.arrayContaining(['readonly', 'elevated', '--mfa-code', '--json']),
    );
    expect(complete(r.stdout, ['elevate', 'switch', 'o'])).toEqual(['off']);
    expect(complete(r.stdout, ['elevate', 'ssm', 'connect', '--profile', 'claudecode-r'])).toEqual([
      'claudecode-readonly',
    ]);
    expect(complete(r.stdout, ['elevate', 'help', 'doc'])).toEqual(['doctor']);
  });

  it('zsh and fish scripts: fish -n accepts the fish one; zsh wraps the bash function', () => {
    const fish = runCli(['completion', 'fish'], sb.env);
    expect(fish.status).toBe(0);
    const file = path.join(sb.root, 'c.fish');
    fs.writeFileSync(file, fish.stdout);
    const check = spawnSync('fish', ['-n', file], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    expect(fish.stdout).toContain("complete -c elevate -n '__fish_use_subcommand' -a launch");
    const zsh = runCli(['completion', 'zsh'], sb.env);
    expect(zsh.stdout).toContain('bashcompinit');
    expect(zsh.stdout).toContain('complete -F _elevate elevate');
    expect(runCli(['completion', 'tcsh'], sb.env).status).toBe(2);
  });
});
