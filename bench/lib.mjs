// Shared bench helpers: medians, wall-clock runs of commands, and on-the-fly bundling of TS modules.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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
    logLevel: 'error',
  });
  return import(pathToFileURL(outfile).href);
}

export const fmt = (ms) => `${ms.toFixed(2)} ms`;
