// Atomic writes for files the user owns: temp file in the same directory, fsync, rename; an optional
// backup of the previous content first. Modes are preserved (or set for new files).
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

export interface AtomicWriteOptions {
  /** Copy the current file to `<file>.elevate-bak` (or the given path) before replacing it. */
  backup?: boolean | string;
  /** Mode for a new file (existing files keep theirs). */
  mode?: number;
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

export function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  opts: AtomicWriteOptions = {},
): { backup?: string } {
  const file = writeTarget(target);
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  let mode = opts.mode ?? 0o644;
  let backupPath: string | undefined;
  try {
    const st = fs.statSync(file);
    mode = st.mode & 0o777;
    if (opts.backup) {
      backupPath = typeof opts.backup === 'string' ? opts.backup : `${target}.elevate-bak`;
      fs.copyFileSync(file, backupPath);
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
    fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
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
