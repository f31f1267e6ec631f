import { describe, expect, it } from 'vitest';
import { buildLaunchEnv, OVERRIDE_VARS, overridesPresent } from '../../shared/env';

const bedrock = { enabled: true, model: 'us.anthropic.claude-sonnet-4-6' };

describe('buildLaunchEnv', () => {
  const DESIGN_SET = [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_SECURITY_TOKEN',
    'AWS_DEFAULT_PROFILE',
    'AWS_ROLE_ARN',
    'AWS_ROLE_SESSION_NAME',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN',
    'AWS_CREDENTIAL_FILE',
    'AWS_SDK_LOAD_CONFIG',
    'AWS_VAULT',
    'AWS_SESSION_EXPIRATION',
    'AWS_CREDENTIAL_EXPIRATION',
  ];

  it('removes every override variable, each with a reason, and keeps the rest', () => {
    const baseEnv: Record<string, string> = {
      PATH: '/usr/bin',
      HOME: '/home/u',
      AWS_PROFILE: 'someone-else',
    };
    for (const name of DESIGN_SET) baseEnv[name] = `value-of-${name}`;
    const r = buildLaunchEnv({
      baseEnv,
      tier: 'readonly',
      profile: 'claudecode-readonly',
      profileRegion: 'us-east-1',
      bedrock,
    });
    expect(r.unset.map((u) => u.name).sort()).toEqual([...DESIGN_SET].sort());
    for (const u of r.unset) expect(u.reason.length).toBeGreaterThan(10);
    for (const name of DESIGN_SET) expect(r.env[name]).toBeUndefined();
    expect(r.env.PATH).toBe('/usr/bin');
    expect(r.env.HOME).toBe('/home/u');
    expect(Object.keys(OVERRIDE_VARS).sort()).toEqual([...DESIGN_SET].sort());
  });

  it('sets the profile, region and Bedrock variables', () => {
    const r = buildLaunchEnv({
      baseEnv: { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' },
      tier: 'elevated',
      profile: 'claudecode-elevated',
      profileRegion: 'us-west-2',
      bedrock,
    });
    expect(r.set).toEqual({
      AWS_PROFILE: 'claudecode-elevated',
      AWS_REGION: 'us-west-2',
      CLAUDE_CODE_USE_BEDROCK: '1',
      ANTHROPIC_MODEL: 'us.anthropic.claude-sonnet-4-6',
    });
    expect(r.env.AWS_DEFAULT_REGION).toBeUndefined();
    expect(r.env.AWS_REGION).toBe('us-west-2');
  });

  it('lets the Bedrock region setting win over the profile region', () => {
    const r = buildLaunchEnv({
      baseEnv: {},
      tier: 'readonly',
      profile: 'p',
      profileRegion: 'us-west-2',
      bedrock: { ...bedrock, region: 'eu-central-1' },
    });
    expect(r.set.AWS_REGION).toBe('eu-central-1');
  });

  it('omits Bedrock variables when Bedrock is off, and warns when Bedrock has no region', () => {
    const off = buildLaunchEnv({
      baseEnv: { CLAUDE_CODE_USE_BEDROCK: '1' },
      tier: 'readonly',
      profile: 'p',
      bedrock: { ...bedrock, enabled: false },
    });
    expect(off.env.CLAUDE_CODE_USE_BEDROCK).toBeUndefined();
    expect(off.env.ANTHROPIC_MODEL).toBeUndefined();
    expect(off.warnings).toEqual([]);
    const noRegion = buildLaunchEnv({ baseEnv: {}, tier: 'readonly', profile: 'p', bedrock });
    expect(noRegion.set.AWS_REGION).toBeUndefined();
    expect(noRegion.warnings[0]).toMatch(/no region for profile "p"/);
  });

  it('keeps AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE but reports them', () => {
    const r = buildLaunchEnv({
      baseEnv: { AWS_CONFIG_FILE: '/x/config', AWS_SHARED_CREDENTIALS_FILE: '/x/creds' },
      tier: 'readonly',
      profile: 'p',
      profileRegion: 'us-east-1',
      bedrock,
    });
    expect(r.env.AWS_CONFIG_FILE).toBe('/x/config');
    expect(r.kept.map((k) => k.name)).toEqual(['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']);
  });

  it('never copies a secret value into set, unset or kept', () => {
    const r = buildLaunchEnv({
      baseEnv: { AWS_SECRET_ACCESS_KEY: 'wJalrSECRET', AWS_SESSION_TOKEN: 'FwoTOKEN' },
      tier: 'readonly',
      profile: 'p',
      profileRegion: 'us-east-1',
      bedrock,
    });
    const reported = JSON.stringify({ set: r.set, unset: r.unset, kept: r.kept, warnings: r.warnings });
    expect(reported).not.toMatch(/wJalrSECRET|FwoTOKEN/);
  });

  it('lists overrides present', () => {
    expect(overridesPresent({ AWS_ACCESS_KEY_ID: 'x', PATH: '/bin', AWS_VAULT: 'v' })).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_VAULT',
    ]);
  });
});
