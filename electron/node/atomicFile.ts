// Atomic writes for files the user owns: temp file in the same directory, fsync, rename, fsync of the
// directory; an optional backup of the previous content first. Backups are versioned and never
// overwritten (`<file>.elevate-bak`, then `.elevate-bak.1`, `.2`, …). With `expectHash`, the file is
// re-hashed just before the rename and a file changed meanwhile is not clobbered (FileChangedError).
// Modes are preserved (or set for new files).
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

/** The points of a write, in order (for `onStep`). */
export type AtomicWriteStep = 'backup-written' | 'temp-written' | 'renamed';

export interface AtomicWriteOptions {
  /**
   * Copy the current file before replacing it: `true` → the first free of `<file>.elevate-bak`,
   * `<file>.elevate-bak.1`, … (never overwritten); a string → exactly that path (must not exist).
   */
  backup?: boolean | string;
  /** Mode for a new file (existing files keep theirs). */
  mode?: number;
  /**
   * sha256 (hex) the file must still have just before the rename; `null` = it must not exist. A mismatch
   * removes the temp file and throws FileChangedError — the file is left as the user has it.
   */
  expectHash?: string | null;
  /** Called after each step (crash tests stop the process here). */
  onStep?: (step: AtomicWriteStep) => void;
}

export class FileChangedError extends Error {
  constructor(readonly file: string) {
    super(`${file} changed while Elevate was writing it; not overwritten`);
    this.name = 'FileChangedError';
  }
}

export const sha256Hex = (data: Uint8Array | string): string =>
  crypto.createHash('sha256').update(data).digest('hex');

/** sha256 of a file's bytes, or null when it does not exist. */
export function fileHash(file: string): string | null {
  try {
    return sha256Hex(fs.readFileSync(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function fsyncPath(p: string, flags: 'r' | 'r+' = 'r'): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, flags);
    fs.fsyncSync(fd);
  } catch {
    /* directories cannot be fsync'd on every platform (Windows): best effort */
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Copies `file` to the first free versioned backup path (exclusive create, fsync'd) and returns it. */
export function versionedBackup(file: string, base = `${file}.elevate-bak`): string {
  for (let n = 0; n < 10_000; n++) {
    const dest = n === 0 ? base : `${base}.${n}`;
    try {
      fs.copyFileSync(file, dest, fs.constants.COPYFILE_EXCL);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    fsyncPath(dest, 'r+');
    return dest;
  }
  throw new Error(`${file}: too many backups (${base}.*); remove old ones`);
}

/**
 * The file a write should replace: a symlink's target (dotfile managers link ~/.claude/settings.json or
 * CLAUDE.md into a repo; renaming over the link would silently replace it with a detached copy).
 */
function writeTarget(file: string): string {
  let link: string;
  try {
    if (!fs.lstatSync(file).isSymbolicLink()) return file;
    link = fs.readlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return file;
    throw err;
  }
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(path.dirname(file), link); // dangling: create its target
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp files of `file` left by a writer that died before its rename (`.<name>.<pid>.<hex>.tmp`). */
export function removeStaleTemps(file: string): string[] {
  const dir = path.dirname(file);
  const base = path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^\\.${base}\\.(\\d+)\\.[0-9a-f]{8}\\.tmp$`);
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  for (const n of names) {
    const m = re.exec(n);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || pidAlive(pid)) continue;
    fs.rmSync(path.join(dir, n), { force: true });
    removed.push(n);
  }
  return removed;
}

export function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  opts: AtomicWriteOptions = {},
): { backup?: string } {
  const file = writeTarget(target);
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  removeStaleTemps(file);
  let mode = opts.mode ?? 0o644;
  let backupPath: string | undefined;
  try {
    const st = fs.statSync(file);
    mode = st.mode & 0o777;
    if (opts.backup) {
      if (typeof opts.backup === 'string') {
        fs.copyFileSync(file, opts.backup, fs.constants.COPYFILE_EXCL);
        fsyncPath(opts.backup, 'r+');
        backupPath = opts.backup;
      } else {
        backupPath = versionedBackup(file, `${target}.elevate-bak`);
      }
      opts.onStep?.('backup-written');
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const tmp = path.join(
    dir,
    `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`,
  );
  const fd = fs.openSync(tmp, 'wx', mode);
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    opts.onStep?.('temp-written');
    fs.chmodSync(tmp, mode);
    // Re-check just before the rename: a file the user changed since it was read is not clobbered.
    // (What remains is the instant between this check and the rename itself.)
    if (opts.expectHash !== undefined && fileHash(file) !== opts.expectHash) throw new FileChangedError(file);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fsyncPath(dir);
  opts.onStep?.('renamed');
  return backupPath ? { backup: backupPath } : {};
}

export function readTextIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Append one JSON line (audit/activity logs); creates the file 0600. */
export function appendJsonLine(file: string, record: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
}
