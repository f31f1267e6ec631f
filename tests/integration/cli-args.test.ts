// CLI input validation: stray arguments and bad --cwd are usage errors (exit 2 with usage), not silently
// ignored (`elevate whoami readonly elevated` used to verify readonly and exit 0).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSandbox, runCli, type Sandbox } from '../helpers/cli';
import { TIER_CONFIG } from '../helpers/standin';

const sandboxes: Sandbox[] = [];
afterAll(() => {
  for (const s of sandboxes) fs.rmSync(s.root, { recursive: true, force: true });
});

describe('CLI arguments', () => {
  it('unexpected positionals and a --cwd that is not a directory exit 2 with the usage line', () => {
    const sb = makeSandbox('elevate-cli-args-');
    sandboxes.push(sb);
    sb.writeConfig(TIER_CONFIG);
    const cases: Array<[string[], RegExp]> = [
      [['whoami', 'readonly', 'elevated'], /usage: elevate whoami/],
      [['profiles', 'all'], /usage: elevate profiles/],
      [['status', 'now'], /usage: elevate status/],
      [['doctor', 'everything'], /usage: elevate doctor/],
      [['doctor', '--cwd', path.join(sb.root, 'missing')], /not a directory[\s\S]*usage: elevate doctor/],
    ];
    for (const [args, usage] of cases) {
      const r = runCli(args, sb.env);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(usage);
      expect(r.stdout, args.join(' ')).toBe('');
    }
    // The valid forms still work.
    expect(runCli(['profiles'], sb.env).status).toBe(0);
    expect(runCli(['status', '--json'], sb.env).status).toBe(0);
  });
});
