// The one function that decides the environment Claude is launched with.
import type { Tier } from './types';

export type EnvMap = Record<string, string | undefined>;

/** Variables that would silently override (or redirect) the profile, with the reason each is removed. */
export const OVERRIDE_VARS: Readonly<Record<string, string>> = {
  AWS_ACCESS_KEY_ID: 'static keys in the environment win over AWS_PROFILE in the AWS CLI',
  AWS_SECRET_ACCESS_KEY: 'static keys in the environment win over AWS_PROFILE in the AWS CLI',
  AWS_SESSION_TOKEN: 'a session token belongs to other credentials than the profile',
  AWS_SECURITY_TOKEN: 'legacy name of AWS_SESSION_TOKEN',
  AWS_DEFAULT_PROFILE: 'older tools read it instead of AWS_PROFILE',
  AWS_ROLE_ARN: 'web-identity role settings take precedence over the profile',
  AWS_ROLE_SESSION_NAME: 'belongs to AWS_ROLE_ARN web-identity credentials',
  AWS_WEB_IDENTITY_TOKEN_FILE: 'web-identity credentials take precedence over the profile',
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: 'container credentials would be used instead of the profile',
  AWS_CONTAINER_CREDENTIALS_FULL_URI: 'container credentials would be used instead of the profile',
  AWS_CONTAINER_AUTHORIZATION_TOKEN: 'belongs to container credentials',
  AWS_CREDENTIAL_FILE: 'legacy credentials file that some tools read before the profile',
  AWS_SDK_LOAD_CONFIG: 'changes how older SDKs pick credentials',
  AWS_VAULT: 'marks an aws-vault session whose keys are in the environment',
  AWS_SESSION_EXPIRATION: 'expiry of credentials that are not the profile\u2019s',
  AWS_CREDENTIAL_EXPIRATION: 'expiry of credentials that are not the profile\u2019s',
};

/** Kept, but reported: they change which files define the profile. */
export const REPORTED_VARS: Readonly<Record<string, string>> = {
  AWS_CONFIG_FILE: 'kept: profiles are read from this file instead of ~/.aws/config',
  AWS_SHARED_CREDENTIALS_FILE: 'kept: credentials are read from this file instead of ~/.aws/credentials',
};

/** Variables Elevate sets itself (any inherited value is replaced). */
export const MANAGED_VARS = [
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'CLAUDE_CODE_USE_BEDROCK',
  'ANTHROPIC_MODEL',
];

export interface LaunchEnvInput {
  baseEnv: EnvMap;
  tier: Tier;
  profile: string;
  /** Region from the profile (~/.aws/config); settings.bedrock.region wins when set. */
  profileRegion?: string | undefined;
  bedrock: { enabled: boolean; model: string; region?: string | undefined };
}

export interface RemovedVar {
  name: string;
  reason: string;
}

export interface LaunchEnv {
  profile: string;
  tier: Tier;
  /** The full environment to spawn with. */
  env: Record<string, string>;
  /** What Elevate sets (values are never secrets). */
  set: Record<string, string>;
  unset: RemovedVar[];
  kept: RemovedVar[];
  warnings: string[];
}

export function buildLaunchEnv(input: LaunchEnvInput): LaunchEnv {
  const env: Record<string, string> = {};
  const unset: RemovedVar[] = [];
  const kept: RemovedVar[] = [];
  const warnings: string[] = [];
  for (const [name, value] of Object.entries(input.baseEnv)) {
    if (value === undefined) continue;
    const reason = OVERRIDE_VARS[name];
    if (reason !== undefined) {
      unset.push({ name, reason });
      continue;
    }
    if (MANAGED_VARS.includes(name)) continue;
    env[name] = value;
    const report = REPORTED_VARS[name];
    if (report !== undefined) kept.push({ name, reason: `${report} (${value})` });
  }
  const set: Record<string, string> = { AWS_PROFILE: input.profile };
  const region = input.bedrock.region ?? input.profileRegion;
  if (region) {
    set.AWS_REGION = region;
  } else if (input.bedrock.enabled) {
    warnings.push(
      `no region for profile "${input.profile}": set region in its ~/.aws/config section or bedrock.region in Elevate settings (Claude Code needs AWS_REGION for Bedrock)`,
    );
  }
  if (input.bedrock.enabled) {
    set.CLAUDE_CODE_USE_BEDROCK = '1';
    set.ANTHROPIC_MODEL = input.bedrock.model;
  }
  Object.assign(env, set);
  unset.sort((a, b) => a.name.localeCompare(b.name));
  return { profile: input.profile, tier: input.tier, env, set, unset, kept, warnings };
}

/** Names of override variables present in an environment (for doctor). */
export function overridesPresent(env: EnvMap): string[] {
  return Object.keys(OVERRIDE_VARS).filter((n) => env[n] !== undefined);
}
