// Which profile is the read-only tier and which the elevated one.
import type { AwsProfile, ProfileProblem, ProfileView, Tier, TierMapping } from './types';
import { resolveChain } from './awsConfig';

export interface TierSettings {
  readonly?: string | null;
  elevated?: string | null;
}

/** Settings win; otherwise detect from names, then from a source_profile pair, then the seed's `claude`. */
export function resolveTiers(
  profiles: Map<string, AwsProfile>,
  settings: TierSettings | undefined,
): TierMapping {
  const notes: string[] = [];
  if (settings && (settings.readonly || settings.elevated)) {
    for (const tier of ['readonly', 'elevated'] as const) {
      const name = settings[tier];
      if (name && !profiles.has(name))
        notes.push(`settings name "${name}" as the ${tier} tier, but no such profile exists`);
    }
    return {
      readonly: settings.readonly ?? null,
      elevated: settings.elevated ?? null,
      source: 'settings',
      notes,
    };
  }
  const names = [...profiles.keys()];
  const ro = names.filter((n) => n.startsWith('claudecode-readonly')).sort();
  const el = names.filter((n) => n.startsWith('claudecode-elevated')).sort();
  if (ro.length > 0) {
    // Prefer the elevated profile that chains from a read-only one (e.g. claudecode-elevated-prod → claudecode-readonly-prod).
    for (const e of el) {
      const src = profiles.get(e)?.sourceProfile;
      if (src && ro.includes(src)) {
        if (ro.length > 1 || el.length > 1)
          notes.push(`several claudecode-* profiles: picked ${src} / ${e} (a source_profile pair)`);
        return { readonly: src, elevated: e, source: 'detected-names', notes };
      }
    }
    const readonly = ro[0] ?? null;
    const elevated = el[0] ?? null;
    if (ro.length > 1 || el.length > 1)
      notes.push(`several claudecode-* profiles: picked the first by name; set tiers in settings to choose`);
    if (elevated) notes.push(`"${elevated}" does not use "${readonly}" as source_profile`);
    return { readonly, elevated, source: 'detected-names', notes };
  }
  const pairs: Array<[string, string]> = [];
  for (const p of profiles.values()) {
    if (p.roleArn && p.sourceProfile && p.sourceProfile !== p.name) {
      const src = profiles.get(p.sourceProfile);
      if (src?.roleArn) pairs.push([src.name, p.name]);
    }
  }
  if (pairs.length === 1) {
    const [readonly, elevated] = pairs[0] as [string, string];
    return { readonly, elevated, source: 'detected-chain', notes };
  }
  if (pairs.length > 1)
    notes.push(`${pairs.length} role pairs chain from each other; set tiers in settings to choose one`);
  if (profiles.has('claude')) {
    return { readonly: 'claude', elevated: null, source: 'detected-single', notes };
  }
  return { readonly: null, elevated: null, source: 'none', notes };
}

export function tierOf(mapping: TierMapping, profile: string): Tier | null {
  if (mapping.readonly === profile) return 'readonly';
  if (mapping.elevated === profile) return 'elevated';
  return null;
}

/**
 * The `elevate profiles --json` view of every profile, in file order. With `fileProblems` (AwsSetup.problems),
 * a profile's problems also list the file findings inside its section ("file:line: message"), e.g. the
 * lines the AWS CLI and the JavaScript SDK read differently.
 */
export function profileViews(
  profiles: Map<string, AwsProfile>,
  mapping: TierMapping,
  fileProblems: readonly ProfileProblem[] = [],
): ProfileView[] {
  return [...profiles.values()].map((p) => {
    const { chain, problems } = resolveChain(profiles, p.name);
    for (const f of fileProblems)
      if (f.profile === p.name)
        problems.push(f.ref ? `${f.ref.file}:${f.ref.line}: ${f.message}` : f.message);
    return {
      name: p.name,
      tier: tierOf(mapping, p.name),
      roleArn: p.roleArn ?? null,
      sourceProfile: p.sourceProfile ?? null,
      credentialSource: p.credentialSource ?? null,
      roleSessionName: p.roleSessionName ?? null,
      region: p.region ?? null,
      chain,
      problems,
    };
  });
}
