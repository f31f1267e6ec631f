// `elevate explain -- aws …` (pure part): the actions of one aws command, their access level, and for
// each tier whether its effective policy allows them and which statement decides.
import type { Tier } from '../types';
import { TIERS } from '../types';
import { parseAwsCommand } from './awsArgv';
import { commandActions, resolveActions, type ResolvedAction } from './actions';
import { describeStatement, evaluate, type Decision, type NamedPolicy } from './policy';
import { isReadLevel, type ActionCatalog } from './types';

export interface ExplainedAction extends ResolvedAction {
  /** Per tier: the decision for the action (on its first named resource, or any resource). */
  tiers: Record<Tier, Decision & { statementText: string }>;
}

export interface Explanation {
  command: string;
  kind: 'aws' | 'local' | 'unknown';
  actions: ExplainedAction[];
  /** The lowest tier that allows every action (null: none / unknown). */
  tierNeeded: Tier | null;
  /** Every action is Read/List: no elevation needed. */
  readOnly: boolean;
  notes: string[];
}

/** The `aws` argv (without `aws`) → actions needed, as a request for the catalog loader. */
export function requestedActionsOf(argv: readonly string[]) {
  return commandActions(parseAwsCommand(argv));
}

export function explainAws(
  argv: readonly string[],
  catalog: ActionCatalog,
  tierPolicies: Readonly<Record<Tier, readonly NamedPolicy[]>>,
): Explanation {
  const req = requestedActionsOf(argv);
  const notes = [...req.notes];
  const resolved = resolveActions(req.actions, catalog);
  const actions: ExplainedAction[] = resolved.map((a) => {
    const tiers = {} as ExplainedAction['tiers'];
    for (const t of TIERS) {
      const d = evaluate(tierPolicies[t], a.action, a.resources[0]?.arn);
      tiers[t] = { ...d, statementText: describeStatement(d.statement) };
    }
    return { ...a, tiers };
  });
  for (const a of actions)
    if (a.accessLevel === null)
      notes.push(`${a.action}: not in the IAM catalog (iam-data); access level unknown`);
  const known = req.kind === 'aws' && actions.length > 0 && actions.every((a) => a.accessLevel !== null);
  const tierNeeded =
    req.kind === 'aws' && actions.length > 0
      ? (TIERS.find((t) => actions.every((a) => a.tiers[t].decision === 'allowed')) ?? null)
      : null;
  return {
    command: ['aws', ...argv].join(' '),
    kind: req.kind,
    actions,
    tierNeeded,
    readOnly: known && actions.every((a) => isReadLevel(a.accessLevel)),
    notes,
  };
}

export function formatExplanation(e: Explanation): string {
  const lines = [e.command];
  if (e.kind === 'local') lines.push('  no AWS call (answered by the CLI)');
  for (const a of e.actions) {
    lines.push(`  ${a.action}  ${a.accessLevel ?? 'unknown access level'}`);
    if (a.resources.length) lines.push(`    resources: ${a.resources.map((r) => r.arn).join(', ')}`);
    for (const t of TIERS) {
      const d = a.tiers[t];
      lines.push(`    ${t.padEnd(8)} ${d.decision.padEnd(7)}  ${d.statementText}`);
    }
  }
  if (e.kind === 'aws')
    lines.push(
      e.readOnly
        ? '  no elevation needed (Read/List only)'
        : e.tierNeeded
          ? `  needs the ${e.tierNeeded} tier`
          : '  no Elevate tier allows all of it as deployed',
    );
  for (const n of e.notes) lines.push(`  note: ${n}`);
  return lines.join('\n');
}
