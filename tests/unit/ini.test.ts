import { describe, expect, it } from 'vitest';
import { IniSyntaxError, parseIni, stripComment } from '../../shared/ini';
import { buildAwsSetup } from '../../shared/awsConfig';

const setupOf = (config: string, credentials: string | null = null) =>
  buildAwsSetup({ path: '/c/config', text: config }, { path: '/c/credentials', text: credentials });

describe('parseIni', () => {
  it('parses an empty file to nothing', () => {
    expect(parseIni('', 'f')).toEqual({ sections: [], issues: [] });
    expect(parseIni('\n\n  \n', 'f').sections).toEqual([]);
  });

  it('rejects binary garbage with the line number', () => {
    const garbage = '[profile a]\nregion = us-east-1\n\u0000\u0001\u0002\u00ff\u0003';
    expect(() => parseIni(garbage, '/c/config')).toThrowError(IniSyntaxError);
    try {
      parseIni(garbage, '/c/config');
    } catch (e) {
      expect((e as IniSyntaxError).line).toBe(3);
      expect((e as IniSyntaxError).message).toMatch(/^\/c\/config:3: binary/);
    }
  });

  it('rejects random bytes decoded as UTF-8 (replacement characters)', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    expect(() => parseIni(bytes.toString('utf8'), 'f')).toThrowError(IniSyntaxError);
  });

  it('reports a line that is not key = value, with its number', () => {
    expect(() => parseIni('[profile a]\nregion us-east-1\n', 'cfg')).toThrowError(/cfg:2: .*missing "="/);
    expect(() => parseIni('region = x\n', 'cfg')).toThrowError(/cfg:1: .*before any \[section\]/);
    expect(() => parseIni('[profile a\n', 'cfg')).toThrowError(/cfg:1: .*no closing/);
    expect(() => parseIni('[profile a]\n= v\n', 'cfg')).toThrowError(/cfg:2: .*no key/);
  });

  it('strips comments on their own lines and inline after whitespace, as the JS SDK does', () => {
    const doc = parseIni(
      '# top\n; also\n[profile a] # trailing\nregion = us-east-1 ; inline\nrole_session_name = a#b\n  # indented comment\n',
      'f',
    );
    expect(doc.sections).toHaveLength(1);
    expect(doc.sections[0]?.header).toBe('profile a');
    expect(doc.sections[0]?.entries.map((e) => [e.key, e.value])).toEqual([
      ['region', 'us-east-1'],
      ['role_session_name', 'a#b'],
    ]);
    expect(stripComment('x = 1 #c')).toBe('x = 1');
    // The AWS CLI (checked with /usr/bin/aws 2.9 `configure get`) keeps "us-east-1 ; inline" as the value.
    expect(doc.issues.map((i) => [i.line, i.message.slice(0, 28)])).toEqual([
      [4, 'inline comment after "region'],
    ]);
  });

  it('handles CRLF and lone CR line endings and a BOM', () => {
    const doc = parseIni('\ufeff[profile a]\r\nregion = eu-west-1\r\n[profile b]\rregion = us-west-2\r', 'f');
    expect(doc.sections.map((s) => [s.header, s.entries[0]?.value])).toEqual([
      ['profile a', 'eu-west-1'],
      ['profile b', 'us-west-2'],
    ]);
  });

  it('accepts odd spacing and lower-cases keys, warning that the SDK would ignore them', () => {
    const doc = parseIni(
      '[  profile   a  ]\n   Role_Arn=arn:aws:iam::123456789012:role/x\nregion=   us-east-1   \n',
      'f',
    );
    expect(doc.sections[0]?.header).toBe('profile   a');
    expect(doc.sections[0]?.entries.map((e) => [e.key, e.value])).toEqual([
      ['role_arn', 'arn:aws:iam::123456789012:role/x'],
      ['region', 'us-east-1'],
    ]);
    expect(doc.issues).toHaveLength(1);
    expect(doc.issues[0]?.message).toMatch(/Role_Arn.*JavaScript SDK/);
  });

  it('keeps nested sub-keys apart from profile keys', () => {
    const doc = parseIni('[profile a]\ns3 =\n  addressing_style = path\nregion = us-east-1\n', 'f');
    const entries = doc.sections[0]?.entries ?? [];
    expect(entries.find((e) => e.key === 'addressing_style')?.parent).toBe('s3');
    expect(entries.find((e) => e.key === 'region')?.parent).toBeUndefined();
  });

  it('parses a 10 MB file in linear time', () => {
    const block = (i: number) =>
      `[profile p${i}]\nrole_arn = arn:aws:iam::123456789012:role/r${i}\nsource_profile = base\nregion = us-east-1\n\n`;
    const parts: string[] = ['[profile base]\nregion = us-east-1\n'];
    let size = 0;
    for (let i = 0; size < 10 * 1024 * 1024; i++) {
      const b = block(i);
      parts.push(b);
      size += b.length;
    }
    const text = parts.join('');
    expect(text.length).toBeGreaterThanOrEqual(10 * 1024 * 1024);
    const setup = setupOf(text);
    expect(setup.profiles.size).toBe(parts.length);
  });
});

