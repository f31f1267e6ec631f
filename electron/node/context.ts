// One read of everything the core needs: the user's AWS setup, Elevate's settings and the tier mapping.
import type { AwsSetup } from '../../shared/awsConfig';
import { ElevateError } from '../../shared/errors';
import type { Settings } from '../../shared/settings';
import { resolveTiers } from '../../shared/tiers';
import type { AwsProfile, Tier, TierMapping } from '../../shared/types';
import { buildLaunchEnv, type LaunchEnv } from '../../shared/env';
import { readAwsSetup } from './awsFiles';
import { loadSettings } from './settingsStore';
import type { Env } from './paths';

export interface CoreContext {
  env: Env;
  setup: AwsSetup;
  settings: Settings;
  tiers: TierMapping;
}

export function loadContext(env: Env = process.env): CoreContext {
  const settings = loadSettings(env);
  const setup = readAwsSetup(env);
  const tiers = resolveTiers(setup.profiles, settings.tiers);
  return { env, setup, settings, tiers };
}

/** A tier that is not set up (or its profile is missing): bad configuration, exit code 2. */
export class TierError extends ElevateError {
  constructor(
    readonly tier: Tier,
    message: string,
  ) {
    super('no-tier', message, 2);
  }
}

/** The profile behind a tier, or a TierError that says how to fix it. */
export function tierProfile(ctx: CoreContext, tier: Tier): AwsProfile {
  const name = ctx.tiers[tier];
  if (!name) {
    throw new TierError(
      tier,
      tier === 'elevated'
        ? 'no elevated tier: add a [profile claudecode-elevated] with source_profile = <read-only profile>, or set tiers.elevated in Elevate settings'
        : 'no read-only tier: add a [profile claudecode-readonly] to ~/.aws/config, or set tiers.readonly in Elevate settings',
    );
  }
  const profile = ctx.setup.profiles.get(name);
  if (!profile)
    throw new TierError(
      tier,
      `the ${tier} tier names profile "${name}", which is not in ${ctx.setup.configPath}`,
    );
  return profile;
}

export function launchEnvFor(ctx: CoreContext, tier: Tier, baseEnv: Env = ctx.env): LaunchEnv {
  const profile = tierProfile(ctx, tier);
  return buildLaunchEnv({
    baseEnv,
    tier,
    profile: profile.name,
    profileRegion: profile.region,
    bedrock: ctx.settings.bedrock,
  });
}
