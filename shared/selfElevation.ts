// Can the read-only tier reach the elevated tier on its own? A pure check over the parsed AWS profiles and
// the tier mapping, for `elevate doctor` and the window's elevated card (issue 12, P2). Only IAM is the
// boundary: the hardened layout has the elevated profile assume its role from the OPERATOR's credentials
// with `mfa_serial`, and a trust policy requiring aws:MultiFactorAuthPresent that does not trust the
// read-only role. This file judges the profile side; the trust side is the template's (infra/*.yaml).
import { resolveChain, type ChainResult } from './awsConfig';
import type { AwsProfile, TierMapping } from './types';

export interface SelfElevationFinding {
  /** Same shape as doctor's Check. */
  id: 'self-elevation';
  status: 'ok' | 'warn' | 'fail';
  message: string;
  fix?: string;
}

const HARDENED_FIX = (el: string): string =>
  `use the hardened layout: deploy infra/laptop.yaml with \`elevate setup\` (or infra/workstation.yaml), so the ` +
  `elevated role trusts only your operator identity with MFA (aws:MultiFactorAuthPresent) and never the ` +
  `read-only role; then in ~/.aws/config give [profile ${el}] source_profile = <your operator profile> and ` +
  `mfa_serial = <your MFA device ARN>`;

/** What finally provides the credentials of a chain, comparable between two chains. */
function baseOf(profiles: Map<string, AwsProfile>, r: ChainResult): string | undefined {
  const last = r.chain[r.chain.length - 1];
  if (last === undefined) return undefined;
  switch (r.root) {
    case 'static-keys':
    case 'credential-process':
      return `profile:${last}`;
    case 'credential-source':
      return `source:${last}`;
    case 'sso': {
      const s = profiles.get(last)?.sso ?? {};
      return `sso:${s.session ?? s.startUrl ?? ''}:${s.accountId ?? ''}:${s.roleName ?? ''}`;
    }
    default:
      return undefined;
  }
}

/**
 * Findings about self-elevation for the tier mapping: FAIL when the elevated profile is reachable from
 * the read-only tier (its source_profile chain runs through the read-only profile, or both tiers stand
 * on the same base credentials and the elevated profile has no mfa_serial); WARN when elevation does
 * not need MFA at all or is gated by an IAM Identity Center (SSO) session; OK when it uses the
 * operator's credentials with mfa_serial. Empty when there is no elevated tier to judge.
 */
export function selfElevationFindings(
  profiles: Map<string, AwsProfile>,
  mapping: Pick<TierMapping, 'readonly' | 'elevated'>,
): SelfElevationFinding[] {
  const el = mapping.elevated;
  const ro = mapping.readonly;
  if (!el || !profiles.has(el)) return [];
  const elProfile = profiles.get(el)!;
  const elChain = resolveChain(profiles, el);
  if (elChain.root === 'broken') return [];
  const findings: SelfElevationFinding[] = [];

  if (ro && profiles.has(ro)) {
    const roChain = resolveChain(profiles, ro);
    const hop = elChain.chain.indexOf(ro);
    if (hop > 0) {
      findings.push({
        id: 'self-elevation',
        status: 'fail',
        message:
          `self-elevation possible: "${el}" is assumed from the read-only profile "${ro}" ` +
          `(${elChain.chain.join(' → ')}), so anything holding read-only credentials — the agent — can ` +
          `assume the elevated role without you`,
        fix: HARDENED_FIX(el),
      });
      return findings;
    }
    const roBase = baseOf(profiles, roChain);
    const elBase = baseOf(profiles, elChain);
    if (roBase !== undefined && roBase === elBase && !elProfile.mfaSerial) {
      findings.push({
        id: 'self-elevation',
        status: 'fail',
        message:
          `self-elevation possible: "${ro}" and "${el}" both stand on the same credentials ` +
          `(${elChain.chain[elChain.chain.length - 1]}) and "${el}" has no mfa_serial, so whatever can ` +
          `obtain read-only credentials can obtain elevated ones without you`,
        fix: HARDENED_FIX(el),
      });
      return findings;
    }
  }

  if (elChain.root === 'sso') {
    const last = elChain.chain[elChain.chain.length - 1] ?? el;
    const s = profiles.get(last)?.sso ?? {};
    const what = s.session ? `sso_session "${s.session}"` : `sso_start_url ${s.startUrl ?? '(unset)'}`;
    findings.push({
      id: 'self-elevation',
      status: 'warn',
      message:
        `"${el}" is reached through IAM Identity Center (${what}): elevation is gated by your SSO sign-in, ` +
        `not by MFA in the role's trust policy — an SSO session cannot carry aws:MultiFactorAuthPresent into ` +
        `AssumeRole, and while its cached token (~/.aws/sso/cache) is valid anything running as you can ` +
        `assume the elevated role`,
      fix:
        'give the elevated tier its own permission set that requires a fresh sign-in, keep the SSO session ' +
        'short, and run `aws sso logout` after elevating; for an MFA-gated boundary use an IAM user with an ' +
        'MFA device as the operator (infra/laptop.yaml)',
    });
    return findings;
  }

  if (!elProfile.mfaSerial) {
    findings.push({
      id: 'self-elevation',
      status: 'warn',
      message:
        `"${el}" needs no MFA (no mfa_serial): anything that can read the credentials it is assumed from ` +
        `(${elChain.chain.slice(1).join(' → ') || el}) can elevate without you`,
      fix: `add mfa_serial = <your MFA device ARN> to [profile ${el}] and require aws:MultiFactorAuthPresent in the elevated role's trust policy (infra/laptop.yaml does)`,
    });
    return findings;
  }

  findings.push({
    id: 'self-elevation',
    status: 'ok',
    message:
      `"${el}" is assumed from ${elChain.chain.slice(1).join(' → ') || 'its own keys'} with MFA ` +
      `(${elProfile.mfaSerial}); the read-only tier cannot reach it through your profiles ` +
      `(the role's trust policy must require aws:MultiFactorAuthPresent and not trust the read-only role)`,
  });
  return findings;
}
