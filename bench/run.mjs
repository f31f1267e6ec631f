// `npm run bench`: runs every bench/*.bench.mjs in turn. Each prints its own figures and ratios against a
// peer measured in the same run. Timings are printed, never asserted.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
for (const f of readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort()) {
  if (only.length && !only.some((o) => f.includes(o))) continue;
  console.log(`\n== ${f} ==`);
  const mod = await import(pathToFileURL(path.join(dir, f)).href);
  await mod.default();
}
