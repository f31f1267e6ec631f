// `elevate explain` as the built CLI, run from another directory (iam-data is external to the bundle and
// must resolve from the bundle's location, not the cwd).
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { makeSandbox, runCli } from '../helpers/cli';

describe('elevate explain', () => {
  const sb = makeSandbox('elevate-explain-');
  const run = (args: string[]) => runCli(['explain', ...args], sb.env, { cwd: os.tmpdir() });
  it('prints actions, access level and per tier decision with the deciding statement', () => {
    const r = run(['--', 'aws', 's3', 'mb', 's3://x']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('s3:CreateBucket  Write');
    expect(r.stdout).toMatch(/readonly denied +no statement allows it \(implicit deny\)/);
    expect(r.stdout).toMatch(
      /elevated allowed +PowerUserAccess \(v\d+\) statement 1: Allow NotAction iam:\*/,
    );
    expect(run(['--', 'aws', 's3', 'ls']).stdout).toContain('no elevation needed (Read/List only)');
  });
  it('--json; a quoted shell line; usage errors', () => {
    const j = JSON.parse(run(['--json', '--', 'aws', 's3', 'ls']).stdout) as {
      actions: Array<{ action: string; accessLevel: string; tiers: Record<string, { decision: string }> }>;
      readOnly: boolean;
    };
    expect(j.actions.map((a) => [a.action, a.accessLevel, a.tiers.readonly!.decision])).toEqual([
      ['s3:ListAllMyBuckets', 'List', 'allowed'],
    ]);
    expect(j.readOnly).toBe(true);
    const line = run(['aws s3 ls && aws iam create-user --user-name x']);
    expect(line.stdout).toContain('iam:CreateUser  Write');
    expect(line.stdout).toContain('no Elevate tier allows all of it as deployed');
    expect(run(['--', 'ls', '-l']).status).toBe(2);
    expect(run(['--bogus', '--', 'aws', 's3', 'ls']).status).toBe(2);
  });
  it('after "--" everything is the aws command\'s: --help and --json there are never Elevate\'s', () => {
    const help = run(['--', 'aws', 's3', 'cp', '--help']);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('aws s3 cp --help');
    expect(help.stdout).toContain('no AWS call');
    expect(help.stdout).not.toContain('usage: elevate explain');
    // An error after "--json" past "--": a plain message on stderr, not a JSON error document on stdout.
    const notOurs = run(['--', 'ls', '--json']);
    expect(notOurs.status).toBe(2);
    expect(notOurs.stdout).toBe('');
    expect(notOurs.stderr).toMatch(/^elevate: expected an aws command after "--"/);
    const ours = run(['--json', '--', 'ls']);
    expect(ours.status).toBe(2);
    expect((JSON.parse(ours.stdout) as { error: { code: string } }).error.code).toBe('usage');
  });
  it('--help before "--" is explain\'s; options are checked; no stray argument before "--"', () => {
    const help = run(['--help', '--', 'aws', 's3', 'ls']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: elevate explain [--json] -- aws <service> <operation>');
    expect(help.stdout).toMatch(/--json +print the explanation as JSON/);
    expect(help.stdout).toContain('elevate explain -- aws s3 mb s3://my-bucket');
    const bogus = run(['--bogus', 'aws', 's3', 'ls']);
    expect(bogus.status).toBe(2);
    expect(bogus.stderr).toContain('unknown option --bogus; see "elevate explain --help"');
    const stray = run(['aws', 's3', 'ls', '--', 'aws', 's3', 'ls']);
    expect(stray.status).toBe(2);
    expect(stray.stderr).toContain('unexpected argument "aws" before "--"');
    // Without "--": options before the aws command, and the older trailing --json, still work.
    for (const argv of [
      ['--json', 'aws', 's3', 'ls'],
      ['aws', 's3', 'ls', '--json'],
    ]) {
      const r = run(argv);
      expect(r.status, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { readOnly: boolean }).readOnly, argv.join(' ')).toBe(true);
    }
  });
});
