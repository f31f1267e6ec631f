// The part of `claude --settings` that keeps one Elevate session's agent away from the user's AWS files
// and Elevate's own state (issue 12, P6): `permissions.deny` rules for Claude Code's file tools and the
// sandbox's filesystem denies for the commands it runs. Pure: paths in, settings out. IAM stays the
// boundary (P2, P3); this layer only narrows what a same-user agent can touch.
//
// Rule syntax, as documented by Claude Code (code.claude.com/docs/en/permissions, "Read and Edit"):
//   Read and Edit rules follow the gitignore specification; `//path` is an ABSOLUTE path from the
//   filesystem root, `~/path` is from the home directory, `/path` is relative to the settings source
//   (project root) — "A pattern like /Users/alice/file isn't an absolute path" —, `path`/`./path` is
//   relative to the current directory; `*` matches within one directory, `**` recursively. Edit rules
//   cover every built-in tool that edits files (a `Write(path)` deny rule is not consulted: use Edit).
//   On Windows paths are normalised to POSIX form first (`C:\Users\alice` → `/c/Users/alice`).
//   Read/Edit denies bind Claude's file tools (and the file commands it recognises in Bash such as cat),
//   not arbitrary subprocesses: "For OS-level enforcement … enable the sandbox".
// Sandbox (code.claude.com/docs/en/settings, `sandbox.filesystem.denyRead` / `denyWrite`; macOS and
// Linux only): `/path` is absolute, `~/path` home, `./path` relative to the settings file, and `//path`
// is accepted as absolute for compatibility with the permission-rule syntax (and was the absolute form
// in earlier releases) — so absolute sandbox paths are written `//…` here, which both read the same. A
// directory covers its subtree. Claude Code's sandbox exists only on macOS and Linux.

export interface ClaudeGuardInput {
  /** The user's home directory (absolute). `~/.aws` is denied under it. */
  home: string;
  /** The user's own AWS files when they live elsewhere (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE of the user). */
  awsPaths?: string[];
  /** Elevate's state directory (ELEVATE_HOME): approvals, active tier, elevations, audit, settings, sessions. */
  stateDir: string;
  /** Directory holding one directory per session. Default `<stateDir>/sessions`. */
  sessionsDir?: string;
  /** This session's directory (its secret-free AWS config stays readable). Default `<sessionsDir>/<sessionId>`. */
  ownSessionDir?: string;
  sessionId: string;
  /** Entries directly inside stateDir (file and directory names), needed when ownSessionDir is inside it. */
  stateEntries?: string[];
  /** Ids of the other sessions known at launch (their directories are denied by name). */
  otherSessionIds?: string[];
  platform?: 'linux' | 'darwin' | 'win32';
}

export interface ClaudeGuardSettings {
  permissions: { deny: string[] };
  /** Absent on Windows, where Claude Code has no sandbox. */
  sandbox?: { filesystem: { denyRead: string[]; denyWrite: string[] } };
}

export interface ClaudeGuardResult {
  settings: ClaudeGuardSettings;
  /** What the settings cannot cover (for the launcher's log / doctor). */
  notes: string[];
}

/** State files Elevate keeps in stateDir, denied even when not listed in stateEntries. */
export const STATE_FILES = [
  'approvals.json',
  'active.json',
  'active.lock',
  'elevation.json',
  'elevations.json',
  'settings.json',
  'audit.log',
  'audit.jsonl',
];

/** POSIX form of a path as Claude Code normalises it (`C:\a\b` → `/c/a/b`), no trailing slash. */
export function posixPath(p: string): string {
  let s = p.replace(/\\/g, '/');
  const drive = /^([A-Za-z]):(\/|$)/.exec(s);
  if (drive) s = `/${drive[1]!.toLowerCase()}${s.slice(2)}`;
  s = s.replace(/\/{2,}/g, '/');
  return s.length > 1 ? s.replace(/\/+$/, '') : s;
}

