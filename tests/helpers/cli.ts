// Runs the built `elevate` CLI (bin/elevate.cjs → out/cli/elevate.cjs) in a child process with a private
// HOME / ELEVATE_HOME / AWS files, so tests never touch the real ~/.aws or ~/.claude.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');
export const ELEVATE_BIN = path.join(REPO, 'bin', 'elevate.cjs');

export interface Sandbox {
  root: string;
  home: string;
  env: Record<string, string>;
  configFile: string;
  credentialsFile: string;
  writeConfig(text: string): void;
  writeCredentials(text: string): void;
}

/** A temp HOME with .aws files and ELEVATE_HOME; env has no AWS_* from the parent. */
export function makeSandbox(prefix = 'elevate-test-'): Sandbox {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  const home = path.join(root, 'home');
  mkdirSync(path.join(home, '.aws'), { recursive: true });
  const configFile = path.join(home, '.aws', 'config');
  const credentialsFile = path.join(home, '.aws', 'credentials');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('AWS_') && !k.startsWith('CLAUDE') && !k.startsWith('ELEVATE_'))
      env[k] = v;
  }
  Object.assign(env, {
    HOME: home,
    ELEVATE_HOME: path.join(root, 'elevate'),
    CLAUDE_CONFIG_DIR: path.join(home, '.claude'),
    AWS_CONFIG_FILE: configFile,
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  return {
    root,
    home,
    env,
    configFile,
    credentialsFile,
    writeConfig: (text) => writeFileSync(configFile, text),
    writeCredentials: (text) => writeFileSync(credentialsFile, text),
  };
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  env: Record<string, string>,
  opts: { cwd?: string; input?: string } = {},
): CliResult {
  const r = spawnSync(process.execPath, [ELEVATE_BIN, ...args], {
    env,
    cwd: opts.cwd,
    input: opts.input,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
