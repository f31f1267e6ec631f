// Shared bench helpers: medians, wall-clock runs of commands, and on-the-fly bundling of TS modules.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall time (ms) of one run of argv; throws if it fails. */
export function timeCommand(argv, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** Median wall time of `runs` runs, after one warm-up run. */
export function medianCommand(argv, runs, opts = {}) {
  timeCommand(argv, opts);
  return median(Array.from({ length: runs }, () => timeCommand(argv, opts)));
}

/** Bundle a TS entry (repo-relative) to a temp ESM file and import it. */
export async function importTs(rel) {
  const outfile = path.join(mkdtempSync(path.join(tmpdir(), 'elevate-bench-')), 'mod.mjs');
  await build({
    entryPoints: [path.join(REPO, rel)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    mainFields: ['module', 'main'], // jsonc-parser's UMD "main" has a require esbuild cannot follow
    logLevel: 'error',
    // CommonJS dependencies (yaml, the AWS SDK) call require() for Node built-ins inside the ESM bundle.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  return import(pathToFileURL(outfile).href);
}

export const fmt = (ms) => `${ms.toFixed(2)} ms`;

/**
 * A local STS endpoint (tests/helpers/awsServer.ts) and a temp HOME whose AWS files chain
 * claudecode-elevated → claudecode-readonly → static keys; `env` points the SDK and CLI at both.
 */
export async function stsFixture(prefix) {
  const { startAwsServer, awsTestEnv } = await importTs('tests/helpers/awsServer.ts');
  const base = {
    accessKeyId: 'AKIABENCHBENCHBENCH1',
    secretAccessKey: 'bench-secret-bench-secret-bench-secret-1',
  };
  const server = await startAwsServer({ staticKeys: [base] });
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  writeFileSync(
    path.join(dir, 'config'),
    [
      '[profile claudecode-readonly]',
      'role_arn = arn:aws:iam::111111111111:role/ReadOnly',
      'source_profile = base',
      'role_session_name = bench-ro',
      'region = us-east-1',
      '',
      '[profile claudecode-elevated]',
      'role_arn = arn:aws:iam::111111111111:role/Elevated',
      'source_profile = claudecode-readonly',
      'role_session_name = bench-el',
      'region = us-east-1',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'credentials'),
    `[base]\naws_access_key_id = ${base.accessKeyId}\naws_secret_access_key = ${base.secretAccessKey}\n`,
  );
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    ELEVATE_HOME: path.join(dir, 'elevate'),
    AWS_CONFIG_FILE: path.join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...awsTestEnv(server),
  };
  return { server, dir, env, base };
}