/** Escapes gitignore metacharacters in a literal path (`*`, `?`, `[`, `]`, `\`, a leading `!`/`#`). */
function gitignoreLiteral(p: string): string {
  return p.replace(/[*?[\]\\]/g, (c) => `\\${c}`).replace(/(^|\/)([!#])/g, '$1\\$2');
}

const isInside = (child: string, parent: string): boolean =>
  child === parent || child.startsWith(parent === '/' ? '/' : `${parent}/`);

/**
 * Builds the settings fragment for one session. Denied for Read and Edit (file tools) and for the sandbox
 * (reads and writes): `~/.aws` (and the user's AWS files elsewhere), Elevate's state, other sessions'
 * directories. The session's own directory stays readable (its `aws` needs the config) but not editable.
 */
export function claudeGuardSettings(input: ClaudeGuardInput): ClaudeGuardResult {
  const notes: string[] = [];
  const home = posixPath(input.home);
  const stateDir = posixPath(input.stateDir);
  const sessionsDir = posixPath(input.sessionsDir ?? `${stateDir}/sessions`);
  const ownDir = posixPath(input.ownSessionDir ?? `${sessionsDir}/${input.sessionId}`);

  /** Absolute paths (POSIX) denied for reading and writing, and for writing only. */
  const noAccess = new Set<string>();
  const noWrite = new Set<string>();

  noAccess.add(`${home}/.aws`);
  for (const p of input.awsPaths ?? []) noAccess.add(posixPath(p));

  if (!isInside(ownDir, stateDir)) {
    noAccess.add(stateDir);
  } else {
    // The session's own directory is inside the state directory: deny everything on the way to it
    // except the directories that lead there (deny rules cannot be re-opened by allow rules).
    const entries = new Set([...(input.stateEntries ?? []), ...STATE_FILES]);
    const sessionsRel = isInside(sessionsDir, stateDir)
      ? sessionsDir.slice(stateDir.length + 1).split('/')[0]
      : undefined;
    const ownRel = ownDir.slice(stateDir.length + 1).split('/')[0];
    for (const e of entries) {
      if (!e || e.includes('/') || e === ownRel || e === sessionsRel) continue;
      noAccess.add(`${stateDir}/${e}`);
    }
    const others = (input.otherSessionIds ?? []).filter(
      (id) => id && id !== input.sessionId && !id.includes('/'),
    );
    for (const id of others) noAccess.add(`${sessionsDir}/${id}`);
    notes.push(
      `the session's own directory is inside Elevate's state directory, so only the state entries and the ` +
        `${others.length} other session(s) known at launch are denied by name; sessions started later are not ` +
        `covered by this session's settings (IAM and the per-session broker still are)`,
    );
  }
  noWrite.add(ownDir);

  const deny: string[] = [];
  const rule = (tool: 'Read' | 'Edit', abs: string): string => `${tool}(/${gitignoreLiteral(abs)}/**)`;
  const fileRule = (tool: 'Read' | 'Edit', abs: string): string => `${tool}(/${gitignoreLiteral(abs)})`;
  for (const p of noAccess) {
    // A path may be a file (credentials) or a directory (~/.aws): the exact path and its subtree.
    deny.push(fileRule('Read', p), rule('Read', p), fileRule('Edit', p), rule('Edit', p));
  }
  for (const p of noWrite) deny.push(fileRule('Edit', p), rule('Edit', p));

  const settings: ClaudeGuardSettings = { permissions: { deny: [...new Set(deny)] } };
  if (input.platform === 'win32') {
    notes.push('Claude Code has no sandbox on Windows: only the file-tool deny rules apply');
  } else {
    settings.sandbox = {
      filesystem: {
        denyRead: [...noAccess].map((p) => `/${p}`),
        denyWrite: [...new Set([...noAccess, ...noWrite])].map((p) => `/${p}`),
      },
    };
  }
  return { settings, notes };
}
