// Builds the user's AWS profiles from the text of ~/.aws/config and ~/.aws/credentials, merged the way the
// AWS CLI and SDK merge them (credentials file values win), and resolves each profile's AssumeRole chain.
import type { AwsProfile, ProfileProblem, SourceRef } from './types';
import { parseIni, type IniDocument, type IniEntry } from './ini';

/** Keys whose values are secrets: parsed only to know they are present, never kept. */
export const SECRET_KEYS = new Set([
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'aws_security_token',
]);
export const VALID_CREDENTIAL_SOURCES = ['Environment', 'Ec2InstanceMetadata', 'EcsContainer'] as const;
export const ROLE_ARN_RE = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** Profile names the JavaScript SDK accepts in a `[profile NAME]` header. */
const SDK_PROFILE_NAME_RE = /^[\w\-@+.%:/]+$/;

export interface AwsFileText {
  path: string;
  /** null when the file does not exist. */
  text: string | null;
}

export interface AwsSetup {
  configPath: string;
  credentialsPath: string;
  profiles: Map<string, AwsProfile>;
  /** File-level findings (duplicate sections, ignored sections, key case...). */
  problems: ProfileProblem[];
}

interface RawProfile {
  name: string;
  sources: SourceRef[];
  values: Map<string, { value: string; ref: SourceRef }>;
  secretKeys: Set<string>;
}

