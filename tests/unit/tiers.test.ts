import { describe, expect, it } from 'vitest';
import { buildAwsSetup } from '../../shared/awsConfig';
import { profileViews, resolveTiers } from '../../shared/tiers';

const profilesOf = (config: string) =>
  buildAwsSetup({ path: 'c', text: config }, { path: 'k', text: null }).profiles;
const role = (n: string) => `role_arn = arn:aws:iam::123456789012:role/${n}`;

describe('resolveTiers', () => {
  it('uses settings first and notes a missing profile', () => {
    const t = resolveTiers(profilesOf(`[profile ro]\n${role('ro')}\ncredential_source = Environment\n`), {
      readonly: 'ro',
      elevated: 'nope',
    });
    expect(t).toMatchObject({ readonly: 'ro', elevated: 'nope', source: 'settings' });
    expect(t.notes[0]).toMatch(/"nope".*no such profile/);
  });

  it('detects the claudecode-* names, with suffixes, preferring a source_profile pair', () => {
    const t = resolveTiers(
      profilesOf(
        `[profile claudecode-readonly-dev]\n${role('a')}\ncredential_source = Ec2InstanceMetadata\n[profile claudecode-readonly-prod]\n${role('b')}\ncredential_source = Ec2InstanceMetadata\n[profile claudecode-elevated-prod]\n${role('c')}\nsource_profile = claudecode-readonly-prod\n`,
      ),
      undefined,
    );
    expect(t).toMatchObject({
      readonly: 'claudecode-readonly-prod',
      elevated: 'claudecode-elevated-prod',
      source: 'detected-names',
    });
  });

  it('detects a pair where one profile is the source of the other', () => {
    const t = resolveTiers(
      profilesOf(
        `[profile base]\n[profile ro]\n${role('ro')}\nsource_profile = base\n[profile power]\n${role('p')}\nsource_profile = ro\n`,
      ),
      {},
    );
    expect(t).toMatchObject({ readonly: 'ro', elevated: 'power', source: 'detected-chain' });
  });

  it('refuses to guess between two pairs', () => {
    const t = resolveTiers(
      profilesOf(
        `[profile a]\n${role('a')}\ncredential_source = Environment\n[profile b]\n${role('b')}\nsource_profile = a\n[profile c]\n${role('c')}\ncredential_source = Environment\n[profile d]\n${role('d')}\nsource_profile = c\n`,
      ),
      undefined,
    );
    expect(t).toMatchObject({ readonly: null, elevated: null, source: 'none' });
    expect(t.notes[0]).toMatch(/2 role pairs/);
  });

  it("takes the seed's single restricted profile `claude` as the read-only tier only", () => {
    expect(resolveTiers(profilesOf('[profile claude]\nregion = us-east-1\n'), undefined)).toMatchObject({
      readonly: 'claude',
      elevated: null,
      source: 'detected-single',
    });
  });

  it('finds nothing in an unrelated config', () => {
    expect(resolveTiers(profilesOf('[default]\nregion = us-east-1\n'), undefined).source).toBe('none');
  });

  it('gives each profile view its tier, chain and problems', () => {
    const profiles = profilesOf(
      `[profile claudecode-readonly]\n${role('ro')}\ncredential_source = Ec2InstanceMetadata\n[profile claudecode-elevated]\n${role('el')}\nsource_profile = claudecode-readonly\n[profile broken]\nrole_arn = nope\n`,
    );
    const views = profileViews(profiles, resolveTiers(profiles, undefined));
    expect(views.map((v) => [v.name, v.tier, v.chain])).toEqual([
      ['claudecode-readonly', 'readonly', ['claudecode-readonly', 'Ec2InstanceMetadata']],
      [
        'claudecode-elevated',
        'elevated',
        ['claudecode-elevated', 'claudecode-readonly', 'Ec2InstanceMetadata'],
      ],
      ['broken', null, ['broken']],
    ]);
    expect(views[2]?.problems.length).toBe(2);
  });
});
