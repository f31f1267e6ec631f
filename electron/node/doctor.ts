// `elevate doctor`: everything that can make a launch run with the wrong identity, or not at all.
import { selfElevationFindings } from '../../shared/selfElevation';
import { resolveChain } from '../../shared/awsConfig';
import { overridesPresent } from '../../shared/env';
import { IniSyntaxError } from '../../shared/ini';
import { loadContext, type CoreContext } from './context';
import { AwsFileError } from './awsFiles';
import { SettingsError } from './settingsStore';
import { parseAwsCliVersion, toolVersion, which, whichAll } from './which';
import { probeEc2, probeEcs } from './setupProbe';
import type { Env } from './paths';

export type CheckStatus = 'ok' | 'warn' | 'fail';
export interface Check {
  id: string;
  status: CheckStatus;
  message: string;
  fix?: string;
}

export type DoctorExtension = (ctx: CoreContext) => Promise<Check[]> | Check[];

const PLUGIN_HINT: Record<string, string> = {
  darwin: 'brew install --cask session-manager-plugin',
  linux:
    'download session-manager-plugin.deb (or .rpm) from the AWS Session Manager docs and install it with dpkg -i / rpm -i',
  win32: 'install SessionManagerPluginSetup.exe from the AWS Session Manager docs',
};

export async function runDoctor(
  env: Env = process.env,
  extensions: DoctorExtension[] = [],
): Promise<Check[]> {
  const checks: Check[] = [];
  let ctx: CoreContext | undefined;
  try {
    ctx = loadContext(env);
    checks.push({
      id: 'config-files',
      status: 'ok',
      message: `read ${ctx.setup.configPath} and ${ctx.setup.credentialsPath} (${ctx.setup.profiles.size} profiles)`,
    });
  } catch (err) {
    if (err instanceof IniSyntaxError || err instanceof AwsFileError || err instanceof SettingsError) {
      checks.push({
        id: 'config-files',
        status: 'fail',
        message: err.message,
        fix: 'fix the file at the line shown; Elevate never rewrites it for you',
      });
    } else throw err;
  }
  if (ctx) {
    for (const p of ctx.setup.problems) {
      checks.push({
        id: 'config-lint',
        status: p.severity,
        message: p.ref ? `${p.ref.file}:${p.ref.line}: ${p.message}` : p.message,
      });
    }
    const { readonly, elevated } = ctx.tiers;
    if (!readonly && !elevated) {
      checks.push({
        id: 'tiers',
        status: 'fail',
        message:
          'no tiers found: no claudecode-readonly/claudecode-elevated profiles, no source_profile pair, no "claude" profile',
        fix: 'add the two profiles to ~/.aws/config (see README) or set tiers in Elevate settings',
      });
    } else {
      checks.push({
        id: 'tiers',
        status: elevated ? 'ok' : 'warn',
        message: `read-only: ${readonly ?? '(none)'}, elevated: ${elevated ?? '(none)'} (${ctx.tiers.source})${ctx.tiers.notes.length ? `; ${ctx.tiers.notes.join('; ')}` : ''}`,
        ...(elevated
          ? {}
          : { fix: 'add a profile with source_profile = the read-only profile to enable elevation' }),
      });
    }
    for (const tier of ['readonly', 'elevated'] as const) {
      const name = ctx.tiers[tier];
      if (!name) continue;
      const r = resolveChain(ctx.setup.profiles, name);
      const brokenRoot = r.root === 'none' || r.root === 'broken';
      checks.push({
        id: `chain-${tier}`,
        status: r.problems.length || brokenRoot ? 'fail' : 'ok',
        message: `${r.chain.join(' → ')}${r.problems.length ? `: ${r.problems.join('; ')}` : brokenRoot ? ': no credentials at the root' : ''}`,
        ...(r.problems.length || brokenRoot
          ? { fix: `fix [profile ${name}] and its source profiles in ${ctx.setup.configPath}` }
          : {}),
      });
    }
    checks.push(...(await credentialSourceChecks(ctx, env)));
    // Issue 12 P2: can the read-only tier reach the elevated one without the human's MFA?
    checks.push(...selfElevationFindings(ctx.setup.profiles, ctx.tiers));
  }
  const overrides = overridesPresent(env);
  checks.push(
    overrides.length
      ? {
          id: 'env-overrides',
          status: 'warn',
          message: `set in this environment and would override the profile: ${overrides.join(', ')}; Elevate removes them from every launch`,
          fix: 'unset them in your shell rc (or use `eval "$(elevate env readonly --format sh)"`)',
        }
      : { id: 'env-overrides', status: 'ok', message: 'no variables that override the profile are set' },
  );
  checks.push(await awsCliCheck(env));
  const claude = which(ctx?.settings.claudePath ?? 'claude', env);
  checks.push(
    claude
      ? { id: 'claude', status: 'ok', message: `claude: ${claude}` }
      : {
          id: 'claude',
          status: 'fail',
          message: 'claude is not on PATH',
          fix: 'npm install -g @anthropic-ai/claude-code, or set claudePath in Elevate settings',
        },
  );
  const plugin = which('session-manager-plugin', env);
  checks.push(
    plugin
      ? {
          id: 'session-manager-plugin',
          status: 'ok',
          message:
            `session-manager-plugin: ${plugin} ${(await toolVersion(plugin, ['--version'], env)) ?? ''}`.trim(),
        }
      : {
          id: 'session-manager-plugin',
          status: 'warn',
          message: 'session-manager-plugin is not on PATH (needed only for SSM workstation sessions)',
          fix: PLUGIN_HINT[process.platform] ?? PLUGIN_HINT.linux,
        },
  );
  if (ctx) for (const ext of extensions) checks.push(...(await ext(ctx)));
  return checks;
}