describe('profiles from config and credentials', () => {
  it('reads [default], [profile NAME], and skips [sso-session] and [services]', () => {
    const s = setupOf(
      '[default]\nregion = us-east-1\n[profile a]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\n[services local]\ns3 =\n  endpoint_url = http://localhost\n',
    );
    expect([...s.profiles.keys()]).toEqual(['default', 'a']);
    expect(s.profiles.get('a')?.sso).toEqual({ session: 'corp', accountId: '111122223333', roleName: 'Dev' });
  });

  it('warns about a config section without the profile prefix, and about [profile x] in credentials', () => {
    const s = setupOf('[claudecode-readonly]\nregion = us-east-1\n', '[profile x]\naws_access_key_id = A\n');
    const msgs = s.problems.map((p) => p.message).join('\n');
    expect(msgs).toMatch(/\[claudecode-readonly\] in the config file is ignored/);
    expect(msgs).toMatch(/\[profile x\] in the credentials file/);
    expect(s.profiles.has('claudecode-readonly')).toBe(false);
  });

  it('merges duplicate sections (later keys win) and reports them', () => {
    const s = setupOf('[profile a]\nregion = us-east-1\n[profile a]\nregion = eu-west-1\n');
    expect(s.profiles.get('a')?.region).toBe('eu-west-1');
    expect(s.problems.some((p) => /defined twice .*lines 1 and 3/.test(p.message))).toBe(true);
  });

  it('lets the credentials file win over the config file for the same profile', () => {
    const s = setupOf(
      '[profile a]\nregion = us-east-1\n',
      '[a]\nregion = eu-central-1\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = SECRET\n',
    );
    const a = s.profiles.get('a');
    expect(a?.region).toBe('eu-central-1');
    expect(a?.hasStaticKeys).toBe(true);
    expect(a?.sources.map((r) => r.file)).toEqual(['/c/config', '/c/credentials']);
  });

  it('never keeps secret values', () => {
    const s = setupOf(
      '[default]\n',
      '[default]\naws_access_key_id = AKIAVALUE123\naws_secret_access_key = SuperSecretValue\naws_session_token = TokenValue\n',
    );
    const dump = JSON.stringify([...s.profiles.values()]);
    expect(dump).not.toMatch(/AKIAVALUE123|SuperSecretValue|TokenValue/);
    expect(s.profiles.get('default')?.secretKeys).toEqual([
      'aws_access_key_id',
      'aws_secret_access_key',
      'aws_session_token',
    ]);
  });

  it('reads profile names with spaces and unicode, and says the JS SDK cannot load them', () => {
    const s = setupOf(
      '[profile "my team"]\nregion = us-east-1\n[profile équipe-ü]\nregion = us-east-1\n[profile ok.name@x]\nregion = us-east-1\n',
    );
    expect([...s.profiles.keys()]).toEqual(['my team', 'équipe-ü', 'ok.name@x']);
    const flagged = s.problems.filter((p) => /cannot load/.test(p.message)).map((p) => p.profile);
    expect(flagged).toEqual(['my team', 'équipe-ü']);
  });

  it('validates duration_seconds', () => {
    const s = setupOf('[profile a]\nduration_seconds = 60\n[profile b]\nduration_seconds = 3600\n');
    expect(s.profiles.get('a')?.durationSeconds).toBeUndefined();
    expect(s.profiles.get('b')?.durationSeconds).toBe(3600);
    expect(s.problems.some((p) => p.profile === 'a' && /900 to 43200/.test(p.message))).toBe(true);
  });
});
