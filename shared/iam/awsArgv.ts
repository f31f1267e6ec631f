// The argv of one `aws` CLI v2 call (without argv[0]) as a structured command (pure). Unlike
// shared/activity.ts's parseAwsArgv (which keeps no values, for the activity log), this keeps parameter
// values: the action model needs bucket names, keys and ids to name resources. Nothing here is logged.

/** aws CLI v2 global options that take a value (`aws --region X s3 ls`). */
export const GLOBAL_VALUE_OPTIONS: ReadonlySet<string> = new Set([
  '--region',
  '--profile',
  '--output',
  '--query',
  '--endpoint-url',
  '--color',
  '--ca-bundle',
  '--cli-read-timeout',
  '--cli-connect-timeout',
  '--cli-binary-format',
]);

/** Global switches (no value). */
export const GLOBAL_SWITCH_OPTIONS: ReadonlySet<string> = new Set([
  '--debug',
  '--no-verify-ssl',
  '--no-paginate',
  '--no-sign-request',
  '--no-cli-pager',
  '--cli-auto-prompt',
  '--no-cli-auto-prompt',
  '--version',
  '--help',
]);

/**
 * Operation switches that take no value, so the next word is not theirs (`aws s3 cp --recursive a b`).
 * `--no-*` switches are recognised by their prefix.
 */
const SWITCHES: ReadonlySet<string> = new Set([
  '--recursive',
  '--dryrun',
  '--dry-run',
  '--quiet',
  '--force',
  '--delete',
  '--exact-timestamps',
  '--size-only',
  '--follow-symlinks',
  '--only-show-errors',
  '--human-readable',
  '--summarize',
  '--request-payer',
  '--force-glacier-transfer',
  '--ignore-glacier-warnings',
  '--follow',
  '--generate-cli-skeleton',
  '--all',
  '--include-all-instances',
  '--with-decryption',
  '--force-delete-without-recovery',
  '--skip-final-snapshot',
  '--apply-immediately',
  '--disable-rollback',
  '--fail-on-empty-changeset',
  '--no-fail-on-empty-changeset',
  '--no-execute-changeset',
  '--overwrite',
  '--allow-overwrite',
  '--paginate',
]);

/** Parameters whose content the CLI reads as the request itself: the model cannot see what they ask for. */
export const OPAQUE_INPUT_OPTIONS: ReadonlySet<string> = new Set(['--cli-input-json', '--cli-input-yaml']);

export interface AwsCommand {
  /** CLI service (`s3`, `s3api`, `ec2`), null for `aws --version`, `aws help`. */
  service: string | null;
  /** CLI operation (`ls`, `put-object`), null when absent. */
  operation: string | null;
  /** Words after the operation that are not parameter values (s3 high-level paths, waiter names). */
  positionals: string[];
  /** Operation parameters by name (`--bucket` → ['b']); a switch has an empty list. */
  params: Record<string, string[]>;
  /** Global options given (`--region` → 'eu-west-1'; switches → ''). */
  globals: Record<string, string>;
  /** `--help` / `help` anywhere, or `--generate-cli-skeleton`: the CLI answers locally. */
  help: boolean;
  /** Parameters the model cannot interpret (`--cli-input-json`): the request is partly unknown. */
  unknownParams: string[];
}

function isSwitch(name: string): boolean {
  return SWITCHES.has(name) || name.startsWith('--no-');
}

export function parseAwsCommand(argv: readonly string[]): AwsCommand {
  const out: AwsCommand = {
    service: null,
    operation: null,
    positionals: [],
    params: {},
    globals: {},
    help: false,
    unknownParams: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i] ?? '';
    if (tok.startsWith('--') && tok.length > 2) {
      const eq = tok.indexOf('=');
      const name = eq === -1 ? tok : tok.slice(0, eq);
      const inline = eq === -1 ? undefined : tok.slice(eq + 1);
      if (name === '--help' || name === '--generate-cli-skeleton') out.help = true;
      if (GLOBAL_VALUE_OPTIONS.has(name)) {
        const v = inline ?? argv[++i] ?? '';
        out.globals[name] = v;
        continue;
      }
      if (GLOBAL_SWITCH_OPTIONS.has(name)) {
        out.globals[name] = '';
        continue;
      }
      if (OPAQUE_INPUT_OPTIONS.has(name) && !out.unknownParams.includes(name)) out.unknownParams.push(name);
      const values = (out.params[name] ??= []);
      if (inline !== undefined) {
        values.push(inline);
        continue;
      }
      if (isSwitch(name)) continue;
      // A plural parameter takes a list (`--instance-ids i-1 i-2`); others one word, so positionals after
      // them stay positionals (`aws s3api get-object --bucket b --key k out.txt`, `aws s3 cp --acl x a b`).
      const list = out.service !== 's3' && name.endsWith('s');
      while (i + 1 < argv.length && !(argv[i + 1]!.startsWith('--') && argv[i + 1]!.length > 2)) {
        values.push(argv[++i]!);
        if (!list) break;
      }
      continue;
    }
    if (tok === 'help') {
      out.help = true;
      continue;
    }
    if (out.service === null) out.service = tok;
    else if (out.operation === null) out.operation = tok;
    else out.positionals.push(tok);
  }
  return out;
}

/** First value of a parameter, if given. */
export function param(cmd: AwsCommand, name: string): string | undefined {
  return cmd.params[name]?.[0];
}
