// Claude settings: reading (JSONC), Claude's merge precedence, doctor checks, and the minimal edit to
// .claude/settings.local.json (comments, order and unknown keys kept; invalid files never touched).
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseJsonc } from 'jsonc-parser';
import {
  applyLocalFix,
  claudeSettingsChecks,
  claudeSettingsDoctor,
  ClaudeSettingsError,
  envConflicts,
  isAwsBashRule,
  managedSettingsPath,
  mergeSettings,
  parseSettingsText,
  planLocalFix,
  readClaudeSettings,
  unifiedDiff,
  type ClaudeSettings,
} from '../../electron/node/claudeSettings';
import { runDoctor } from '../../electron/node/doctor';

const ROOT = join(__dirname, '..', '..');
let dir: string;
let project: string;
let env: Record<string, string>;

function write(file: string, text: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}
const userFile = (): string => join(dir, 'claude-config', 'settings.json');
const projectFile = (): string => join(project, '.claude', 'settings.json');
const localFile = (): string => join(project, '.claude', 'settings.local.json');
const managedFile = (): string => join(dir, 'managed', 'managed-settings.json');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'elevate-claude-settings-'));
  project = join(dir, 'my project');
  mkdirSync(project, { recursive: true });
  mkdirSync(join(dir, 'empty-bin'));
  env = {
    HOME: join(dir, 'home'),
    CLAUDE_CONFIG_DIR: join(dir, 'claude-config'),
    ELEVATE_HOME: join(dir, 'elevate'),
    AWS_CONFIG_FILE: join(dir, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
    PATH: join(dir, 'empty-bin'),
  };
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('reading and merging', () => {
  it('merges with Claude precedence managed > cli > local > project > user; arrays concatenate', () => {
    write(
      userFile(),
      '{ "model": "user", "theme": "dark", "permissions": { "allow": ["Read", "Bash(git *)"] }, "env": { "A": "user", "U": "1" } }',
    );
    write(
      projectFile(),
      '{ "model": "project", "permissions": { "allow": ["Bash(npm *)", "Read"], "deny": ["Bash(rm *)"] }, "env": { "A": "project" } }',
    );
    write(localFile(), '// personal\n{ "model": "local", "env": { "A": "local" }, }');
    write(managedFile(), '{ "model": "managed", "permissions": { "deny": ["Bash(curl *)"] } }');
    const s = readClaudeSettings(env, {
      cwd: project,
      managedPath: managedFile(),
      cliSettings: { model: 'cli', permissions: { allow: ['Edit'] } },
    });
    expect(s.layers.map((l) => [l.scope, l.exists])).toEqual([
      ['managed', true],
      ['cli', true],
      ['local', true],
      ['project', true],
      ['user', true],
    ]);
    expect(s.merged.model).toBe('managed');
    expect(s.merged.theme).toBe('dark');
    expect(s.merged.env).toEqual({ A: 'local', U: '1' });
    expect(s.merged.permissions).toEqual({
      allow: ['Read', 'Bash(git *)', 'Bash(npm *)', 'Edit'],
      deny: ['Bash(rm *)', 'Bash(curl *)'],
    });
    // Without managed and CLI layers the local file wins.
    const s2 = readClaudeSettings(env, { cwd: project, managedPath: null });
    expect(s2.merged.model).toBe('local');
    expect(s2.layers.find((l) => l.scope === 'managed')?.exists).toBe(false);
  });

  it('mergeSettings: scalars from the later layer, nested objects merged, arrays concatenated without duplicates', () => {
    expect(
      mergeSettings([
        { a: 1, o: { x: [1, 2], k: 'low' } },
        null,
        { a: 2, o: { x: [2, 3] } },
        { o: { k: 'high' } },
      ]),
    ).toEqual({
      a: 2,
      o: { x: [1, 2, 3], k: 'high' },
    });
  });

  it('reads the user file from CLAUDE_CONFIG_DIR and tolerates comments and trailing commas', () => {
    write(userFile(), '{\n  /* block */\n  "env": { "X": "1", }, // trailing\n}\n');
    const s = readClaudeSettings(env, { cwd: project, managedPath: null });
    expect(s.layers.find((l) => l.scope === 'user')).toMatchObject({ path: userFile(), exists: true });
    expect(s.merged).toEqual({ env: { X: '1' } });
  });

  it('reports invalid JSON with file, line and column', () => {
    write(projectFile(), '{\n  "a": 1,\n  "b": ,\n}\n');
    let err: unknown;
    try {
      readClaudeSettings(env, { cwd: project, managedPath: null });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ClaudeSettingsError);
    expect(err).toMatchObject({ file: projectFile(), line: 3, column: 8 });
    expect((err as Error).message).toContain(
      `${projectFile()}, line 3, column 8: invalid JSON (ValueExpected)`,
    );
    expect(() => parseSettingsText('[1, 2]', 'f.json')).toThrow('the top level must be a JSON object');
  });

  it('knows the managed-settings.json path per OS (Claude Code docs)', () => {
    expect(managedSettingsPath('darwin')).toBe(
      '/Library/Application Support/ClaudeCode/managed-settings.json',
    );
    expect(managedSettingsPath('linux')).toBe('/etc/claude-code/managed-settings.json');
    expect(managedSettingsPath('win32', {})).toBe('C:\\ProgramData\\ClaudeCode\\managed-settings.json');
    expect(managedSettingsPath('win32', { ProgramData: 'D:\\PD' })).toBe(
      'D:\\PD\\ClaudeCode\\managed-settings.json',
    );
  });
});

describe('doctor checks', () => {
  const settingsOf = (
    layers: Array<[ClaudeSettings['layers'][number]['scope'], Record<string, unknown>]>,
  ): ClaudeSettings => {
    const all = layers.map(([scope, data]) => ({
      scope,
      path: `/${scope}/settings.json`,
      exists: true,
      data,
    }));
    return { layers: all, merged: mergeSettings([...all].reverse().map((l) => l.data)) };
  };
  const tiers = { readonly: 'claudecode-readonly', elevated: 'claudecode-elevated' };

  it('recognises aws Bash rules in current and older syntax only', () => {
    for (const r of [
      'Bash(aws *)',
      'Bash(aws:*)',
      'Bash(aws s3 ls:*)',
      ' Bash(aws sts get-caller-identity) ',
    ])
      expect(isAwsBashRule(r)).toBe(true);
    for (const r of ['Bash(awsume *)', 'Bash(npm *)', 'Read(aws)', 'Bash', 'Bash(git aws *)'])
      expect(isAwsBashRule(r)).toBe(false);
  });

  it('AWS_PROFILE in a settings env block conflicts with every tier it differs from, naming the file that wins', () => {
    const s = settingsOf([
      ['local', { env: { AWS_PROFILE: 'claudecode-readonly' } }],
      ['user', { env: { AWS_PROFILE: 'prod-admin' } }],
    ]);
    expect(envConflicts(s, 'readonly', 'claudecode-readonly')).toEqual([]);
    expect(envConflicts(s, 'elevated', 'claudecode-elevated')).toMatchObject([
      { name: 'AWS_PROFILE', value: 'claudecode-readonly', scope: 'local' },
    ]);
    const checks = claudeSettingsChecks({ settings: s, tiers, bedrock: { enabled: false } });
    expect(checks.find((c) => c.id === 'claude-env-readonly')?.status).toBe('ok');
    const el = checks.find((c) => c.id === 'claude-env-elevated');
    expect(el?.status).toBe('fail');
    expect(el?.message).toContain('/local/settings.json sets AWS_PROFILE=claudecode-readonly');
    expect(el?.fix).toContain('elevate claude-settings --apply');
  });

  it("an AWS_PROFILE written by Elevate's own tier switch is a warning for the other tier, not a failure", () => {
    const s = settingsOf([['local', { env: { AWS_PROFILE: 'claudecode-readonly' } }]]);
    const checks = claudeSettingsChecks({
      settings: s,
      tiers,
      bedrock: { enabled: false },
      managedFiles: ['/local/settings.json'],
    });
    expect(checks.find((c) => c.id === 'claude-env-readonly')?.status).toBe('ok');
    const el = checks.find((c) => c.id === 'claude-env-elevated');
    expect(el).toMatchObject({ status: 'warn' });
    expect(el?.message).toContain('written by Elevate');
    expect(el?.fix).toContain('elevate switch elevated');
    // The same value in a file Elevate does not manage is a failure.
    const other = claudeSettingsChecks({
      settings: s,
      tiers,
      bedrock: { enabled: false },
      managedFiles: ['/user/settings.json'],
    });
    expect(other.find((c) => c.id === 'claude-env-elevated')?.status).toBe('fail');
  });

  it('any override variable in an env block is a conflict, and its value is never printed', () => {
    const s = settingsOf([
      [
        'project',
        { env: { AWS_ACCESS_KEY_ID: 'AKIASECRETVALUE00001', AWS_SECRET_ACCESS_KEY: 'shh-very-secret' } },
      ],
    ]);
    const checks = claudeSettingsChecks({ settings: s, tiers, bedrock: { enabled: false } });
    for (const id of ['claude-env-readonly', 'claude-env-elevated']) {
      const c = checks.find((x) => x.id === id);
      expect(c?.status).toBe('fail');
      expect(c?.message).toContain('sets AWS_ACCESS_KEY_ID');
      expect(c?.message).toContain('sets AWS_SECRET_ACCESS_KEY');
    }
    expect(JSON.stringify(checks)).not.toMatch(/AKIASECRETVALUE00001|shh-very-secret/);
  });

  it('Bedrock on without AWS_REGION warns; a region from Claude env, Elevate settings or the profile is ok', () => {
    const on = settingsOf([['user', { env: { CLAUDE_CODE_USE_BEDROCK: '1' } }]]);
    const warn = claudeSettingsChecks({ settings: on, tiers, bedrock: { enabled: false } }).find(
      (c) => c.id === 'claude-bedrock-region',
    );
    expect(warn).toMatchObject({ status: 'warn' });
    expect(warn?.message).toContain('CLAUDE_CODE_USE_BEDROCK in Claude settings');
    const viaProfile = claudeSettingsChecks({
      settings: on,
      tiers,
      bedrock: { enabled: false },
      profileRegions: { readonly: 'eu-west-1', elevated: 'eu-west-1' },
    });
    expect(viaProfile.find((c) => c.id === 'claude-bedrock-region')?.status).toBe('ok');
    const viaElevate = claudeSettingsChecks({
      settings: settingsOf([]),
      tiers,
      bedrock: { enabled: true, region: 'us-west-2' },
    });
    expect(viaElevate.find((c) => c.id === 'claude-bedrock-region')).toMatchObject({ status: 'ok' });
    const viaClaude = claudeSettingsChecks({
      settings: settingsOf([['user', { env: { CLAUDE_CODE_USE_BEDROCK: 'true', AWS_REGION: 'us-east-2' } }]]),
      tiers,
      bedrock: { enabled: false },
    });
    expect(viaClaude.find((c) => c.id === 'claude-bedrock-region')?.message).toContain(
      'Claude settings (us-east-2)',
    );
    // Only one tier lacks a region.
    const partly = claudeSettingsChecks({
      settings: settingsOf([]),
      tiers,
      bedrock: { enabled: true },
      profileRegions: { readonly: 'eu-west-1' },
    });
    expect(partly.find((c) => c.id === 'claude-bedrock-region')?.message).toContain(
      'no AWS_REGION for elevated (claudecode-elevated)',
    );
    // Bedrock off everywhere: no check at all.
    expect(
      claudeSettingsChecks({ settings: settingsOf([]), tiers, bedrock: { enabled: false } }).some(
        (c) => c.id === 'claude-bedrock-region',
      ),
    ).toBe(false);
  });

  it('permissions.allow: ok with an aws rule from any layer, warn without', () => {
    const yes = claudeSettingsChecks({
      settings: settingsOf([['user', { permissions: { allow: ['Bash(aws:*)'] } }]]),
      tiers,
      bedrock: { enabled: false },
    });
    expect(yes.find((c) => c.id === 'claude-aws-permission')).toMatchObject({
      status: 'ok',
      message: 'permissions.allow has Bash(aws:*)',
    });
    const no = claudeSettingsChecks({
      settings: settingsOf([['user', { permissions: { allow: ['Read'] } }]]),
      tiers,
      bedrock: { enabled: false },
    });
    expect(no.find((c) => c.id === 'claude-aws-permission')?.status).toBe('warn');
  });

  it('runs inside runDoctor as an extension and reports an invalid file as a failed check', async () => {
    writeFileSync(env.AWS_CONFIG_FILE as string, '[profile claudecode-readonly]\nregion = eu-west-1\n');
    write(
      projectFile(),
      '{ "env": { "AWS_PROFILE": "other" }, "permissions": { "allow": ["Bash(aws *)"] } }',
    );
    const checks = await runDoctor(env, [claudeSettingsDoctor({ cwd: project, managedPath: null })]);
    expect(checks.find((c) => c.id === 'claude-env-readonly')).toMatchObject({ status: 'fail' });
    expect(checks.find((c) => c.id === 'claude-aws-permission')).toMatchObject({ status: 'ok' });
    // Elevate's default settings have Bedrock on; the profile's region satisfies it.
    expect(checks.find((c) => c.id === 'claude-bedrock-region')).toMatchObject({ status: 'ok' });
    write(localFile(), '{ "env": { ');
    const bad = await runDoctor(env, [claudeSettingsDoctor({ cwd: project, managedPath: null })]);
    const c = bad.find((x) => x.id === 'claude-settings');
    expect(c?.status).toBe('fail');
    expect(c?.message).toContain(`${localFile()}, line 1`);
  });
});

describe('the minimal fix to .claude/settings.local.json', () => {
  const ORIGINAL = `{
  // personal overrides, do not commit
  "model": "opus",
  "zzzUnknown": { "nested": [1, 2, 3] },
  "permissions": {
    "allow": [
      "Read", // always
      "Bash(npm run *)"
    ],
    "deny": ["Bash(rm -rf *)"]
  },
  "env": {
    "AWS_PROFILE": "prod-admin",
    "FOO": "bar" /* keep */
  },
  "aaaUnknown": true
}
`;

  it('adds Bash(aws *), removes env.AWS_PROFILE, keeps comments, key order and unknown keys', () => {
    write(localFile(), ORIGINAL);
    const plan = planLocalFix(env, { cwd: project, managedPath: null });
    expect(plan.changed).toBe(true);
    expect(plan.changes).toEqual([
      'add "Bash(aws *)" to permissions.allow',
      'remove env.AWS_PROFILE (prod-admin): Elevate sets the profile per launch',
    ]);
    expect(plan.after).toBe(`{
  // personal overrides, do not commit
  "model": "opus",
  "zzzUnknown": { "nested": [1, 2, 3] },
  "permissions": {
    "allow": [
      "Read", // always
      "Bash(npm run *)",
      "Bash(aws *)"
    ],
    "deny": ["Bash(rm -rf *)"]
  },
  "env": {
    "FOO": "bar" /* keep */
  },
  "aaaUnknown": true
}
`);
    // Semantically: everything but the two changes is identical.
    const before = parseJsonc(ORIGINAL) as Record<string, unknown>;
    const after = parseJsonc(plan.after) as Record<string, unknown>;
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(after.zzzUnknown).toEqual(before.zzzUnknown);
    expect(after.aaaUnknown).toBe(true);
    expect(plan.diff).toBe(`--- ${localFile()}
+++ ${localFile()}
@@ -5,12 +5,12 @@
   "permissions": {
     "allow": [
       "Read", // always
-      "Bash(npm run *)"
+      "Bash(npm run *)",
+      "Bash(aws *)"
     ],
     "deny": ["Bash(rm -rf *)"]
   },
   "env": {
-    "AWS_PROFILE": "prod-admin",
     "FOO": "bar" /* keep */
   },
   "aaaUnknown": true
`);
    // Planning writes nothing.
    expect(readFileSync(localFile(), 'utf8')).toBe(ORIGINAL);
  });

  it('--apply writes atomically and leaves the previous bytes in a backup beside the file', () => {
    write(localFile(), ORIGINAL);
    const plan = planLocalFix(env, { cwd: project, managedPath: null });
    const r = applyLocalFix(plan);
    expect(r).toEqual({ written: true, backup: `${localFile()}.elevate-bak` });
    expect(readFileSync(`${localFile()}.elevate-bak`, 'utf8')).toBe(ORIGINAL);
    expect(readFileSync(localFile(), 'utf8')).toBe(plan.after);
    // No temp files left behind.
    expect(readdir(join(project, '.claude'))).toEqual([
      'settings.local.json',
      'settings.local.json.elevate-bak',
    ]);
    // A second run has nothing to do and writes nothing.
    const again = planLocalFix(env, { cwd: project, managedPath: null });
    expect(again.changed).toBe(false);
    expect(applyLocalFix(again)).toEqual({ written: false });
  });

  it('creates the file (0600, no backup) when there is none', () => {
    const plan = planLocalFix(env, { cwd: project, managedPath: null });
    expect(plan.exists).toBe(false);
    expect(plan.after).toBe('{\n  "permissions": {\n    "allow": [\n      "Bash(aws *)"\n    ]\n  }\n}\n');
    expect(plan.diff.split('\n').slice(0, 3)).toEqual([
      '--- /dev/null',
      `+++ ${localFile()}`,
      '@@ -0,0 +1,7 @@',
    ]);
    expect(applyLocalFix(plan)).toEqual({ written: true });
    expect(statSync(localFile()).mode & 0o777).toBe(0o600);
    expect(existsSync(`${localFile()}.elevate-bak`)).toBe(false);
  });

  it('does not add a rule when another file already allows aws (older syntax counts); tabs are kept', () => {
    write(userFile(), '{ "permissions": { "allow": ["Bash(aws:*)"] } }');
    const tabbed = '{\n\t"env": {\n\t\t"AWS_PROFILE": "x",\n\t\t"B": "1"\n\t}\n}';
    write(localFile(), tabbed);
    const plan = planLocalFix(env, { cwd: project, managedPath: null });
    expect(plan.changes).toEqual(['remove env.AWS_PROFILE (x): Elevate sets the profile per launch']);
    expect(plan.after).toBe('{\n\t"env": {\n\t\t"B": "1"\n\t}\n}');
    expect(plan.notes).toContain('an aws Bash rule is already allowed: Bash(aws:*)');
  });

  it('leaves env.AWS_PROFILE alone in a file that `elevate switch` manages', () => {
    write(localFile(), '{\n  "env": { "AWS_PROFILE": "claudecode-readonly" }\n}\n');
    const plan = planLocalFix(env, { cwd: project, managedPath: null, managedFiles: [localFile()] });
    expect(plan.changes).toEqual(['add "Bash(aws *)" to permissions.allow']);
    expect(parseJsonc(plan.after)).toMatchObject({ env: { AWS_PROFILE: 'claudecode-readonly' } });
    expect(plan.notes.join('\n')).toContain('kept in step with the active tier by `elevate switch`');
  });

  it('nothing to change: no write, file bytes and mtime unchanged', () => {
    const text = '{"permissions":{"allow":["Bash(aws *)"]}}';
    write(localFile(), text);
    const before = statSync(localFile()).mtimeMs;
    const plan = planLocalFix(env, { cwd: project, managedPath: null });
    expect(plan).toMatchObject({ changed: false, diff: '', changes: [] });
    expect(applyLocalFix(plan)).toEqual({ written: false });
    expect(readFileSync(localFile(), 'utf8')).toBe(text);
    expect(statSync(localFile()).mtimeMs).toBe(before);
  });

  it('notes AWS_PROFILE and override variables it does not edit (other files), without their secret values', () => {
    write(projectFile(), '{ "env": { "AWS_PROFILE": "team", "AWS_SECRET_ACCESS_KEY": "do-not-print" } }');
    const plan = planLocalFix(env, { cwd: project, managedPath: null });
    expect(plan.notes.join('\n')).toContain(`${projectFile()} also sets env.AWS_PROFILE=team`);
    expect(plan.notes.join('\n')).toContain(`${projectFile()} sets AWS_SECRET_ACCESS_KEY in env`);
    expect(JSON.stringify(plan)).not.toContain('do-not-print');
  });

  it('invalid JSON: clear error with line, file byte-identical, no backup', () => {
    const broken = Buffer.from('{\n  "permissions": { "allow": ["Read",, ] }\n}\n\u00e9', 'utf8');
    write(localFile(), '');
    writeFileSync(localFile(), broken);
    expect(() => planLocalFix(env, { cwd: project, managedPath: null })).toThrow(`${localFile()}, line 2`);
    expect(readFileSync(localFile()).equals(broken)).toBe(true);
    expect(existsSync(`${localFile()}.elevate-bak`)).toBe(false);
  });

  it('refuses to write when the file changed after planning', () => {
    write(localFile(), '{}');
    const plan = planLocalFix(env, { cwd: project, managedPath: null });
    writeFileSync(localFile(), '{"changed": true}');
    expect(() => applyLocalFix(plan)).toThrow('the file changed while Elevate was planning');
    expect(readFileSync(localFile(), 'utf8')).toBe('{"changed": true}');
  });

  it('unifiedDiff: equal texts give an empty diff; distant changes give separate hunks', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', 'f')).toBe('');
    const a = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n');
    const b = a.replace('l2', 'L2').replace('l17', 'L17');
    const d = unifiedDiff(`${a}\n`, `${b}\n`, 'f');
    expect(d.match(/^@@ .* @@$/gm)).toEqual(['@@ -1,6 +1,6 @@', '@@ -15,6 +15,6 @@']);
  });
});

