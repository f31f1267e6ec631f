// writeFileAtomic on files the user owns: a symlinked file (dotfile managers link ~/.claude/settings.json and
// CLAUDE.md into a repo) keeps its link; the target gets the new content, atomically, with a backup.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../electron/node/atomicFile';

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
});
