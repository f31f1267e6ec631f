// `elevate policy-hints`: the denied aws calls of Elevate sessions, grouped by tier, as least-privilege IAM
// statements. A write denied under read-only is a reason to hand off (plan.md → approval → elevated), never
// to widen the read-only role; those writes are offered for the elevated role instead.
import {
  buildPolicyHints,
  policyDocument,
  type DeniedEntry,
  type PolicyHints,
} from '../../../shared/activity';
import { readActivity } from '../../node/activity';
import { loadContext } from '../../node/context';
import { parse } from '../args';
import { defineCommand, usageOf } from '../help';
import { json, out, UsageError } from '../io';

export const spec = defineCommand({
  name: 'policy-hints',
  usage: ['policy-hints [--session ID] [--json]'],
  options: {
    session: { type: 'string', arg: 'ID', help: 'only denials of this session' },
    json: { type: 'boolean', help: 'print the policy documents as JSON' },
  },
  examples: [['elevate policy-hints', 'least-privilege statements for what was denied, by tier']],
});
export const usage = usageOf(spec);

function entryLine(e: DeniedEntry): string {
  const res = e.resources.filter((r) => r !== '*');
  return `    ${e.action}  ×${e.count}${e.commands.length ? `  (aws ${e.commands.join(', aws ')})` : ''}${res.length ? `  on ${res.join(', ')}` : ''}${e.inferred ? '  [inferred from the operation]' : ''}`;
}

function tierProfiles(): { readonly?: string | null; elevated?: string | null } {
  try {
    const ctx = loadContext();
    return { readonly: ctx.tiers.readonly, elevated: ctx.tiers.elevated };
  } catch {
    return {};
  }
}

export function renderHints(
  h: PolicyHints,
  profiles: { readonly?: string | null; elevated?: string | null },
): string {
  const lines: string[] = [];
  const label = (t: string) =>
    t === 'readonly'
      ? `read-only tier${profiles.readonly ? ` (role behind profile ${profiles.readonly})` : ''}`
      : t === 'elevated'
        ? `elevated tier${profiles.elevated ? ` (role behind profile ${profiles.elevated})` : ''}`
        : 'calls outside a tier';
  for (const t of h.tiers) {
    lines.push(`${label(t.tier)}: ${t.denied.length} denied action(s)`);
    if (t.statements.length) {
      lines.push(
        t.tier === 'readonly'
          ? '  read actions you could allow on the READ-ONLY role (least privilege):'
          : `  actions you could allow on the ${t.tier === 'elevated' ? 'ELEVATED' : ''} role (least privilege):`,
      );
      for (const l of JSON.stringify(policyDocument(t.statements), null, 2).split('\n'))
        lines.push(`    ${l}`);
    }
    if (t.handoff.length) {
      lines.push(
        '  writes denied under read-only: this is the read-only role working. Hand off instead (the agent writes',
        '  plan.md, you approve it, Elevate runs it elevated); do NOT add these to the read-only role:',
      );
      for (const e of t.handoff) lines.push(entryLine(e));
    }
    if (t.sensitive.length) {
      lines.push('  reads of secret material, left out of the read-only suggestion on purpose:');
      for (const e of t.sensitive) lines.push(entryLine(e));
    }
    if (t.explicit.length) {
      lines.push(
        '  explicit denies: an Allow will not help; the Deny is in an SCP, permissions boundary, session or resource policy:',
      );
      for (const e of t.explicit) lines.push(entryLine(e));
    }
    lines.push('');
  }
  if (h.elevatedForHandoff.length) {
    lines.push(
      `if the elevated role${profiles.elevated ? ` (profile ${profiles.elevated})` : ''} cannot do the handed-off writes either, this is the statement it needs:`,
    );
    for (const l of JSON.stringify(policyDocument(h.elevatedForHandoff), null, 2).split('\n'))
      lines.push(`  ${l}`);
  }
  return lines.join('\n').trimEnd();
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, spec);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
  const records = readActivity(process.env, { sessionId: values.session });
  const hints = buildPolicyHints(records);
  const profiles = tierProfiles();
  if (values.json) {
    json({
      profiles,
      tiers: hints.tiers.map((t) => ({
        ...t,
        policy: t.statements.length ? policyDocument(t.statements) : null,
      })),
      elevatedForHandoff: hints.elevatedForHandoff.length ? policyDocument(hints.elevatedForHandoff) : null,
    });
    return 0;
  }
  if (!hints.tiers.length) {
    out(`no denied aws calls recorded (${records.length} call(s) in the activity log)`);
    return 0;
  }
  out(renderHints(hints, profiles));
  return 0;
}
