// Cross-check: the profiles Elevate reads must match what the AWS SDK for JavaScript (which Claude Code
// uses) loads from the same files, for every non-secret key.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { buildAwsSetup } from '../../shared/awsConfig';

const CONFIG = `# comment
[default]
region = us-east-1 ; inline comment
[profile claudecode-readonly]
role_arn = arn:aws:iam::123456789012:role/claudecode-readonly
credential_source = Ec2InstanceMetadata
role_session_name = claudecode-ro
[profile claudecode-elevated]
role_arn = arn:aws:iam::123456789012:role/claudecode-elevated
source_profile = claudecode-readonly
duration_seconds = 3600
s3 =
  addressing_style = path
region = eu-west-1
[profile ok.name@x]\r
region = us-west-2\r
[sso-session corp]
sso_region = us-east-1
`;
const CREDENTIALS = `[base]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = secret
region = ap-south-1
[claudecode-readonly]
region = ca-central-1
`;

const FIELD_KEYS: Record<string, string> = {
  roleArn: 'role_arn',
  sourceProfile: 'source_profile',
  credentialSource: 'credential_source',
  roleSessionName: 'role_session_name',
  region: 'region',
};

describe('parity with the AWS SDK for JavaScript', () => {
  it('reads the same profiles and values as the SDK shared-ini loader (@smithy/core/config)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'elevate-parity-'));
    writeFileSync(path.join(dir, 'config'), CONFIG);
    writeFileSync(path.join(dir, 'credentials'), CREDENTIALS);
    const sdk = await loadSharedConfigFiles({
      configFilepath: path.join(dir, 'config'),
      filepath: path.join(dir, 'credentials'),
      ignoreCache: true,
    });
    const merged: Record<string, Record<string, string | undefined>> = {};
    for (const src of [sdk.configFile, sdk.credentialsFile]) {
      for (const [name, values] of Object.entries(src)) {
        // The SDK keeps [sso-session x] / [services x] in the same map under a prefixed key; they are not profiles.
        if (/^(sso-session|services)\./.test(name)) continue;
        merged[name] = { ...merged[name], ...values };
      }
    }
    const ours = buildAwsSetup({ path: 'config', text: CONFIG }, { path: 'credentials', text: CREDENTIALS });
    expect([...ours.profiles.keys()].sort()).toEqual(Object.keys(merged).sort());
    for (const p of ours.profiles.values()) {
      const sdkValues = merged[p.name] ?? {};
      for (const [field, key] of Object.entries(FIELD_KEYS)) {
        expect({ profile: p.name, key, value: (p as unknown as Record<string, unknown>)[field] }).toEqual({
          profile: p.name,
          key,
          value: sdkValues[key],
        });
      }
      expect(p.hasStaticKeys).toBe(Boolean(sdkValues.aws_access_key_id && sdkValues.aws_secret_access_key));
    }
    expect(ours.profiles.get('claudecode-elevated')?.durationSeconds).toBe(
      Number(merged['claudecode-elevated']?.duration_seconds),
    );
  });
});