describe('elevate claude-settings (spawned CLI)', () => {
  function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [join(ROOT, 'bin', 'elevate.cjs'), 'claude-settings', ...args],
        { env },
        (err, stdout, stderr) => {
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
        },
      );
    });
  }

  it('invalid JSON with --apply: exit 2, {error} with file and line, bytes unchanged', async () => {
    const broken = Buffer.from('{ "a": 1 }\n{ "b": 2 }\n');
    write(localFile(), '');
    writeFileSync(localFile(), broken);
    const r = await cli(['--cwd', project, '--apply', '--json']);
    expect(r.code).toBe(2);
    const body = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('claude-settings-invalid');
    expect(body.error.message).toContain(`${localFile()}, line 2`);
    expect(body.error.message).toContain('the file was not changed');
    expect(readFileSync(localFile()).equals(broken)).toBe(true);
  });

  it('shows a diff, writes only with --apply, then says there is nothing to change', async () => {
    write(localFile(), '{\n  "env": { "AWS_PROFILE": "x" }\n}\n');
    const show = await cli(['--cwd', project]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('-  "env": { "AWS_PROFILE": "x" }');
    expect(show.stdout).toContain('run again with --apply');
    expect(readFileSync(localFile(), 'utf8')).toBe('{\n  "env": { "AWS_PROFILE": "x" }\n}\n');
    const apply = await cli(['--cwd', project, '--apply', '--json']);
    expect(apply.code).toBe(0);
    expect(JSON.parse(apply.stdout)).toMatchObject({
      changed: true,
      applied: true,
      backup: `${localFile()}.elevate-bak`,
    });
    const done = await cli(['--cwd', project]);
    expect(done.stdout).toContain(`nothing to change in ${localFile()}`);
  });
});

function readdir(p: string): string[] {
  return readdirSync(p).sort();
}
