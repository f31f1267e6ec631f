// shared/selfElevation.ts over real ~/.aws/config + credentials text (parsed by shared/awsConfig.ts).
import { describe, expect, it } from 'vitest';
import { buildAwsSetup } from '../../shared/awsConfig';
import { selfElevationFindings } from '../../shared/selfElevation';
import { resolveTiers } from '../../shared/tiers';

const RO_ARN = 'arn:aws:iam::123456789012:role/claudecode-readonly';
const EL_ARN = 'arn:aws:iam::123456789012:role/claudecode-elevated';
const SERIAL = 'arn:aws:iam::123456789012:mfa/operator';
const KEYS = '[operator]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n';

function check(
  config: string,
  credentials: string | null = KEYS,
  tiers?: { readonly: string; elevated: string },
) {
  const setup = buildAwsSetup({ path: 'config', text: config }, { path: 'credentials', text: credentials });
  const mapping = tiers ?? resolveTiers(setup.profiles, {});
  return selfElevationFindings(setup.profiles, mapping);
}

/**
 * ~/.aws/config text with the two tier profiles (`claudecode-readonly` → RO_ARN, `claudecode-elevated` →
 * EL_ARN), each followed by its own lines; `before` goes first (other profiles, sso-session sections).
 */
function tierConfig(readonly: string[], elevated: string[], before: string[] = []): string {
  return [
    ...before,
    '[profile claudecode-readonly]',
    `role_arn = ${RO_ARN}`,
    ...readonly,
    '[profile claudecode-elevated]',
    `role_arn = ${EL_ARN}`,
    ...elevated,
  ].join('\n');
}

describe('selfElevationFindings', () => {
  it('FAIL for the seed layout (elevated chained from read-only), naming both profiles and the fix', () => {
    const f = check(
      tierConfig(['credential_source = Ec2InstanceMetadata'], ['source_profile = claudecode-readonly', '']),
      null,
    );
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ id: 'self-elevation', status: 'fail' });
    expect(f[0]!.message).toMatch(
      /^self-elevation possible: "claudecode-elevated" is assumed from the read-only profile "claudecode-readonly"/,
    );
    expect(f[0]!.message).toContain('claudecode-elevated → claudecode-readonly → Ec2InstanceMetadata');
    expect(f[0]!.fix).toContain('mfa_serial');
    expect(f[0]!.fix).toContain('[profile claudecode-elevated]');
    expect(f[0]!.fix).toContain('infra/laptop.yaml');
  });

  it('FAIL even with mfa_serial when the chain runs through read-only (the agent holds read-only credentials)', () => {
    const f = check(
      tierConfig(
        ['source_profile = operator'],
        ['source_profile = claudecode-readonly', `mfa_serial = ${SERIAL}`],
        ['[profile operator]'],
      ),
    );
    expect(f.map((x) => x.status)).toEqual(['fail']);
  });

  it('FAIL when both tiers stand on the same base keys and elevated has no mfa_serial', () => {
    const f = check(tierConfig(['source_profile = operator'], ['source_profile = operator']));
    expect(f).toHaveLength(1);
    expect(f[0]!.status).toBe('fail');
    expect(f[0]!.message).toContain(
      '"claudecode-readonly" and "claudecode-elevated" both stand on the same credentials (operator)',
    );
  });

  it('OK for the hardened laptop layout: operator keys + mfa_serial (same operator for read-only is fine)', () => {
    const f = check(
      tierConfig(
        ['source_profile = operator', 'role_session_name = claude-readonly'],
        ['source_profile = operator', `mfa_serial = ${SERIAL}`, 'role_session_name = claude-elevated'],
      ),
    );
    expect(f).toEqual([expect.objectContaining({ status: 'ok' })]);
    expect(f[0]!.message).toContain(SERIAL);
    expect(f[0]!.fix).toBeUndefined();
  });

  it('WARN when elevation needs no MFA but does not stand on the read-only credentials', () => {
    const f = check(tierConfig(['credential_source = Ec2InstanceMetadata'], ['source_profile = operator']));
    expect(f.map((x) => x.status)).toEqual(['warn']);
    expect(f[0]!.message).toContain('needs no MFA');
    expect(f[0]!.fix).toContain('mfa_serial');
  });

  it('WARN for SSO operators: the SSO session, not MFA in the trust policy, gates elevation', () => {
    const f = check(
      tierConfig(
        [
          'source_profile = sso-ro',
          '[profile sso-ro]',
          'sso_session = corp',
          'sso_account_id = 123456789012',
          'sso_role_name = ReadOnly',
        ],
        ['source_profile = sso-admin'],
        [
          '[sso-session corp]',
          'sso_start_url = https://corp.awsapps.com/start',
          'sso_region = us-east-1',
          '[profile sso-admin]',
          'sso_session = corp',
          'sso_account_id = 123456789012',
          'sso_role_name = Admin',
        ],
      ),
      null,
    );
    expect(f.map((x) => x.status)).toEqual(['warn']);
    expect(f[0]!.message).toContain('sso_session "corp"');
    expect(f[0]!.message).toContain('not by MFA in the role');
    expect(f[0]!.fix).toContain('aws sso logout');
    // Legacy sso_start_url profiles are named by their URL.
    const legacy = check(
      [
        '[profile claudecode-elevated]',
        'sso_start_url = https://legacy.awsapps.com/start',
        'sso_account_id = 123456789012',
        'sso_role_name = Admin',
        'sso_region = us-east-1',
      ].join('\n'),
      null,
      { readonly: 'claudecode-readonly', elevated: 'claudecode-elevated' },
    );
    expect(legacy[0]).toMatchObject({ status: 'warn' });
    expect(legacy[0]!.message).toContain('sso_start_url https://legacy.awsapps.com/start');
  });

  it('FAIL when both tiers are the same SSO role without mfa_serial (same base credentials)', () => {
    const f = check(
      tierConfig(
        ['source_profile = sso'],
        ['source_profile = sso'],
        [
          '[profile sso]',
          'sso_start_url = https://corp.awsapps.com/start',
          'sso_account_id = 123456789012',
          'sso_role_name = Admin',
          'sso_region = us-east-1',
        ],
      ),
      null,
    );
    expect(f.map((x) => x.status)).toEqual(['fail']);
  });

  it('nothing to judge without an elevated tier, or with a broken chain (other checks report those)', () => {
    expect(check(`[profile claude]\nrole_arn = ${RO_ARN}\nsource_profile = operator\n`)).toEqual([]);
    expect(
      check(`[profile claudecode-elevated]\nrole_arn = ${EL_ARN}\nsource_profile = missing\n`, null, {
        readonly: 'claudecode-readonly',
        elevated: 'claudecode-elevated',
      }),
    ).toEqual([]);
  });
});
