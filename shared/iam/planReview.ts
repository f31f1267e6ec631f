// Plan review, the AWS side (pure): every `aws` command in plan.md (fenced code blocks and inline code)
// with its IAM actions, access level, the lowest tier that allows it, destructive actions marked, and
// the commands that could not be understood listed as such (never dropped). For `elevate handoff` and
// the window's plan view; the catalog comes from electron/node/iam (reviewPlan()).
import type { Tier } from '../types';
import { TIERS } from '../types';
import { parseAwsCommand } from './awsArgv';
import { commandActions, resolveActions, type ResourceHint } from './actions';
import { scanShell } from './shell';
import { evaluate, type NamedPolicy } from './policy';
import { isReadLevel, type AccessLevel, type ActionCatalog } from './types';

export interface PlanAction {
  action: string;
  accessLevel: AccessLevel | null;
  resources: ResourceHint[];
  /** The lowest tier whose policy allows it (null: none, as deployed). */
  tier: Tier | null;
  /** Why it is marked destructive (null: not destructive). */
  destructive: string | null;
}

export interface PlanCommand {
  /** 1-based line in plan.md. */
  line: number;
  source: 'fenced' | 'inline';
  text: string;
  actions: PlanAction[];
  notes: string[];
}

export interface PlanUnparsed {
  line: number;
  source: 'fenced' | 'inline';
  text: string;
  reason: string;
}

export interface PlanAwsReview {
  commands: PlanCommand[];
  unparsed: PlanUnparsed[];
  /** Every action Read/List and every command understood. */
  noElevationNeeded: boolean;
  /** Unique `prefix:Action` names of the understood commands (input of planSessionPolicy). */
  actions: string[];
  /** Resources named per action (absent: any resource). */
  resources: Record<string, string[]>;
  destructive: string[];
}

const DESTRUCTIVE: Array<[RegExp, string]> = [
  [/^[^:]+:(Delete|Terminate|Purge|Remove|Detach|Revoke|Deregister|Disassociate)/, 'deletes or detaches'],
  [/^[^:]+:Put[A-Za-z]*Policy$/, 'replaces a policy'],
  [/^kms:(Schedule|Disable)/, 'makes a KMS key unusable'],
  [/^(iam|organizations|sso|account):/, 'changes identities or accounts'],
];

export function destructiveReason(action: string, level: AccessLevel | null): string | null {
  for (const [re, why] of DESTRUCTIVE) {
    if (!re.test(action)) continue;
    // iam:Get*/List* are reads: not destructive.
    if (why === 'changes identities or accounts' && isReadLevel(level)) continue;
    return why;
  }
  if (level === 'Permissions management') return 'changes permissions';
  return null;
}

interface Snippet {
  line: number;
  source: 'fenced' | 'inline';
  text: string;
}

