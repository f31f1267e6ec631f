// Every divergence between the AWS CLI's config reader (botocore: Python configparser) and the JavaScript
// SDK's (@smithy parseIni, used by Claude Code) that Elevate reports is proven here with BOTH real readers
// on the same file: /usr/bin/aws `configure get` and the SDK's loadSharedConfigFiles disagree, and Elevate
// reports the file, the line, what each reader does and the fix.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { buildAwsSetup } from '../../shared/awsConfig';

const AWS = '/usr/bin/aws';
const hasAws = existsSync(AWS);

interface Case {
  name: string;
  config: string;
  profile: string;
  key: string;
  /** What the AWS CLI prints for `configure get KEY`, or an error. */
  cli: string | { error: RegExp };
  /** What the SDK loads for profile.key (undefined: not set). */
  sdk: string | undefined;
  line: number;
  problem: RegExp;
}

const CASES: Case[] = [
  {
    name: 'a line indented under a key is a continuation for the CLI, a key for the SDK',
    config: '[profile dev]\nsource_profile = base\n  region = eu-west-1\n',
    profile: 'dev',
    key: 'source_profile',
    cli: 'base\nregion = eu-west-1',
    sdk: 'base',
    line: 3,
    problem:
      /indented under "source_profile" \(line 2\): the AWS CLI reads it as a continuation.*"region" is not set.*JavaScript SDK.*Fix: remove the indentation of line 3/,
  },
  {
    name: 'the same, seen from the indented key',
    config: '[profile dev]\nsource_profile = base\n\tregion = eu-west-1\n',
    profile: 'dev',
    key: 'region',
    cli: { error: /^$/ },
    sdk: 'eu-west-1',
    line: 3,
    problem: /indented under "source_profile"/,
  },
  {
    name: '"key: value" is a key for the CLI, ignored by the SDK',
    config: '[profile dev]\nregion: eu-west-1\n',
    profile: 'dev',
    key: 'region',
    cli: 'eu-west-1',
    sdk: undefined,
    line: 2,
    problem:
      /uses ":": the AWS CLI reads it as region = eu-west-1, the JavaScript SDK .* ignores the line\. Fix: write "region = eu-west-1"/,
  },
  {
    name: 'a key set twice: the CLI refuses the file, the SDK takes the last',
    config: '[profile dev]\nregion = eu-west-1\nregion = us-east-1\n',
    profile: 'dev',
    key: 'region',
    cli: { error: /Unable to parse config file/ },
    sdk: 'us-east-1',
    line: 3,
    problem:
      /"region" is set twice in \[profile dev\] \(lines 2 and 3\): the AWS CLI refuses the whole file.*SDK uses the last value/,
  },
  {
    name: '[DEFAULT] applies to every profile for the CLI, is ignored by the SDK',
    config: '[DEFAULT]\nregion = eu-west-3\n[profile dev]\noutput = json\n',
    profile: 'dev',
    key: 'region',
    cli: 'eu-west-3',
    sdk: undefined,
    line: 1,
    problem:
      /\[DEFAULT\] is special to the AWS CLI: its keys \(region\) apply to every profile.*SDK .* ignores the section/,
  },
  {
    name: '[profile  dev] with two spaces is a profile for the CLI, ignored by the SDK',
    config: '[profile  dev]\nregion = eu-west-1\n',
    profile: 'dev',
    key: 'region',
    cli: 'eu-west-1',
    sdk: undefined,
    line: 1,
    problem:
      /more than one space after "profile": the AWS CLI reads profile "dev", the JavaScript SDK .* ignores the section\. Fix: write \[profile dev\]/,
  },
  {
    name: 'an inline comment is part of the value for the CLI, dropped by the SDK',
    config: '[profile dev]\nregion = eu-west-1 # eu\n',
    profile: 'dev',
    key: 'region',
    cli: 'eu-west-1 # eu',
    sdk: 'eu-west-1',
    line: 2,
    problem: /inline comment after "region": the AWS CLI reads it as part of the value/,
  },
  {
    name: 'a key that is not lower-case: the CLI lower-cases it, the SDK does not see it',
    config: '[profile dev]\nRegion = eu-west-1\n',
    profile: 'dev',
    key: 'region',
    cli: 'eu-west-1',
    sdk: undefined,
    line: 2,
    problem: /key "Region" is not lower-case: the AWS CLI accepts it but the JavaScript SDK .* ignores it/,
  },
  {
    name: 'a section defined twice: the CLI refuses the file, the SDK merges',
    config: '[profile dev]\nregion = eu-west-1\n[profile dev]\noutput = json\n',
    profile: 'dev',
    key: 'region',
    cli: { error: /Unable to parse config file/ },
    sdk: 'eu-west-1',
    line: 3,
    problem: /defined twice .*the AWS CLI rejects duplicate sections, the SDK merges them/,
  },
];

