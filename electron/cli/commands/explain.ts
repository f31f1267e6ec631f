// `elevate explain [--json] -- aws <service> <operation> …`: the IAM actions an aws command needs, their
// access level (AWS Service Authorization Reference via iam-data) and, per tier, allowed or denied with
// the policy statement that decides. A single quoted argument is read as a shell line
// (`elevate explain 'aws s3 ls && aws s3 mb s3://x'`). Offline: no AWS call, no SDK.
import {
  explainAws,
  formatExplanation,
  requestedActionsOf,
  type Explanation,
} from '../../../shared/iam/explain';
import { scanShell } from '../../../shared/iam/shell';
import { TIER_POLICIES } from '../../../shared/iam/tierPolicies';
import { loadCatalog } from '../../node/iam/catalog';
import { json, out, UsageError } from '../io';

export const usage =
  'elevate explain [--json] -- aws <service> <operation> [args…]   (or one quoted shell line)';

function stripAws(argv: string[]): string[] | null {
  const first = argv[0] ?? '';
  const base = first.slice(first.lastIndexOf('/') + 1);
  return base === 'aws' || base === 'aws.exe' ? argv.slice(1) : null;
}

export async function run(argv: string[]): Promise<number> {
  const dd = argv.indexOf('--');
  const opts = dd === -1 ? argv.filter((a) => a === '--json') : argv.slice(0, dd);
  const rest = dd === -1 ? argv.filter((a) => a !== '--json') : argv.slice(dd + 1);
  const unknown = opts.filter((o) => o !== '--json');
  if (unknown.length) throw new UsageError(`unknown option "${unknown[0]}"\nusage: ${usage}`);
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
  const results: Explanation[] = commands.map((c) => explainAws(c, catalog, TIER_POLICIES));
  if (opts.includes('--json')) {
    json(
      commands.length === 1 && !problems.length ? results[0] : { commands: results, notUnderstood: problems },
    );
    return 0;
  }
  out(results.map(formatExplanation).join('\n\n'));
  for (const p of problems) out(`not understood: ${p}`);
  return 0;
}