/** Shell lines of fenced blocks (continuations joined, `$ ` prompts dropped) and inline code spans. */
export function planSnippets(planText: string): Snippet[] {
  const out: Snippet[] = [];
  const lines = planText.split(/\r?\n/);
  let fence: string | null = null;
  let pending: Snippet | null = null;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(raw);
    if (fence === null && m) {
      fence = m[1]!;
      continue;
    }
    if (fence !== null) {
      if (raw.trim().startsWith(fence) && raw.trim().replace(/[`~]/g, '') === '') {
        if (pending) out.push(pending);
        pending = null;
        fence = null;
        continue;
      }
      const text = raw.replace(/^\s*(\$|%|>|PS>)\s+/, '');
      if (pending) pending.text += `\n${text}`;
      else pending = { line: i + 1, source: 'fenced', text };
      if (!/\\$/.test(text)) {
        if (pending.text.trim()) out.push(pending);
        pending = null;
      }
      continue;
    }
    for (const span of raw.matchAll(/(`+)([^`]+?)\1(?!`)/g)) {
      const text = span[2]!.trim();
      if (/(^|[\s/;&|(])aws(\s|$)/.test(text)) out.push({ line: i + 1, source: 'inline', text });
    }
  }
  if (pending?.text.trim()) out.push(pending);
  return out;
}

/** The `prefix:Action` names the plan's commands need (what the catalog loader must read). */
export function planActionNames(planText: string): string[] {
  const names = new Set<string>();
  for (const s of planSnippets(planText))
    for (const c of scanShell(s.text).calls)
      for (const a of commandActions(parseAwsCommand(c.argv)).actions) names.add(a.action);
  return [...names];
}

export function planAwsReview(
  planText: string,
  catalog: ActionCatalog,
  tierPolicies: Readonly<Record<Tier, readonly NamedPolicy[]>>,
): PlanAwsReview {
  const commands: PlanCommand[] = [];
  const unparsed: PlanUnparsed[] = [];
  for (const s of planSnippets(planText)) {
    const scan = scanShell(s.text);
    for (const p of scan.problems) unparsed.push({ ...s, reason: p });
    for (const call of scan.calls) {
      const req = commandActions(parseAwsCommand(call.argv));
      if (req.kind === 'local') continue;
      if (req.kind === 'unknown') {
        unparsed.push({ ...s, text: call.text, reason: req.notes.join('; ') || 'not mapped to IAM actions' });
        continue;
      }
      const actions = resolveActions(req.actions, catalog).map((a): PlanAction => {
        const tier =
          TIERS.find((t) =>
            (a.resources.length ? a.resources.map((r) => r.arn) : [undefined]).every(
              (r) => evaluate(tierPolicies[t], a.action, r).decision === 'allowed',
            ),
          ) ?? null;
        return {
          action: a.action,
          accessLevel: a.accessLevel,
          resources: a.resources,
          tier,
          destructive: destructiveReason(a.action, a.accessLevel),
        };
      });
      const unknown = actions.filter((a) => a.accessLevel === null);
      if (unknown.length)
        unparsed.push({
          ...s,
          text: call.text,
          reason: `not in the IAM catalog: ${unknown.map((a) => a.action).join(', ')}`,
        });
      const notes = [...req.notes];
      if (call.viaXargs) notes.push('run by xargs: arguments added at run time');
      if (call.hasExpansion) notes.push('holds shell expansions: resources not known until run time');
      commands.push({ line: s.line, source: s.source, text: call.text, actions, notes });
    }
  }
  const all = commands.flatMap((c) => c.actions);
  const actions = [...new Set(all.filter((a) => a.accessLevel !== null).map((a) => a.action))].sort();
  const resources: Record<string, string[]> = {};
  for (const name of actions) {
    const uses = all.filter((a) => a.action === name);
    // Scoped only when every use names its resources; one use on any resource makes it `*`.
    if (uses.every((u) => u.resources.length > 0))
      resources[name] = [...new Set(uses.flatMap((u) => u.resources.map((r) => r.arn)))].sort();
  }
  return {
    commands,
    unparsed,
    noElevationNeeded:
      commands.length > 0 && unparsed.length === 0 && all.every((a) => isReadLevel(a.accessLevel)),
    actions,
    resources,
    destructive: [...new Set(all.filter((a) => a.destructive).map((a) => a.action))].sort(),
  };
}

/** Text for `elevate handoff` / the approval dialog. */
export function formatPlanAwsReview(r: PlanAwsReview): string {
  const lines: string[] = [];
  if (!r.commands.length && !r.unparsed.length) return 'No aws commands found in the plan.';
  for (const c of r.commands) {
    lines.push(`line ${c.line}: ${c.text}`);
    for (const a of c.actions) {
      const res = a.resources.length ? ` on ${a.resources.map((x) => x.arn).join(', ')}` : '';
      const tier = a.tier ? `${a.tier} tier` : 'no tier allows it';
      lines.push(
        `  ${a.destructive ? '!! ' : '   '}${a.action}  ${a.accessLevel ?? 'unknown'}  (${tier})${res}`,
      );
      if (a.destructive) lines.push(`       destructive: ${a.destructive}`);
    }
    for (const n of c.notes) lines.push(`     note: ${n}`);
  }
  for (const u of r.unparsed)
    lines.push(`line ${u.line}: NOT UNDERSTOOD: ${u.text.split('\n')[0]} (${u.reason})`);
  if (r.noElevationNeeded) lines.push('No elevation needed: every action is Read/List.');
  else if (r.destructive.length) lines.push(`Destructive: ${r.destructive.join(', ')}`);
  return lines.join('\n');
}
