// `elevate settings`: path/show/get/set/edit on a real file; schema warnings with the closest key; JSON
// errors with line and column; set keeps comments and unknown keys, writes atomically with a backup.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { makeSandbox, runCli, type Sandbox } from '../helpers/cli';
import { TIER_CONFIG } from '../helpers/standin';

let sb: Sandbox;
let file: string;
const sandboxes: Sandbox[] = [];
beforeEach(() => {
  sb = makeSandbox('elevate-settings-');
  sandboxes.push(sb);
  sb.writeConfig(TIER_CONFIG);
  file = path.join(sb.env.ELEVATE_HOME!, 'settings.json');
});
afterAll(() => {
  for (const s of sandboxes) fs.rmSync(s.root, { recursive: true, force: true });
});

describe('elevate settings', () => {
  it('path, set (creates, validates), get, show', () => {
    expect(runCli(['settings', 'path'], sb.env).stdout).toBe(`${file}\n`);
    expect(fs.existsSync(file)).toBe(false);
    const set = runCli(['settings', 'set', 'elevation.defaultMinutes', '15'], sb.env);
    expect(set.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ elevation: { defaultMinutes: 15 } });
    expect(runCli(['settings', 'get', 'elevation.defaultMinutes'], sb.env).stdout).toBe('15\n');
    expect(runCli(['settings', 'get', 'workstation.tagPrefix'], sb.env).stdout).toBe('claudecode-\n');
    const bad = runCli(['settings', 'set', 'elevation.defaultMinutes', '90'], sb.env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/elevation\.defaultMinutes: .*60/);
    const typo = runCli(['settings', 'set', 'workstation.instanceID', 'i-0123456789abcdef0'], sb.env);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('did you mean "workstation.instanceId"?');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ elevation: { defaultMinutes: 15 } });
    const show = runCli(['settings', 'show', '--json'], sb.env);
    expect(JSON.parse(show.stdout).settings.elevation.defaultMinutes).toBe(15);
  });

  it('set keeps comments and unknown keys, keeps a backup; unknown keys warn with the closest known key', () => {
    const before =
      '{\n  // my note\n  "elevaton": { "defaultMinutes": 20 },\n  "workstation": { "instanceID": "i-1" }\n}\n';
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, before);
    const r = runCli(['settings', 'set', 'workstation.operatorProfile', 'admin'], sb.env);
    expect(r.status).toBe(0);
    const after = fs.readFileSync(file, 'utf8');
    expect(after).toContain('// my note');
    expect(after).toContain('"elevaton"');
    expect(after).toContain('"operatorProfile": "admin"');
    expect(fs.readFileSync(`${file}.elevate-bak`, 'utf8')).toBe(before);
    expect(r.stderr).toContain(`${file}:3: unknown key "elevaton" is ignored; did you mean "elevation"?`);
    expect(r.stderr).toMatch(
      /unknown key "workstation.instanceID" is ignored; did you mean "workstation.instanceId"\?/,
    );
    const doctor = JSON.parse(runCli(['doctor', '--json'], sb.env).stdout) as {
      checks: Array<{ id: string; status: string; message: string }>;
    };
    const settings = doctor.checks.filter((c) => c.id === 'settings');
    expect(settings.map((c) => c.status)).toEqual(['warn', 'warn']);
    expect(settings[0]?.message).toContain('did you mean "elevation"?');
  });

  it('invalid JSON: line and column, not "position N", in settings show, status and doctor', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{\n  "terminal": "xterm"\n  "claudePath": "claude"\n}\n');
    const show = runCli(['settings', 'show'], sb.env);
    expect(show.status).toBe(1);
    expect(show.stderr).toContain(`${file}:3:3: not valid JSON: comma expected`);
    const status = runCli(['status'], sb.env);
    expect(status.status).toBe(2);
    expect(status.stderr).toBe(`elevate: ${file}:3:3: not valid JSON: comma expected\n`);
    expect(status.stderr).not.toMatch(/position/);
    const doctor = JSON.parse(runCli(['doctor', '--json'], sb.env).stdout) as {
      checks: Array<{ id: string; status: string; message: string }>;
    };
    expect(doctor.checks[0]).toMatchObject({ id: 'config-files', status: 'fail' });
    expect(doctor.checks[0]?.message).toContain(':3:3: not valid JSON');
  });

  it('edit runs $VISUAL as argv (no shell) on the file, then checks it', () => {
    const editor = path.join(sb.root, 'ed.sh');
    const log = path.join(sb.root, 'args.log');
    const marker = path.join(sb.root, 'shell-ran');
    fs.writeFileSync(
      editor,
      `#!/bin/sh\nprintf '%s\\n' "$@" > "${log}"\nlast=""; for a; do last="$a"; done\nprintf '{ "workstation": { "instanceID": "i-1" } }\\n' > "$last"\n`,
    );
    fs.chmodSync(editor, 0o755);
    const r = runCli(['settings', 'edit'], { ...sb.env, VISUAL: `${editor} --wait;touch ${marker}` });
    expect(r.status).toBe(0);
    expect(fs.readFileSync(log, 'utf8')).toBe(`--wait;touch\n${marker}\n${file}\n`);
    expect(fs.existsSync(marker)).toBe(false);
    expect(r.stderr).toContain('did you mean "workstation.instanceId"?');
    const missing = runCli(['settings', 'edit'], { ...sb.env, VISUAL: '/nonexistent/editor' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/cannot start the editor "\/nonexistent\/editor"/);
  });
});
