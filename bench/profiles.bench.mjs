// Issue 2 figures: parsing a 5 000-profile config, and `elevate profiles --json` against
// `aws configure list-profiles` (Debian AWS CLI v2) on the same files. Ratios of medians from this run.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fmt, importTs, median, medianCommand, REPO } from './lib.mjs';

function generateConfig(n) {
  const lines = ['[default]', 'region = us-east-1', ''];
  for (let i = 0; i < n; i++) {
    lines.push(`[profile team-${i}]`, `role_arn = arn:aws:iam::123456789012:role/role-${i}`);
    lines.push(i % 2 ? `source_profile = team-${i - 1}` : 'credential_source = Ec2InstanceMetadata');
    lines.push(`role_session_name = s-${i}`, 'region = us-east-1  # a comment', '');
  }
  return lines.join('\n');
}

export default async function () {
  const { buildAwsSetup } = await importTs('shared/awsConfig.ts');
  const ini = createRequire(import.meta.url)('ini');
  const text = generateConfig(5000);
  const parse = () => buildAwsSetup({ path: 'config', text }, { path: 'credentials', text: null });
  const time = (fn) => {
    const t0 = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  for (let i = 0; i < 3; i++) {
    parse();
    ini.decode(text);
  }
  const ours = median(Array.from({ length: 20 }, () => time(parse)));
  const peer = median(Array.from({ length: 20 }, () => time(() => ini.decode(text))));
  console.log(`config: 5000 profiles, ${(text.length / 1024).toFixed(0)} KiB`);
  console.log(`parse + merge (Elevate, with line numbers and checks): median ${fmt(ours)} (target < 50 ms)`);
  console.log(
    `ini.decode of the same text (peer):                   median ${fmt(peer)}  ratio ${(ours / peer).toFixed(2)}x`,
  );

  const dir = mkdtempSync(path.join(tmpdir(), 'elevate-bench-profiles-'));
  writeFileSync(path.join(dir, 'config'), text);
  writeFileSync(path.join(dir, 'credentials'), '');
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_CONFIG_FILE: path.join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    ELEVATE_HOME: path.join(dir, 'eh'),
  };
  const runs = 10;
  const elevate = medianCommand(
    [process.execPath, path.join(REPO, 'bin/elevate.cjs'), 'profiles', '--json'],
    runs,
    { env },
  );
  console.log(`elevate profiles --json (5000 profiles): median ${fmt(elevate)} over ${runs} runs`);
  if (!existsSync('/usr/bin/aws')) {
    console.log('aws configure list-profiles: skipped (/usr/bin/aws not installed)');
    return;
  }
  const aws = medianCommand(['/usr/bin/aws', 'configure', 'list-profiles'], runs, { env });
  console.log(`/usr/bin/aws configure list-profiles:    median ${fmt(aws)} over ${runs} runs`);
  console.log(`ratio elevate/aws: ${(elevate / aws).toFixed(2)} (target <= 0.5)`);
  const small = { ...env, AWS_CONFIG_FILE: path.join(REPO, 'tests/fixtures/seed-config.ini') };
  const e2 = medianCommand(
    [process.execPath, path.join(REPO, 'bin/elevate.cjs'), 'profiles', '--json'],
    runs,
    { env: small },
  );
  const a2 = medianCommand(['/usr/bin/aws', 'configure', 'list-profiles'], runs, { env: small });
  console.log(`seed config (3 profiles): elevate ${fmt(e2)}, aws ${fmt(a2)}, ratio ${(e2 / a2).toFixed(2)}`);
}
