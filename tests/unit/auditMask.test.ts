// The audit log never holds secrets: secret-named fields are refused, and key-shaped strings in any value
// (an error text passed as a reason) are masked; hashes, ARNs and ids stay readable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendAudit, readAudit } from '../../electron/node/audit';
import { files } from '../../electron/node/paths';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

describe('appendAudit', () => {
  it('masks key ids, secrets and tokens in values; keeps hashes, ARNs, ids; file 0600', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'elevate-audit-'));
    roots.push(root);
    const env = { ELEVATE_HOME: root };
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const token = `IQoJb3JpZ2luX2VjE${'Ab3dE9fG'.repeat(20)}`;
    const planHash = 'a'.repeat(20) + '0123456789abcdef'.repeat(3);
    appendAudit(
      {
        type: 'fallback',
        reason: `sts said: bad AKIAIOSFODNN7EXAMPLE / ${secret}`,
        details: { nested: [`token ${token}`] },
        planHash,
        roleArn: 'arn:aws:iam::111111111111:role/Elevated',
        sessionId: '20261124153000-0a1b2c3d',
        cwd: '/Users/JohnSmith/Documents/GitHub/MyProject2024',
      },
      env,
    );
    const text = fs.readFileSync(files.audit(env), 'utf8');
    expect(text).not.toContain('IOSFODNN7EXAMPLE');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(token);
    const [rec] = readAudit(env);
    expect(rec).toMatchObject({
      planHash,
      roleArn: 'arn:aws:iam::111111111111:role/Elevated',
      sessionId: '20261124153000-0a1b2c3d',
      cwd: '/Users/JohnSmith/Documents/GitHub/MyProject2024',
      reason: 'sts said: bad AKIA**************** / [redacted]',
    });
    expect(fs.statSync(files.audit(env)).mode & 0o777).toBe(0o600);
    expect(() => appendAudit({ type: 'x', sessionToken: 'a' }, env)).toThrow(/refusing to log field/);
  });
});
