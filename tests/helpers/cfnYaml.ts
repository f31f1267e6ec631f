// CloudFormation templates as data: the YAML short forms of the intrinsic functions (`!Ref`, `!Sub`,
// `!GetAtt a.b`, …) as `yaml` custom tags that resolve to their long forms (`{ Ref: … }`,
// `{ 'Fn::Sub': … }`, `{ 'Fn::GetAtt': [a, b] }`), and the template shape. One definition for the test
// endpoint's CloudFormation (cloudformation.ts), the IAM template loader (iamTemplate.ts) and the
// template unit tests.
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
