// doctor (issue 12 P2): the seed layout — elevated chained from read-only, no MFA — is self-elevation, and
// doctor fails naming both profiles and the fix; the hardened layout (operator keys + mfa_serial) passes it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../electron/node/doctor';
import { makeSandbox, runCli } from '../helpers/cli';

const SEED = readFileSync(path.join(__dirname, '..', 'fixtures', 'seed-config.ini'), 'utf8');
const HARDENED = `[profile admin]
region = us-east-1

[profile claudecode-readonly]
role_arn = arn:aws:iam::123456789012:role/claudecode-laptop-readonly
source_profile = admin
role_session_name = claude-readonly
region = us-east-1

[profile claudecode-elevated]
role_arn = arn:aws:iam::123456789012:role/claudecode-laptop-elevated
source_profile = admin
mfa_serial = arn:aws:iam::123456789012:mfa/alice
role_session_name = claude-elevated
region = us-east-1
`;

describe('doctor: self-elevation', () => {
  it('seed layout → FAIL "self-elevation possible" naming both profiles and the fix; the CLI exits 1', async () => {
    const sb = makeSandbox();
    sb.writeConfig(SEED);
    const checks = await runDoctor(sb.env);
    const fails = checks.filter((c) => c.status === 'fail' && /self-elevation possible/.test(c.message));
    expect(fails).toHaveLength(1);
    expect(fails[0]!.message).toContain('claudecode-readonly');
    expect(fails[0]!.message).toContain('claudecode-elevated');
    expect(fails[0]!.fix ?? '').toMatch(/mfa_serial|elevate setup/);
    const r = runCli(['doctor'], sb.env);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('self-elevation possible');
  });

  it('hardened layout (operator keys, mfa_serial on elevated) → no self-elevation failure', async () => {
    const sb = makeSandbox();
    sb.writeConfig(HARDENED);
    sb.writeCredentials('[admin]\naws_access_key_id = AKIAEXAMPLEADMIN0001\naws_secret_access_key = x\n');
    const checks = await runDoctor(sb.env);
    expect(checks.some((c) => /self-elevation possible/.test(c.message))).toBe(false);
    expect(
      checks.filter((c) => c.id.startsWith('self-elevation') && c.status === 'ok').length,
    ).toBeGreaterThan(0);
  });
});