function profileNameFromConfigHeader(
  header: string,
): { name: string; quoted: boolean } | null | 'not-profile' {
  if (header === 'default') return { name: 'default', quoted: false };
  const m = /^(\S+)\s+(.+)$/.exec(header);
  if (!m) return null;
  const prefix = m[1];
  let name = (m[2] ?? '').trim();
  if (prefix === 'sso-session' || prefix === 'services') return 'not-profile';
  if (prefix !== 'profile') return null;
  let quoted = false;
  const q = /^(["'])(.*)\1$/.exec(name);
  if (q) {
    name = q[2] ?? '';
    quoted = true;
  }
  return { name, quoted };
}

function addEntries(raw: RawProfile, entries: IniEntry[], file: string): void {
  for (const e of entries) {
    if (e.parent) continue; // nested service settings (s3 = ...) are not profile credentials settings
    if (SECRET_KEYS.has(e.key)) {
      raw.secretKeys.add(e.key);
      continue;
    }
    raw.values.set(e.key, { value: e.value, ref: { file, line: e.line } });
  }
}

function collect(
  doc: IniDocument,
  file: string,
  kind: 'config' | 'credentials',
  raws: Map<string, RawProfile>,
  problems: ProfileProblem[],
): void {
  const seen = new Map<string, number>();
  // The profile whose section holds a line (file findings are listed with that profile too). Issues and
  // sections are both in line order: one pass.
  let si = -1;
  const profileAt = (line: number): string => {
    while (si + 1 < doc.sections.length && (doc.sections[si + 1]?.line ?? Infinity) <= line) si++;
    const header = doc.sections[si]?.header;
    if (header === undefined) return '';
    if (kind === 'credentials') return header;
    const parsed = profileNameFromConfigHeader(header);
    return parsed && parsed !== 'not-profile' ? parsed.name : '';
  };
  for (const issue of doc.issues) {
    problems.push({
      profile: profileAt(issue.line),
      severity: issue.severity,
      message: issue.message,
      ref: { file, line: issue.line },
    });
  }
  for (const section of doc.sections) {
    const ref = { file, line: section.line };
    let name: string;
    if (section.header === 'DEFAULT') {
      // configparser's default section: the AWS CLI applies its keys to every profile of the file.
      const keys = section.entries
        .filter((e) => !e.parent)
        .map((e) => (SECRET_KEYS.has(e.key) ? `${e.key} (secret)` : e.key));
      problems.push({
        profile: 'DEFAULT',
        severity: 'warn',
        message: `[DEFAULT] is special to the AWS CLI: its keys (${keys.join(', ') || 'none'}) apply to every profile in ${file} that does not set them; the JavaScript SDK (Claude Code) ${kind === 'config' ? 'ignores the section' : 'reads it as a profile named "DEFAULT"'}. Fix: move the keys into the profiles that need them (or [default])`,
        ref,
      });
      if (kind === 'config') continue;
    }
    if (kind === 'config') {
      const spaced = /^profile(\s+)\S/.exec(section.header);
      if (spaced && spaced[1] !== ' ' && spaced[1] !== '\t') {
        problems.push({
          profile: section.header.replace(/^profile\s+/, ''),
          severity: 'warn',
          message: `[${section.header}] has more than one space after "profile": the AWS CLI reads profile "${section.header.replace(/^profile\s+/, '')}", the JavaScript SDK (Claude Code) ignores the section. Fix: write [profile ${section.header.replace(/^profile\s+/, '')}]`,
          ref,
        });
      }
      const parsed = profileNameFromConfigHeader(section.header);
      if (parsed === 'not-profile') continue;
      if (parsed === null) {
        problems.push({
          profile: section.header,
          severity: 'warn',
          message: `section [${section.header}] in the config file is ignored: profiles there are written [profile ${section.header}]`,
          ref,
        });
        continue;
      }
      name = parsed.name;
      if (name !== 'default' && !SDK_PROFILE_NAME_RE.test(name)) {
        problems.push({
          profile: name,
          severity: 'warn',
          message: `profile name "${name}" has characters (spaces, quotes or non-ASCII) that the AWS SDK for JavaScript cannot load, so Claude Code cannot use it; the AWS CLI can`,
          ref,
        });
      }
    } else {
      name = section.header;
      if (/^profile\s/.test(name)) {
        problems.push({
          profile: name,
          severity: 'warn',
          message: `[${name}] in the credentials file names a profile literally called "${name}"; the credentials file uses [NAME] without "profile"`,
          ref,
        });
      }
    }
    const key = `${name}`;
    const prev = seen.get(key);
    if (prev !== undefined) {
      problems.push({
        profile: name,
        severity: 'warn',
        message: `profile "${name}" is defined twice in ${file} (lines ${prev} and ${section.line}); the AWS CLI rejects duplicate sections, the SDK merges them`,
        ref,
      });
    } else {
      seen.set(key, section.line);
    }
    let raw = raws.get(name);
    if (!raw) {
      raw = { name, sources: [], values: new Map(), secretKeys: new Set() };
      raws.set(name, raw);
    }
    raw.sources.push(ref);
    addEntries(raw, section.entries, file);
  }
}

function toProfile(raw: RawProfile, problems: ProfileProblem[]): AwsProfile {
  const get = (k: string): string | undefined => raw.values.get(k)?.value;
  const profile: AwsProfile = {
    name: raw.name,
    sources: raw.sources,
    hasStaticKeys: raw.secretKeys.has('aws_access_key_id') && raw.secretKeys.has('aws_secret_access_key'),
    secretKeys: [...raw.secretKeys].sort(),
  };
  const assign = <K extends keyof AwsProfile>(field: K, key: string): void => {
    const v = get(key);
    if (v !== undefined) (profile as unknown as Record<string, unknown>)[field] = v;
  };
  assign('roleArn', 'role_arn');
  assign('sourceProfile', 'source_profile');
  assign('credentialSource', 'credential_source');
  assign('roleSessionName', 'role_session_name');
  assign('region', 'region');
  assign('mfaSerial', 'mfa_serial');
  assign('externalId', 'external_id');
  assign('credentialProcess', 'credential_process');
  const duration = raw.values.get('duration_seconds');
  if (duration) {
    const n = Number(duration.value);
    if (Number.isInteger(n) && n >= 900 && n <= 43200) profile.durationSeconds = n;
    else
      problems.push({
        profile: raw.name,
        severity: 'fail',
        message: `duration_seconds "${duration.value}" must be a whole number of seconds from 900 to 43200`,
        ref: duration.ref,
      });
  }
  const sso: Record<string, string> = {};
  for (const [k, field] of [
    ['sso_session', 'session'],
    ['sso_start_url', 'startUrl'],
    ['sso_region', 'region'],
    ['sso_account_id', 'accountId'],
    ['sso_role_name', 'roleName'],
  ] as const) {
    const v = get(k);
    if (v !== undefined) sso[field] = v;
  }
  if (Object.keys(sso).length > 0) profile.sso = sso;
  return profile;
}

/** Parse both files. Throws IniSyntaxError (with file and line) for a malformed file. */
export function buildAwsSetup(config: AwsFileText, credentials: AwsFileText): AwsSetup {
  const problems: ProfileProblem[] = [];
  const raws = new Map<string, RawProfile>();
  if (config.text !== null)
    collect(parseIni(config.text, config.path), config.path, 'config', raws, problems);
  if (credentials.text !== null)
    collect(parseIni(credentials.text, credentials.path), credentials.path, 'credentials', raws, problems);
  const profiles = new Map<string, AwsProfile>();
  for (const raw of raws.values()) profiles.set(raw.name, toProfile(raw, problems));
  return { configPath: config.path, credentialsPath: credentials.path, profiles, problems };
}

export interface ChainResult {
  /** Profile names from this one to the root, then the root's credential_source if any. */
  chain: string[];
  problems: string[];
  /** What finally provides credentials at the root. */
  root: 'static-keys' | 'credential-source' | 'sso' | 'credential-process' | 'none' | 'broken';
}

/** Resolve the AssumeRole chain of one profile, as the SDK would walk it. */
export function resolveChain(profiles: Map<string, AwsProfile>, start: string): ChainResult {
  const chain: string[] = [];
  const problems: string[] = [];
  const visited = new Set<string>();
  let name: string | undefined = start;
  while (name !== undefined) {
    const p = profiles.get(name);
    if (!p) {
      problems.push(
        chain.length === 0
          ? `profile "${name}" does not exist`
          : `source_profile "${name}" (from "${chain[chain.length - 1]}") does not exist`,
      );
      return { chain, problems, root: 'broken' };
    }
    if (visited.has(name)) {
      const cycleStart = chain.indexOf(name);
      const cycle = [...chain.slice(cycleStart), name].join(' → ');
      problems.push(`source_profile cycle: ${cycle}`);
      return { chain, problems, root: 'broken' };
    }
    visited.add(name);
    chain.push(name);
    if (p.roleArn !== undefined && !ROLE_ARN_RE.test(p.roleArn)) {
      problems.push(
        `role_arn of "${name}" is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME): "${p.roleArn}"`,
      );
    }
    if (
      p.credentialSource !== undefined &&
      !(VALID_CREDENTIAL_SOURCES as readonly string[]).includes(p.credentialSource)
    ) {
      problems.push(
        `credential_source "${p.credentialSource}" of "${name}" is unknown (use ${VALID_CREDENTIAL_SOURCES.join(', ')})`,
      );
    }
    if (p.roleArn === undefined) {
      if (p.sourceProfile !== undefined || p.credentialSource !== undefined) {
        problems.push(
          `"${name}" has ${p.sourceProfile !== undefined ? 'source_profile' : 'credential_source'} but no role_arn`,
        );
      }
      if (p.hasStaticKeys) return { chain, problems, root: 'static-keys' };
      if (p.sso) return { chain, problems, root: 'sso' };
      if (p.credentialProcess) return { chain, problems, root: 'credential-process' };
      if (chain.length > 1) problems.push(`"${name}" is used as source_profile but provides no credentials`);
      return { chain, problems, root: 'none' };
    }
    if (p.sourceProfile !== undefined && p.credentialSource !== undefined) {
      problems.push(`"${name}" sets both source_profile and credential_source; use one`);
      return { chain, problems, root: 'broken' };
    }
    if (p.credentialSource !== undefined) {
      chain.push(p.credentialSource);
      return { chain, problems, root: 'credential-source' };
    }
    if (p.sourceProfile === undefined) {
      problems.push(`"${name}" has role_arn but neither source_profile nor credential_source`);
      return { chain, problems, root: 'broken' };
    }
    // A role profile whose source_profile is itself uses its own static keys (allowed by CLI and SDK).
    if (p.sourceProfile === name && p.hasStaticKeys) return { chain, problems, root: 'static-keys' };
    name = p.sourceProfile;
  }
  return { chain, problems, root: 'broken' };
}
