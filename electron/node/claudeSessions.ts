// Finds the Claude Code session to resume for a project directory. Claude stores transcripts as
// <claudeConfigDir>/projects/<encoded cwd>/<session uuid>.jsonl, where the folder name replaces every
// non-alphanumeric character with '-'. That is ambiguous (/a/b.c and /a/b-c share a folder; unicode
// and long paths differ between versions), so the folder name only nominates candidates: a session
// counts only when the `cwd` recorded in its own lines is exactly the project directory.
import fs from 'node:fs';
import path from 'node:path';
import { claudeConfigDir, type Env } from './paths';

export const SESSION_FILE_RE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i;
/** How much of each transcript is read looking for the cwd field. */
export const HEAD_CHUNK = 64 * 1024;
export const HEAD_MAX = 1024 * 1024;
/** Claude truncates very long folder names (and appends a hash); names this long match on the prefix. */
const LONG_NAME = 200;

export interface ClaudeSession {
  id: string;
  file: string;
  /** cwd recorded in the transcript. */
  cwd: string;
  mtimeMs: number;
  size: number;
}

export interface FindResult {
  session: ClaudeSession | null;
  projectsDir: string;
  /** Folders examined. */
  folders: string[];
  /** Transcripts in those folders whose cwd is another directory (name collisions). */
  otherCwds: number;
  /** Transcripts where no cwd was found in the first HEAD_MAX bytes. */
  unreadable: number;
}

/** The folder name Claude uses for a cwd (per UTF-16 code unit, as JavaScript's replace does). */
export function encodeProjectDir(cwd: string): string {
  return cwd.replace(/[^a-zA-Z0-9]/g, '-');
}

/** Folder-name variants for one cwd: per code unit, per code point, NFC and NFD forms. */
export function projectDirCandidates(cwd: string): string[] {
  const out = new Set<string>();
  for (const form of [cwd, cwd.normalize('NFC'), cwd.normalize('NFD')]) {
    out.add(encodeProjectDir(form));
    out.add(form.replace(/[^a-zA-Z0-9]/gu, '-'));
  }
  return [...out];
}

function sameCwd(recorded: string, cwd: string): boolean {
  if (recorded === cwd) return true;
  return recorded.normalize('NFC') === cwd.normalize('NFC');
}

const CWD_RE = /"cwd"\s*:\s*("(?:[^"\\]|\\.)*")/;

/**
 * The first `cwd` recorded in a transcript, reading at most `max` bytes from the start. Complete lines
 * are parsed as JSON; a torn last line (a file being written) or an over-long line falls back to a
 * regex on the raw text.
 */
export function readSessionCwd(file: string, max = HEAD_MAX): string | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    let pending = '';
    let read = 0;
    const buf = Buffer.alloc(HEAD_CHUNK);
    const decoder = new TextDecoder('utf-8');
    while (read < max) {
      const n = fs.readSync(fd, buf, 0, Math.min(HEAD_CHUNK, max - read), read);
      if (n <= 0) break;
      read += n;
      pending += decoder.decode(buf.subarray(0, n), { stream: true });
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        const cwd = cwdOfLine(line);
        if (cwd !== null) return cwd;
      }
    }
    // Last (possibly partial) line: a complete object parses; a torn one may still show its cwd field.
    const tail = pending.trim();
    if (tail) {
      const cwd = cwdOfLine(tail);
      if (cwd !== null) return cwd;
      const m = CWD_RE.exec(tail);
      if (m?.[1]) {
        try {
          const v: unknown = JSON.parse(m[1]);
          if (typeof v === 'string' && v) return v;
        } catch {
          /* torn inside the value */
        }
      }
    }
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

function cwdOfLine(line: string): string | null {
  if (!line || !line.includes('"cwd"')) return null;
  try {
    const obj: unknown = JSON.parse(line);
    if (obj && typeof obj === 'object' && typeof (obj as { cwd?: unknown }).cwd === 'string') {
      const cwd = (obj as { cwd: string }).cwd;
      return cwd || null;
    }
  } catch {
    /* not JSON (torn or corrupt): ignore the line */
  }
  return null;
}

function listDirs(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
}

/**
 * The newest (by mtime) session transcript whose recorded cwd is exactly `cwd`. `cwd` should be the
 * absolute directory Claude was started in (it records process.cwd(), symlinks resolved).
 */
export function findClaudeSession(cwd: string, env: Env = process.env): FindResult {
  const projectsDir = path.join(claudeConfigDir(env), 'projects');
  const all = listDirs(projectsDir);
  const wanted = new Set(projectDirCandidates(cwd));
  let folders = all.filter((name) => wanted.has(name));
  if (folders.length === 0) {
    // Long paths: Claude keeps a prefix of the encoded name and adds a hash.
    const prefixes = [...wanted].filter((w) => w.length > LONG_NAME).map((w) => w.slice(0, LONG_NAME));
    if (prefixes.length) folders = all.filter((name) => prefixes.some((p) => name.startsWith(p)));
  }
  const files: { id: string; file: string; mtimeMs: number; size: number }[] = [];
  for (const folder of folders) {
    const dir = path.join(projectsDir, folder);
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = SESSION_FILE_RE.exec(name);
      if (!m?.[1]) continue;
      const file = path.join(dir, name);
      try {
        const st = fs.statSync(file);
        if (st.isFile() && st.size > 0)
          files.push({ id: m[1].toLowerCase(), file, mtimeMs: st.mtimeMs, size: st.size });
      } catch {
        /* vanished meanwhile */
      }
    }
  }
  // Newest first: the first transcript whose recorded cwd matches is the answer.
  files.sort((a, b) => b.mtimeMs - a.mtimeMs || a.file.localeCompare(b.file));
  let best: ClaudeSession | null = null;
  let otherCwds = 0;
  let unreadable = 0;
  for (const f of files) {
    const recorded = readSessionCwd(f.file);
    if (recorded === null) {
      unreadable++;
      continue;
    }
    if (!sameCwd(recorded, cwd)) {
      otherCwds++;
      continue;
    }
    best = { ...f, cwd: recorded };
    break;
  }
  return { session: best, projectsDir, folders, otherCwds, unreadable };
}

/** Resolve a project directory the way Claude records it (absolute, symlinks resolved when possible). */
export function canonicalCwd(dir: string): string {
  const abs = path.resolve(dir);
  try {
    return fs.realpathSync.native(abs);
  } catch {
    return abs;
  }
}
