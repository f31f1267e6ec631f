import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  encodeProjectDir,
  findClaudeSession,
  projectDirCandidates,
  readSessionCwd,
} from '../../electron/node/claudeSessions';

let root: string;
let claudeDir: string;
let env: Record<string, string>;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-sessions-'));
  claudeDir = path.join(root, 'claude config');
  env = { HOME: path.join(root, 'home'), CLAUDE_CONFIG_DIR: claudeDir };
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** Write a transcript like Claude Code does: a summary line without cwd, then messages with cwd. */
function writeSession(
  cwd: string,
  mtime: number,
  opts: { folder?: string; id?: string; lines?: string[] } = {},
): string {
  const id = opts.id ?? randomUUID();
  const dir = path.join(claudeDir, 'projects', opts.folder ?? encodeProjectDir(cwd));
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${id}.jsonl`);
  const lines = opts.lines ?? [
    JSON.stringify({ type: 'summary', summary: 'earlier work', leafUuid: randomUUID() }),
    JSON.stringify({ type: 'user', cwd, sessionId: id, message: { role: 'user', content: 'hi' } }),
    JSON.stringify({
      type: 'assistant',
      cwd,
      sessionId: id,
      message: { role: 'assistant', content: 'hello' },
    }),
  ];
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  fs.utimesSync(file, mtime / 1000, mtime / 1000);
  return id;
}

const T = Date.parse('2026-11-24T10:00:00Z');

describe('encodeProjectDir', () => {
  it('replaces every non-alphanumeric character with "-" (so different paths collide)', () => {
    expect(encodeProjectDir('/home/me/my_proj.v2')).toBe('-home-me-my-proj-v2');
    expect(encodeProjectDir('/a/b.c')).toBe(encodeProjectDir('/a/b-c'));
    expect(encodeProjectDir('/tmp/été 🚀')).toBe('-tmp--t----');
    // Per code point, the rocket is one '-', per UTF-16 unit two: both are candidates.
    expect(projectDirCandidates('/x/🚀')).toEqual(expect.arrayContaining(['-x---', '-x--']));
  });
});

describe('findClaudeSession', () => {
  it('picks the newest session whose recorded cwd matches, in a colliding folder (/a/b.c vs /a/b-c)', () => {
    const dotted = path.join(root, 'a', 'b.c');
    const dashed = path.join(root, 'a', 'b-c');
    const oldDotted = writeSession(dotted, T);
    const newDotted = writeSession(dotted, T + 1000);
    const newestDashed = writeSession(dashed, T + 5000); // newer, but another directory
    const r = findClaudeSession(dotted, env);
    expect(r.session?.id).toBe(newDotted);
    expect(r.session?.cwd).toBe(dotted);
    expect(r.folders).toEqual([encodeProjectDir(dotted)]);
    expect(r.otherCwds).toBe(1);
    expect(findClaudeSession(dashed, env).session?.id).toBe(newestDashed);
    expect(oldDotted).not.toBe(newDotted);
  });

  it.each([
    ['dots and underscores', 'proj_v1.2.3'],
    ['spaces', 'my project dir'],
    ['unicode (NFC)', 'répertoire-ünïcødé'],
    ['emoji (astral plane)', 'rocket 🚀 launch'],
    ['quotes and dollars', `it's $(not) "run"`],
  ])('finds sessions for a path with %s', (_label, name) => {
    const cwd = path.join(root, 'work', name);
    const id = writeSession(cwd, T);
    writeSession(path.join(root, 'work', 'other'), T + 10_000);
    const r = findClaudeSession(cwd, env);
    expect(r.session?.id).toBe(id);
    expect(r.session?.file).toBe(path.join(claudeDir, 'projects', encodeProjectDir(cwd), `${id}.jsonl`));
  });

  it('matches a transcript recorded in NFD form for an NFC cwd (macOS file names)', () => {
    const nfc = path.join(root, 'café');
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    const id = writeSession(nfd, T, { folder: encodeProjectDir(nfd) });
    expect(findClaudeSession(nfc, env).session?.id).toBe(id);
  });

  it('returns null (not a wrong session) when only other directories have sessions', () => {
    writeSession(path.join(root, 'a', 'b-c'), T);
    const r = findClaudeSession(path.join(root, 'a', 'b.c'), env);
    expect(r.session).toBeNull();
    expect(r.otherCwds).toBe(1);
    expect(findClaudeSession(path.join(root, 'nowhere'), env)).toMatchObject({ session: null, folders: [] });
  });

  it('ignores non-session files (agent-*.jsonl, other names, empty files, sub-directories)', () => {
    const cwd = path.join(root, 'p');
    const id = writeSession(cwd, T);
    const dir = path.join(claudeDir, 'projects', encodeProjectDir(cwd));
    fs.writeFileSync(path.join(dir, 'agent-1234.jsonl'), `${JSON.stringify({ cwd })}\n`);
    fs.writeFileSync(path.join(dir, 'notes.jsonl'), `${JSON.stringify({ cwd })}\n`);
    fs.writeFileSync(path.join(dir, `${randomUUID()}.jsonl`), '');
    fs.mkdirSync(path.join(dir, randomUUID()));
    for (const f of fs.readdirSync(dir))
      fs.utimesSync(path.join(dir, f), (T + 9000) / 1000, (T + 9000) / 1000);
    fs.utimesSync(path.join(dir, `${id}.jsonl`), T / 1000, T / 1000);
    expect(findClaudeSession(cwd, env).session?.id).toBe(id);
  });

  it('honours CLAUDE_CONFIG_DIR and defaults to ~/.claude', () => {
    const cwd = path.join(root, 'q');
    const id = writeSession(cwd, T);
    expect(findClaudeSession(cwd, { HOME: env.HOME }).session).toBeNull();
    fs.mkdirSync(env.HOME!, { recursive: true });
    fs.renameSync(claudeDir, path.join(env.HOME!, '.claude'));
    expect(findClaudeSession(cwd, { HOME: env.HOME }).session?.id).toBe(id);
  });
});

describe('readSessionCwd', () => {
  it('skips corrupt lines and finds cwd in a torn last line (file being written)', () => {
    const cwd = '/w/x';
    const file = path.join(root, 's.jsonl');
    fs.writeFileSync(
      file,
      `not json\n{"type":"summary"}\n{"type":"user","cwd":${JSON.stringify(cwd)},"message":{"content":"unfinis`,
    );
    expect(readSessionCwd(file)).toBe(cwd);
  });
  it('reads past a first line longer than one chunk, but not beyond the limit', () => {
    const cwd = '/w/long line';
    const file = path.join(root, 'long.jsonl');
    const big = JSON.stringify({ type: 'summary', summary: 'x'.repeat(200_000) });
    fs.writeFileSync(file, `${big}\n${JSON.stringify({ cwd })}\n`);
    expect(readSessionCwd(file)).toBe(cwd);
    expect(readSessionCwd(file, 100_000)).toBeNull();
  });
  it('does not take a cwd-like string inside another field on a torn line as the cwd', () => {
    const file = path.join(root, 't.jsonl');
    fs.writeFileSync(file, '{"type":"user","message":"he said \\"cwd\\":\\"/evil\\"');
    // The regex fallback only matches a real "cwd" key; this text has an escaped one inside a string.
    expect(readSessionCwd(file)).toBeNull();
  });
  it('returns null for a missing file', () => {
    expect(readSessionCwd(path.join(root, 'none.jsonl'))).toBeNull();
  });
});
