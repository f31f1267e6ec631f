// CloudFormation templates as data: the YAML short forms of the intrinsic functions (`!Ref`, `!Sub`,
// `!GetAtt a.b`, …) as `yaml` custom tags that resolve to their long forms (`{ Ref: … }`,
// `{ 'Fn::Sub': … }`, `{ 'Fn::GetAtt': [a, b] }`), and the template shape. One definition for the test
// endpoint's CloudFormation (cloudformation.ts), the IAM template loader (iamTemplate.ts) and the
// template unit tests; with the checks both template tests run on a template file (cfn-lint, packaging).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type CollectionTag, type ScalarTag } from 'yaml';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface CfnParameter {
  Type: string;
  Default?: Json;
  AllowedValues?: Json[];
  AllowedPattern?: string;
  NoEcho?: boolean;
}

export interface CfnTemplate {
  Parameters?: Record<string, CfnParameter>;
  Conditions?: Record<string, Json>;
  Resources: Record<string, { Type: string; Properties?: Record<string, Json>; Condition?: string }>;
  Outputs?: Record<string, { Value: Json; Description?: string; Condition?: string }>;
}

const FN: Record<string, string> = {
  '!Ref': 'Ref',
  '!Condition': 'Condition',
  '!GetAtt': 'Fn::GetAtt',
  '!Sub': 'Fn::Sub',
  '!If': 'Fn::If',
  '!Equals': 'Fn::Equals',
  '!Not': 'Fn::Not',
  '!And': 'Fn::And',
  '!Or': 'Fn::Or',
  '!Select': 'Fn::Select',
  '!Split': 'Fn::Split',
  '!Join': 'Fn::Join',
  '!Base64': 'Fn::Base64',
  '!GetAZs': 'Fn::GetAZs',
  '!ImportValue': 'Fn::ImportValue',
  '!FindInMap': 'Fn::FindInMap',
  '!Cidr': 'Fn::Cidr',
};

/** The `yaml` custom tags for CloudFormation's short intrinsic forms (`!Ref`, `!Sub`, `!GetAtt a.b`, …). */
export const cfnTags: (ScalarTag | CollectionTag)[] = Object.entries(FN).flatMap(([tag, key]) => [
  {
    tag,
    resolve: (str: string) => ({ [key]: key === 'Fn::GetAtt' ? str.split('.') : str }),
  } as ScalarTag,
  {
    tag,
    collection: 'seq',
    resolve: (seq: { toJSON(): unknown }) => ({ [key]: seq.toJSON() }),
  } as unknown as CollectionTag,
  {
    tag,
    collection: 'map',
    resolve: (map: { toJSON(): unknown }) => ({ [key]: map.toJSON() }),
  } as unknown as CollectionTag,
]);

/** A CloudFormation YAML text, short intrinsic forms resolved to their long forms (no validation). */
export function parseCfnTemplate(text: string): CfnTemplate {
  return parse(text, { customTags: cfnTags }) as CfnTemplate;
}

/** What an evaluator supplies to `evalIntrinsic`: its own Ref / GetAtt / Condition and recursion. */
export interface IntrinsicOps {
  ev(node: Json): Json;
  ref(name: string): Json;
  getAtt(resource: string, attr: string): Json;
  condition(name: string): boolean;
  /** Whether `${name}` in Fn::Sub is a pseudo parameter (so a dot in it is not `resource.attribute`). */
  isPseudo(name: string): boolean;
}

/** `evalIntrinsic`'s answer for a one-key object that is not one of its intrinsic functions. */
export const NOT_INTRINSIC: unique symbol = Symbol('not an intrinsic function');

/**
 * Evaluates the intrinsic function `fn` (a one-key object's key) with argument `v`: Ref, Condition,
 * Fn::GetAtt, Fn::Sub, Fn::If, Fn::Equals, Fn::Not, Fn::And, Fn::Or, Fn::Base64, Fn::Join, Fn::Select and
 * Fn::Split. Any other key: NOT_INTRINSIC (the caller evaluates the object as data, or models more).
 */
export function evalIntrinsic(fn: string, v: Json, ops: IntrinsicOps): Json | typeof NOT_INTRINSIC {
  const arr = (): Json[] => v as Json[];
  switch (fn) {
    case 'Ref':
      return ops.ref(v as string);
    case 'Condition':
      return ops.condition(v as string);
    case 'Fn::GetAtt': {
      const [res, attr] = Array.isArray(v) ? (v as string[]) : String(v).split('.');
      return ops.getAtt(res!, attr!);
    }
    case 'Fn::Sub': {
      const [tpl, vars] = Array.isArray(v)
        ? [v[0] as string, (v[1] ?? {}) as Record<string, Json>]
        : [v as string, {}];
      return tpl.replace(/\$\{(!?)([^}]+)\}/g, (_m, bang: string, name: string) => {
        if (bang) return `\${${name}}`;
        if (name in vars) return String(ops.ev(vars[name]!));
        const dot = name.indexOf('.');
        if (dot > 0 && !ops.isPseudo(name))
          return String(ops.getAtt(name.slice(0, dot), name.slice(dot + 1)));
        return String(ops.ref(name));
      });
    }
    case 'Fn::If': {
      const [cond, a, b] = v as [string, Json, Json];
      return ops.ev(ops.condition(cond) ? a : b);
    }
    case 'Fn::Equals':
      return String(ops.ev(arr()[0]!)) === String(ops.ev(arr()[1]!));
    case 'Fn::Not':
      return !ops.ev(arr()[0]!);
    case 'Fn::And':
      return arr().every((x) => Boolean(ops.ev(x)));
    case 'Fn::Or':
      return arr().some((x) => Boolean(ops.ev(x)));
    case 'Fn::Base64':
      return ops.ev(v);
    case 'Fn::Join':
      return (ops.ev(arr()[1]!) as Json[]).join(String(arr()[0]));
    case 'Fn::Select':
      return (ops.ev(arr()[1]!) as Json[])[Number(ops.ev(arr()[0]!))]!;
    case 'Fn::Split':
      return String(ops.ev(arr()[1]!)).split(String(arr()[0]));
  }
  return NOT_INTRINSIC;
}

/** Whether cfn-lint (the CloudFormation linter) is on PATH. */
export function cfnLintInstalled(): boolean {
  return spawnSync('cfn-lint', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Runs cfn-lint on a template file; throws (with its findings) when it reports anything. */
export function cfnLint(file: string): void {
  execFileSync('cfn-lint', [file], { stdio: 'pipe', timeout: 120_000 });
}

/** The `files` electron-builder.yml (in the repository root `root`) packs into the app. */
export function packagedFiles(root: string): string[] {
  return (parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { files: string[] }).files;
}
