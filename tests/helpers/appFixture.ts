// Fixtures for the tray-app tests: a temp home with AWS files (only ever temp files), and a manual clock
// that implements the core's Clock seam.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../electron/app/core';

export const BASE_KEY = {
  accessKeyId: 'AKIAELEVATEAPPTEST01',
  secretAccessKey: 'app-test-secret-app-test-secret-000001',
  arn: 'arn:aws:iam::111122223333:user/dana',
};
export const READONLY_ROLE = 'arn:aws:iam::111122223333:role/ClaudeReadOnly';
export const ELEVATED_ROLE = 'arn:aws:iam::111122223333:role/ClaudeElevated';

export const TWO_TIER_CONFIG = `[profile base]
region = us-east-1

[profile claudecode-readonly]
role_arn = ${READONLY_ROLE}
source_profile = base
role_session_name = dana-readonly
region = us-east-1

[profile claudecode-elevated]
role_arn = ${ELEVATED_ROLE}
source_profile = claudecode-readonly
role_session_name = dana-elevated
region = us-east-1
`;

export const CREDENTIALS = `[base]
aws_access_key_id = ${BASE_KEY.accessKeyId}
aws_secret_access_key = ${BASE_KEY.secretAccessKey}
`;

export interface TempHome {
  dir: string;
  env: Record<string, string>;
  writeConfig(text: string): void;
  cleanup(): void;
}

/** A temp HOME/ELEVATE_HOME/AWS files/CLAUDE_CONFIG_DIR; `extra` is merged last (endpoints, PATH). */
export function tempHome(
  extra: Record<string, string> = {},
  config: string | null = TWO_TIER_CONFIG,
): TempHome {
  const dir = mkdtempSync(join(tmpdir(), 'elevate-app-'));
  for (const d of ['home', 'elevate', 'claude', 'aws']) mkdirSync(join(dir, d), { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: join(dir, 'home'),
    ELEVATE_HOME: join(dir, 'elevate'),
    CLAUDE_CONFIG_DIR: join(dir, 'claude'),
    AWS_CONFIG_FILE: join(dir, 'aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws', 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
  const writeConfig = (text: string) => writeFileSync(env.AWS_CONFIG_FILE as string, text);
  if (config !== null) writeConfig(config);
  writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE as string, config !== null ? CREDENTIALS : '');
  return { dir, env, writeConfig, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A clock whose time only moves when the test says so; due timers run in order. */
export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  constructor(start: number) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  get pending(): number {
    return this.timers.size;
  }
  /** Move time forward, running every timer that falls due (including ones scheduled meanwhile). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
  }
}
