// Domain types shared by main, services, CLI and renderer. Pure data: no I/O.

export type Tier = 'readonly' | 'elevated';
export const TIERS: readonly Tier[] = ['readonly', 'elevated'] as const;

export function isTier(value: unknown): value is Tier {
  return value === 'readonly' || value === 'elevated';
}

/** Where a value came from in the user's files, for messages that point at a line. */
export interface SourceRef {
  file: string;
  line: number;
}

export interface SsoSettings {
  session?: string;
  startUrl?: string;
  region?: string;
  accountId?: string;
  roleName?: string;
}

/** One profile as the AWS CLI / SDK would see it after merging config and credentials. Never holds secrets. */
export interface AwsProfile {
  name: string;
  sources: SourceRef[];
  roleArn?: string;
  sourceProfile?: string;
  credentialSource?: string;
  roleSessionName?: string;
  region?: string;
  durationSeconds?: number;
  mfaSerial?: string;
  externalId?: string;
  credentialProcess?: string;
  sso?: SsoSettings;
  /** Static keys present (config or credentials file). Values are never kept. */
  hasStaticKeys: boolean;
  /** Names of the secret-bearing keys that were present (values dropped at parse time). */
  secretKeys: string[];
}

export interface ProfileProblem {
  profile: string;
  severity: 'warn' | 'fail';
  message: string;
  ref?: SourceRef;
}

export interface ProfileView {
  name: string;
  tier: Tier | null;
  roleArn: string | null;
  sourceProfile: string | null;
  credentialSource: string | null;
  roleSessionName: string | null;
  region: string | null;
  chain: string[];
  problems: string[];
}

export interface TierMapping {
  readonly: string | null;
  elevated: string | null;
  /** How the mapping was found. */
  source: 'settings' | 'detected-names' | 'detected-chain' | 'detected-single' | 'none';
  notes: string[];
}
