// writeFileAtomic on files the user owns: a symlinked file (dotfile managers link ~/.claude/settings.json and
// CLAUDE.md into a repo) keeps its link; the target gets the new content, atomically, with a backup.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileChangedError, fileHash, sha256Hex, writeFileAtomic } from '../../electron/node/atomicFile';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});
function tmp(): string {
  const r = fs.mkdtempSync(path.join(os.tmpdir(), 'elevate-atomic-'));
  roots.push(r);
  return r;
}

describe('writeFileAtomic', () => {
  it('writes through a symlink: the link stays, its target is replaced, the backup holds the old text', () => {
    const root = tmp();
    fs.mkdirSync(path.join(root, 'dotfiles'));
    fs.mkdirSync(path.join(root, '.claude'));
    const real = path.join(root, 'dotfiles', 'settings.json');
    const link = path.join(root, '.claude', 'settings.json');
    fs.writeFileSync(real, '{\n  // mine\n  "a": 1\n}\n', { mode: 0o640 });
    fs.symlinkSync('../dotfiles/settings.json', link);

    const r = writeFileAtomic(link, '{\n  // mine\n  "a": 2\n}\n', { backup: true });

    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(link)).toBe('../dotfiles/settings.json');
    expect(fs.readFileSync(real, 'utf8')).toBe('{\n  // mine\n  "a": 2\n}\n');
    expect(fs.statSync(real).mode & 0o777).toBe(0o640);
    expect(r.backup).toBe(`${link}.elevate-bak`);
    expect(fs.readFileSync(r.backup!, 'utf8')).toContain('"a": 1');
    // No temp file left in either directory.
    expect(fs.readdirSync(path.join(root, 'dotfiles'))).toEqual(['settings.json']);
  });

  it('a dangling symlink gets its target created; a plain file is replaced with its mode kept', () => {
    const root = tmp();
    const link = path.join(root, 'CLAUDE.md');
    fs.symlinkSync('notes/CLAUDE.md', link);
    fs.mkdirSync(path.join(root, 'notes'));
    writeFileAtomic(link, 'hello\n', { mode: 0o600 });
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(root, 'notes', 'CLAUDE.md'), 'utf8')).toBe('hello\n');
    expect(fs.statSync(path.join(root, 'notes', 'CLAUDE.md')).mode & 0o777).toBe(0o600);

    const plain = path.join(root, 'plain.json');
    fs.writeFileSync(plain, 'old', { mode: 0o604 });
    writeFileAtomic(plain, 'new');
    expect(fs.lstatSync(plain).isFile()).toBe(true);
    expect(fs.readFileSync(plain, 'utf8')).toBe('new');
    expect(fs.statSync(plain).mode & 0o777).toBe(0o604);
  });

  it('backups are versioned and never overwritten (.elevate-bak, .elevate-bak.1, …)', () => {
    const root = tmp();
    const f = path.join(root, 'settings.json');
    fs.writeFileSync(f, 'v1');
    expect(writeFileAtomic(f, 'v2', { backup: true }).backup).toBe(`${f}.elevate-bak`);
    expect(writeFileAtomic(f, 'v3', { backup: true }).backup).toBe(`${f}.elevate-bak.1`);
    expect(writeFileAtomic(f, 'v4', { backup: true }).backup).toBe(`${f}.elevate-bak.2`);
    expect(['', '.1', '.2'].map((n) => fs.readFileSync(`${f}.elevate-bak${n}`, 'utf8'))).toEqual([
      'v1',
      'v2',
      'v3',
    ]);
    // An explicit backup path is never overwritten either.
    expect(() => writeFileAtomic(f, 'v5', { backup: `${f}.elevate-bak` })).toThrow(/EEXIST/);
    expect(fs.readFileSync(f, 'utf8')).toBe('v4');
  });

  it('expectHash: a file changed since it was read is not clobbered (temp removed); the steps are reported in order', () => {
    const root = tmp();
    const f = path.join(root, 'settings.json');
    fs.writeFileSync(f, 'mine');
    const read = fileHash(f);
    expect(read).toBe(sha256Hex('mine'));
    const steps: string[] = [];
    const err = (() => {
      try {
        writeFileAtomic(f, 'elevate', {
          expectHash: read,
          onStep: (s) => {
            steps.push(s);
            if (s === 'temp-written') fs.writeFileSync(f, 'user edit');
          },
        });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(FileChangedError);
    expect(fs.readFileSync(f, 'utf8')).toBe('user edit');
    expect(fs.readdirSync(root)).toEqual(['settings.json']);
    expect(steps).toEqual(['temp-written']);
    // Unchanged: written, with every step.
    const ok: string[] = [];
    writeFileAtomic(f, 'elevate', { expectHash: fileHash(f), backup: true, onStep: (s) => ok.push(s) });
    expect(ok).toEqual(['backup-written', 'temp-written', 'renamed']);
    expect(fs.readFileSync(f, 'utf8')).toBe('elevate');
    // expectHash null: the file must not exist.
    const fresh = path.join(root, 'new.json');
    writeFileAtomic(fresh, 'x', { expectHash: null });
    expect(() => writeFileAtomic(fresh, 'y', { expectHash: null })).toThrow(FileChangedError);
    expect(fileHash(path.join(root, 'nope'))).toBeNull();
  });
});
