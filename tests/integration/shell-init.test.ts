// `elevate shell-init` applied in real interactive shells: bash (`bash --rcfile X -i` reading commands from
// a pipe: PROMPT_COMMAND runs before every prompt) and fish (needs a terminal for fish_prompt: run under
// `script`, which gives it a pty). Each snapshot is `env` run by the shell, i.e. what a program the user
// starts next (claude) would inherit. The tier is switched from other processes (the CLI, the service)
// while the shell keeps running.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { switchTier } from '../../electron/node/activeTier';
import { quoteFish, quoteSh } from '../../shared/quote';
import { ELEVATE_BIN, makeSandbox, runCli, type Sandbox } from '../helpers/cli';

const SEED = fs.readFileSync(new URL('../fixtures/seed-config.ini', import.meta.url), 'utf8');

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd]).status === 0;
}

class Shell {
  private n = 0;
  output = '';
  constructor(
    readonly child: ChildProcess,
    readonly dir: string,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
  }

  send(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }

  /** Run `env` in the shell and return what a child process of the shell sees. */
  async snapshot(): Promise<Record<string, string>> {
    const file = path.join(this.dir, `env.${++this.n}`);
    this.send(`env > ${quoteSh(file)}.tmp && mv ${quoteSh(file)}.tmp ${quoteSh(file)}`);
    const until = Date.now() + 15_000;
    while (!fs.existsSync(file)) {
      if (Date.now() > until)
        throw new Error(`shell gave no snapshot; output so far:\n${this.output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const out: Record<string, string> = {};
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const i = line.indexOf('=');
      if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
    }
    return out;
  }

  async exit(): Promise<void> {
    this.send('exit');
    this.child.stdin?.end();
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, 5_000);
      this.child.on('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

let sb: Sandbox;
let shell: Shell | null = null;

beforeEach(() => {
  sb = makeSandbox('elevate-shell-');
  sb.writeConfig(SEED);
  fs.mkdirSync(sb.env.ELEVATE_HOME!, { recursive: true });
});

afterEach(async () => {
  await shell?.exit();
  shell = null;
  fs.rmSync(sb.root, { recursive: true, force: true });
});

const INHERITED = {
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEINHERITED',
  AWS_SECRET_ACCESS_KEY: 'inherited-secret',
  AWS_PROFILE: 'users-own-profile',
};

function cli(args: string[]): void {
  const r = runCli(args, sb.env);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

/** The scenario both shells go through. `poke` makes the shell show one more prompt. */
async function scenario(sh: Shell): Promise<void> {
  // Read-only was active before the shell started: applied at the first prompt.
  let e = await sh.snapshot();
  expect(e.AWS_PROFILE).toBe('claudecode-readonly');
  expect(e.AWS_REGION).toBe('us-east-1');
  expect(e.CLAUDE_CODE_USE_BEDROCK).toBe('1');
  expect(e.AWS_ACCESS_KEY_ID).toBeUndefined();
  expect(e.AWS_SECRET_ACCESS_KEY).toBeUndefined();

  // The user exports keys again; without a switch the hook leaves the shell alone.
  sh.send('export AWS_ACCESS_KEY_ID=AKIAEXAMPLEAGAIN');
  e = await sh.snapshot();
  expect(e.AWS_ACCESS_KEY_ID).toBe('AKIAEXAMPLEAGAIN');

  // Switch from another process; the same shell picks it up at its next prompt.
  cli(['switch', 'elevated', '--yes', '--minutes', '15']);
  sh.send(':');
  e = await sh.snapshot();
  expect(e.AWS_PROFILE).toBe('claudecode-elevated');
  expect(e.AWS_ACCESS_KEY_ID).toBeUndefined();

  // An elevation whose deadline passed while nobody ran Elevate: the shell falls back by itself.
  switchTier('elevated', {
    minutes: 15,
    now: new Date(Date.now() - 16 * 60_000),
    env: sb.env,
    source: 'test',
  });
  sh.send(':');
  e = await sh.snapshot();
  expect(e.AWS_PROFILE).toBe('claudecode-readonly');

  // Off: what Elevate set is gone.
  cli(['switch', 'off']);
  sh.send(':');
  e = await sh.snapshot();
  expect(e.AWS_PROFILE).toBeUndefined();
  expect(e.CLAUDE_CODE_USE_BEDROCK).toBeUndefined();
  expect(e.AWS_ACCESS_KEY_ID).toBeUndefined();
}

describe('elevate shell-init in real shells', () => {
  it('bash -i: AWS_PROFILE exported, AWS_ACCESS_KEY_ID unset after switches from another process', async () => {
    cli(['switch', 'readonly']);
    const rc = path.join(sb.root, 'bashrc');
    fs.writeFileSync(
      rc,
      `eval "$(${quoteSh(process.execPath)} ${quoteSh(ELEVATE_BIN)} shell-init bash --prompt)"\n`,
    );
    const child = spawn('bash', ['--rcfile', rc, '-i'], {
      env: { ...sb.env, ...INHERITED, PS1: '$ ' },
      cwd: sb.root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    shell = new Shell(child, sb.root);
    await scenario(shell);
    // --prompt: the tier label leads the prompt (bash -i prints its prompts to stderr).
    cli(['switch', 'readonly']);
    shell.output = '';
    shell.send(':');
    await shell.snapshot();
    expect(shell.output).toMatch(/^\[claude-ro\] \S/m);
  });

  it('fish (under a pty from `script`): the same, via fish_prompt/fish_preexec', async (ctx) => {
    if (!has('fish') || !has('script')) ctx.skip('fish or script(1) is not installed');
    cli(['switch', 'readonly']);
    const init = path.join(sb.root, 'init.fish');
    fs.writeFileSync(
      init,
      `${quoteFish(process.execPath)} ${quoteFish(ELEVATE_BIN)} shell-init fish --prompt | source\n`,
    );
    const fishCmd = `fish --no-config -i -C ${quoteSh(`source ${quoteFish(init)}`)}`;
    const child = spawn('script', ['-qfec', fishCmd, '/dev/null'], {
      env: { ...sb.env, ...INHERITED, XDG_CONFIG_HOME: path.join(sb.root, 'xdg'), TERM: 'dumb' },
      cwd: sb.root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    shell = new Shell(child, sb.root);
    await scenario(shell);
  });

  it('zsh -i: the same, via precmd/preexec', async (ctx) => {
    if (!has('zsh')) ctx.skip('zsh is not installed on this machine');
    cli(['switch', 'readonly']);
    const zdot = path.join(sb.root, 'zdot');
    fs.mkdirSync(zdot);
    fs.writeFileSync(
      path.join(zdot, '.zshrc'),
      `eval "$(${quoteSh(process.execPath)} ${quoteSh(ELEVATE_BIN)} shell-init zsh)"\n`,
    );
    const child = spawn('zsh', ['-i'], {
      env: { ...sb.env, ...INHERITED, ZDOTDIR: zdot },
      cwd: sb.root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    shell = new Shell(child, sb.root);
    await scenario(shell);
  });

  it('prints a usage error for an unknown shell, and snippets that never start node or aws per prompt', () => {
    const bad = runCli(['shell-init', 'tcsh'], sb.env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown shell "tcsh"');
    for (const s of ['bash', 'zsh', 'fish', 'powershell']) {
      const r = runCli(['shell-init', s], sb.env);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(path.join(sb.env.ELEVATE_HOME!, 'shell', 'active.'));
      expect(r.stdout).not.toMatch(/\bnode\b|\baws\b|\belevate (status|switch)/);
    }
  });
});
