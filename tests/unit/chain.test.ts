import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildAwsSetup, resolveChain } from '../../shared/awsConfig';

const setupOf = (config: string, credentials: string | null = null) =>
  buildAwsSetup({ path: 'config', text: config }, { path: 'credentials', text: credentials });
const ARN = (n: string) => `arn:aws:iam::123456789012:role/${n}`;

describe('resolveChain', () => {
  it('walks the seed chain to the instance metadata', () => {
    const s = setupOf(readFileSync(new URL('../fixtures/seed-config.ini', import.meta.url), 'utf8'));
    expect(resolveChain(s.profiles, 'claudecode-elevated')).toEqual({
      chain: ['claudecode-elevated', 'claudecode-readonly', 'Ec2InstanceMetadata'],
      problems: [],
      root: 'credential-source',
    });
    expect(resolveChain(s.profiles, 'claudecode-readonly').chain).toEqual([
      'claudecode-readonly',
      'Ec2InstanceMetadata',
    ]);
  });

  it('ends at static keys, SSO or credential_process', () => {
    const s = setupOf(
      `[profile el]\nrole_arn = ${ARN('el')}\nsource_profile = ro\n[profile ro]\nrole_arn = ${ARN('ro')}\nsource_profile = base\n[profile sso]\nsso_session = x\n[profile proc]\ncredential_process = /bin/creds\n`,
      '[base]\naws_access_key_id = A\naws_secret_access_key = B\n',
    );
    expect(resolveChain(s.profiles, 'el')).toMatchObject({
      chain: ['el', 'ro', 'base'],
      root: 'static-keys',
      problems: [],
    });
    expect(resolveChain(s.profiles, 'sso').root).toBe('sso');
    expect(resolveChain(s.profiles, 'proc').root).toBe('credential-process');
  });

  it.each([
    ['length 1', `[profile a]\nrole_arn = ${ARN('a')}\nsource_profile = a\n`, 'a', 'a → a'],
    [
      'length 2',
      `[profile a]\nrole_arn = ${ARN('a')}\nsource_profile = b\n[profile b]\nrole_arn = ${ARN('b')}\nsource_profile = a\n`,
      'a',
      'a → b → a',
    ],
    [
      'length 3',
      `[profile a]\nrole_arn = ${ARN('a')}\nsource_profile = b\n[profile b]\nrole_arn = ${ARN('b')}\nsource_profile = c\n[profile c]\nrole_arn = ${ARN('c')}\nsource_profile = a\n`,
      'b',
      'b → c → a → b',
    ],
  ])('detects a cycle of %s', (_label, config, start, cycle) => {
    const r = resolveChain(setupOf(config).profiles, start);
    expect(r.root).toBe('broken');
    expect(r.problems).toEqual([`source_profile cycle: ${cycle}`]);
  });

  it('allows a role profile whose source_profile is itself when it has static keys', () => {
    const s = setupOf(
      `[profile a]\nrole_arn = ${ARN('a')}\nsource_profile = a\n`,
      '[a]\naws_access_key_id = A\naws_secret_access_key = B\n',
    );
    expect(resolveChain(s.profiles, 'a')).toMatchObject({ root: 'static-keys', problems: [] });
  });

  it('reports a missing source_profile', () => {
    const r = resolveChain(
      setupOf(`[profile a]\nrole_arn = ${ARN('a')}\nsource_profile = gone\n`).profiles,
      'a',
    );
    expect(r.problems).toEqual(['source_profile "gone" (from "a") does not exist']);
  });

  it('reports both source_profile and credential_source', () => {
    const r = resolveChain(
      setupOf(
        `[profile a]\nrole_arn = ${ARN('a')}\nsource_profile = b\ncredential_source = Environment\n[profile b]\n`,
      ).profiles,
      'a',
    );
    expect(r.problems).toEqual(['"a" sets both source_profile and credential_source; use one']);
  });

  it('reports an unknown credential_source and a role_arn that is not an ARN', () => {
    const r = resolveChain(
      setupOf(`[profile a]\nrole_arn = claudecode-readonly\ncredential_source = Ec2Metadata\n`).profiles,
      'a',
    );
    expect(r.problems).toHaveLength(2);
    expect(r.problems[0]).toMatch(/role_arn of "a" is not an IAM role ARN/);
    expect(r.problems[1]).toMatch(/credential_source "Ec2Metadata" of "a" is unknown/);
  });

  it('reports role_arn without any source', () => {
    const r = resolveChain(setupOf(`[profile a]\nrole_arn = ${ARN('a')}\n`).profiles, 'a');
    expect(r.problems).toEqual(['"a" has role_arn but neither source_profile nor credential_source']);
  });

  it('reports a source profile that provides no credentials', () => {
    const r = resolveChain(
      setupOf(`[profile a]\nrole_arn = ${ARN('a')}\nsource_profile = b\n[profile b]\nregion = us-east-1\n`)
        .profiles,
      'a',
    );
    expect(r.root).toBe('none');
    expect(r.problems).toEqual(['"b" is used as source_profile but provides no credentials']);
  });
});
