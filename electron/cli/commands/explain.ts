// `elevate explain [--json] -- aws <service> <operation> …`: the IAM actions an aws command needs, their
// access level (AWS Service Authorization Reference via iam-data) and, per tier, allowed or denied with
// the policy statement that decides. A single quoted argument is read as a shell line
// (`elevate explain 'aws s3 ls && aws s3 mb s3://x'`). The tiers' policies: the known managed policies, or
// when a tier profile assumes a role, that role's own policies (read once with the read-only tier's
// credentials and cached 24 h in $ELEVATE_HOME/iam-cache.json; electron/node/iam/rolePolicies.ts).
import {
  explainAws,
  formatExplanation,
  requestedActionsOf,
  type Explanation,
} from '../../../shared/iam/explain';
import { scanShell } from '../../../shared/iam/shell';
import { TIERS } from '../../../shared/types';
import { effectiveTierPolicies, type RoleRead } from '../../../shared/iam/tierPolicies';
import { loadContext } from '../../node/context';
import { tierRolePolicies } from '../../node/iam/rolePolicies';
import { loadCatalog } from '../../node/iam/catalog';
import { parse } from '../args';
import { defineCommand, usageOf } from '../help';
import { json, out, UsageError } from '../io';

export const spec = defineCommand({
  name: 'explain',
  usage: ['explain [--json] -- aws <service> <operation> [args…]   (or one quoted shell line)'],
  args: [
    ['aws <service> <operation> …', 'the aws command line to explain (after "--": never read as options)'],
    ["'aws … && aws …'", 'one quoted shell line: every aws call in it'],
  ],
  options: {
    json: { type: 'boolean', help: 'print the explanation as JSON' },
    refresh: { type: 'boolean', help: "read the tier roles' policies from IAM again (cached 24 h)" },
  },
  examples: [
    [
      'elevate explain -- aws s3 mb s3://my-bucket',
      'the IAM actions, their access level, and which tier allows them',
    ],
    [
      "elevate explain --json 'aws s3 ls && aws iam create-user --user-name x'",
      'every aws call of a shell line, as JSON',
    ],
  ],
  notes:
    'Put "--" before the aws command: everything after it belongs to the aws command (--help included), never to Elevate. When a tier profile assumes a role, its attached/inline policies are read once from IAM with the read-only tier\'s credentials and cached for 24 h; otherwise no AWS call.',
});
export const usage = usageOf(spec);

function stripAws(argv: string[]): string[] | null {
  const first = argv[0] ?? '';
  const base = first.slice(first.lastIndexOf('/') + 1);
  return base === 'aws' || base === 'aws.exe' ? argv.slice(1) : null;
}

export async function run(argv: string[]): Promise<number> {
  // Elevate's options: before "--", or (without "--") before the first word of the aws command, plus a
  // --json anywhere after it (aws has no --json; the form kept from before). After "--": the aws command's.
  const dd = argv.indexOf('--');
  const first = argv.findIndex((a) => !a.startsWith('-'));
  const end = dd !== -1 ? dd : first === -1 ? argv.length : first;
  const { values, positionals } = parse(argv.slice(0, end), spec);
  if (positionals.length)
    throw new UsageError(`unexpected argument "${positionals[0]}" before "--"\nusage: ${usage}`);
  let rest = argv.slice(dd !== -1 ? dd + 1 : end);
  let asJson = Boolean(values.json);
  if (dd === -1 && rest.includes('--json')) {
    asJson = true;
    rest = rest.filter((a) => a !== '--json');
  }
  let commands: string[][];
  const problems: string[] = [];
  if (rest.length === 1 && /\s/.test(rest[0]!)) {
    const scan = scanShell(rest[0]!);
    commands = scan.calls.map((c) => c.argv);
    problems.push(...scan.problems);
    if (!commands.length && !problems.length)
      throw new UsageError(`no aws command found in "${rest[0]}"\nusage: ${usage}`);
  } else {
    const a = stripAws(rest);
    if (!a) throw new UsageError(`expected an aws command after "--"\nusage: ${usage}`);
    commands = [a];
  }
  const catalog = loadCatalog(commands.flatMap((c) => requestedActionsOf(c).actions.map((x) => x.action)));
  let reads: Partial<Record<(typeof TIERS)[number], RoleRead>> = {};
  try {
    reads = await tierRolePolicies(loadContext(), { refresh: Boolean(values.refresh) });
  } catch {
    // no usable AWS setup: the known managed policies
  }
  const { policies, sources } = effectiveTierPolicies(reads);
  const results: Explanation[] = commands.map((c) => explainAws(c, catalog, policies));
  if (asJson) {
    json(
      commands.length === 1 && !problems.length
        ? { ...results[0], policySources: sources }
        : { commands: results, notUnderstood: problems, policySources: sources },
    );
    return 0;
  }
  out(results.map(formatExplanation).join('\n\n'));
  for (const p of problems) out(`not understood: ${p}`);
  out('policies evaluated:');
  for (const t of TIERS) out(`  ${t.padEnd(8)} ${sources[t].text}`);
  return 0;
}
