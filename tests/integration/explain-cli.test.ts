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
});