async function awsCliCheck(env: Env): Promise<Check> {
  const all = whichAll('aws', env);
  const first = all[0];
  if (!first) {
    return {
      id: 'aws-cli',
      status: 'warn',
      message: 'aws CLI is not on PATH',
      fix: 'install AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)',
    };
  }
  const line = await toolVersion(first, ['--version'], env);
  const v = parseAwsCliVersion(line);
  if (!v)
    return {
      id: 'aws-cli',
      status: 'warn',
      message: `${first} did not report a version (${line ?? 'no output'})`,
    };
  if (v.major >= 2)
    return { id: 'aws-cli', status: 'ok', message: `aws ${v.version} at ${first} (the one launches run)` };
  let later = '';
  for (const other of all.slice(1)) {
    const ov = parseAwsCliVersion(await toolVersion(other, ['--version'], env));
    if (ov && ov.major >= 2) {
      later = `; AWS CLI ${ov.version} at ${other} is shadowed by it`;
      break;
    }
  }
  return {
    id: 'aws-cli',
    status: 'warn',
    message: `aws on PATH is AWS CLI v1 (${v.version}) at ${first}: that is what Claude and launches will run${later}`,
    fix: 'put AWS CLI v2 first on PATH (or remove v1, e.g. `pip uninstall awscli`); v1 lets AWS_ACCESS_KEY_ID win and cannot start SSM sessions the same way',
  };
}

/**
 * A tier rooted in credential_source = Ec2InstanceMetadata / EcsContainer works only where that endpoint
 * answers. Copied to a laptop, the chain looks fine and every AWS call fails with a metadata error: say so.
 */
async function credentialSourceChecks(ctx: CoreContext, env: Env): Promise<Check[]> {
  const bySource = new Map<string, string[]>();
  for (const tier of ['readonly', 'elevated'] as const) {
    const name = ctx.tiers[tier];
    if (!name) continue;
    const r = resolveChain(ctx.setup.profiles, name);
    const source = r.root === 'credential-source' ? r.chain[r.chain.length - 1] : undefined;
    if (source === 'Ec2InstanceMetadata' || source === 'EcsContainer')
      bySource.set(source, [...(bySource.get(source) ?? []), name]);
  }
  const checks: Check[] = [];
  const laptopFix =
    'on a laptop, run `elevate setup` (roles that trust your own credentials, profiles with source_profile), or replace credential_source with source_profile = <your profile>';
  for (const [source, names] of bySource) {
    const who = names.join(' and ');
    if (source === 'Ec2InstanceMetadata') {
      const probe = await probeEc2(env);
      checks.push(
        probe.kind === 'ec2'
          ? {
              id: 'credential-source',
              status: 'ok',
              message: `${who}: Ec2InstanceMetadata answers (${probe.instanceId ?? probe.endpoint})`,
            }
          : {
              id: 'credential-source',
              status: 'fail',
              message: `${who} get credentials from credential_source = Ec2InstanceMetadata, but the instance metadata service does not answer here (${probe.endpoint}: ${probe.reason}); every AWS call of these tiers will fail`,
              fix: /AWS_EC2_METADATA_DISABLED/.test(probe.reason)
                ? 'unset AWS_EC2_METADATA_DISABLED (the SDK and the AWS CLI will not ask the instance metadata service while it is set)'
                : `${laptopFix}; on EC2, enable the metadata service (HttpEndpoint enabled; hop limit 2 inside containers)`,
            },
      );
    } else {
      const probe = await probeEcs(env);
      checks.push(
        probe.ok
          ? { id: 'credential-source', status: 'ok', message: `${who}: EcsContainer answers (${probe.url})` }
          : {
              id: 'credential-source',
              status: 'fail',
              message: `${who} get credentials from credential_source = EcsContainer, but the container credentials endpoint does not answer (${probe.reason}); every AWS call of these tiers will fail`,
              fix: `${laptopFix}; in ECS, give the task a task role (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is set by ECS then)`,
            },
      );
    }
  }
  return checks;
}