describe('AWS CLI (botocore) vs JavaScript SDK config readers: every reported divergence is real', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'elevate-divergence-'));
  const empty = path.join(dir, 'credentials');
  writeFileSync(empty, '');
  CASES.forEach((c, i) => {
    it.skipIf(!hasAws)(`${c.name} (skipped: ${AWS} not installed)`, async () => {
      const file = path.join(dir, `config-${i}`);
      writeFileSync(file, c.config);
      const env: Record<string, string> = {
        PATH: '/usr/bin:/bin',
        HOME: dir,
        AWS_CONFIG_FILE: file,
        AWS_SHARED_CREDENTIALS_FILE: empty,
      };
      const r = spawnSync(AWS, ['configure', 'get', c.key, '--profile', c.profile], {
        env,
        encoding: 'utf8',
      });
      const sdk = await loadSharedConfigFiles({ configFilepath: file, filepath: empty, ignoreCache: true });
      const sdkValue = sdk.configFile[c.profile]?.[c.key];
      if (typeof c.cli === 'string') {
        expect(r.status).toBe(0);
        expect(r.stdout.replace(/\n$/, '')).toBe(c.cli);
      } else {
        expect(r.status).not.toBe(0);
        expect(r.stderr.trim()).toMatch(c.cli.error);
      }
      expect(sdkValue).toBe(c.sdk);
      if (c.key === 'region' && typeof c.cli !== 'string' && c.cli.error.source === '^$') {
        // `aws configure list` agrees: the profile has no region for the AWS CLI.
        const list = spawnSync(AWS, ['configure', 'list', '--profile', c.profile], { env, encoding: 'utf8' });
        expect(list.stdout).toMatch(/^\s*region\s+<not set>/m);
      }
      if (c.key === 'region' && c.cli === 'eu-west-3') {
        const list = spawnSync(AWS, ['configure', 'list', '--profile', c.profile], { env, encoding: 'utf8' });
        expect(list.stdout).toMatch(new RegExp(`^\\s*region\\s+eu-west-3\\s+config-file\\s+${file}`, 'm'));
      }
      // The two readers really disagree on this file...
      expect(JSON.stringify(typeof c.cli === 'string' ? c.cli : 'error')).not.toBe(
        JSON.stringify(sdkValue ?? null),
      );
      // ...and Elevate says so, with the file and line.
      const setup = buildAwsSetup({ path: file, text: c.config }, { path: empty, text: '' });
      const found = setup.problems.find((p) => c.problem.test(p.message));
      expect(found, setup.problems.map((p) => p.message).join('\n')).toBeDefined();
      expect(found?.ref).toEqual({ file, line: c.line });
    });
  });

  it('a nested block (s3 = then indented sub-keys) is read alike and not reported', async () => {
    const setup = buildAwsSetup(
      {
        path: 'c',
        text: '[profile dev]\ns3 =\n  addressing_style = path\n  max_concurrent_requests = 4\nregion = eu-west-1\n',
      },
      { path: 'k', text: null },
    );
    expect(setup.problems).toEqual([]);
    expect(setup.profiles.get('dev')?.region).toBe('eu-west-1');
  });

  it('an indented first key and keys at the same indentation are not continuations', () => {
    const setup = buildAwsSetup(
      { path: 'c', text: '[profile dev]\n  region = eu-west-1\n  output = json\n# c\n    x = 1\n' },
      { path: 'k', text: null },
    );
    expect(setup.problems).toEqual([]);
  });
});

describe('divergences in the profile views (profiles --json, the window)', () => {
  it('a finding inside a profile section is listed with that profile, with file and line', async () => {
    const { profileViews } = await import('../../shared/tiers');
    const setup = buildAwsSetup(
      {
        path: '/c/config',
        text: '[profile base]\nregion = eu-west-1\n[profile dev]\nsource_profile = base\n  region = eu-west-1\n',
      },
      { path: '/c/credentials', text: null },
    );
    const views = profileViews(
      setup.profiles,
      { readonly: null, elevated: null, source: 'none', notes: [] },
      setup.problems,
    );
    expect(views.find((v) => v.name === 'base')?.problems).toEqual([]);
    expect(views.find((v) => v.name === 'dev')?.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/c\/config:5: line 5 is indented under "source_profile"/),
      ]),
    );
  });
});
