import { describe, expect, it } from 'vitest';
import {
  CHANNELS,
  contract,
  EVENT_NAMES,
  events,
  isAllowedExternalUrl,
  isChannel,
  isTrustedRendererUrl,
} from '../../shared/ipc';
import { AppStateSchema, initialState } from '../../shared/state';
import { CHANNEL_NAMES, EVENT_CHANNELS } from '../../shared/channels';

describe('IPC contract', () => {
  it('lists channels as namespace:verb, each with a request and a response schema', () => {
    expect(CHANNELS.length).toBeGreaterThanOrEqual(10);
    for (const c of CHANNELS) {
      expect(c).toMatch(/^[a-z]+:[a-zA-Z]+$/);
      expect(typeof contract[c].request.safeParse).toBe('function');
      expect(typeof contract[c].response.safeParse).toBe('function');
    }
    expect(EVENT_NAMES).toEqual(['state:changed', 'ui:show']);
  });

  it("the preload's zod-free channel list is exactly the contract", () => {
    expect([...CHANNEL_NAMES].sort()).toEqual(Object.keys(contract).sort());
    expect([...EVENT_CHANNELS]).toEqual(EVENT_NAMES);
  });

  it('payload-less channels accept only nothing or {}', () => {
    for (const c of ['state:get', 'state:refresh', 'settings:get', 'doctor:run'] as const) {
      expect(contract[c].request.safeParse(undefined).success).toBe(true);
      expect(contract[c].request.safeParse({}).success).toBe(true);
      expect(contract[c].request.safeParse({ x: 1 }).success).toBe(false);
      expect(contract[c].request.safeParse('state').success).toBe(false);
      expect(contract[c].request.safeParse(null).success).toBe(false);
    }
  });

  it('requests with data are strict about shape', () => {
    expect(contract['tiers:verify'].request.safeParse({ tier: 'elevated' }).success).toBe(true);
    expect(contract['tiers:verify'].request.safeParse({ tier: 'admin' }).success).toBe(false);
    expect(contract['audit:list'].request.safeParse({ limit: 501 }).success).toBe(false);
    expect(contract['audit:list'].request.safeParse({ limit: 1.5 }).success).toBe(false);
    expect(contract['settings:set'].request.safeParse({ patch: { launchAtLogin: true } }).success).toBe(true);
    expect(contract['settings:set'].request.safeParse({ launchAtLogin: true }).success).toBe(false);
    expect(contract['shell:openExternal'].request.safeParse({ url: 'x'.repeat(3000) }).success).toBe(false);
    expect(contract['dialog:pickFolder'].response.safeParse({ path: 'relative/dir' }).success).toBe(false);
    expect(contract['dialog:pickFolder'].response.safeParse({ path: '/abs/dir' }).success).toBe(true);
    expect(contract['dialog:pickFolder'].response.safeParse({ path: 'C:\\Users\\me' }).success).toBe(true);
    expect(contract['dialog:pickFolder'].response.safeParse({ path: '/a\0b' }).success).toBe(false);
  });

  it('isChannel does not fall for prototype keys', () => {
    expect(isChannel('state:get')).toBe(true);
    for (const v of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 42, null])
      expect(isChannel(v)).toBe(false);
  });

  it('the state event schema accepts the initial state and rejects a wrong tier', () => {
    expect(events['state:changed'].safeParse(initialState()).success).toBe(true);
    expect(AppStateSchema.safeParse({ ...initialState(), activeTier: 'root' }).success).toBe(false);
  });
});

describe('security policies', () => {
  it('external links: https allowlisted hosts only', () => {
    expect(isAllowedExternalUrl('https://docs.aws.amazon.com/systems-manager/latest/userguide/x.html')).toBe(
      true,
    );
    expect(isAllowedExternalUrl('https://github.com/anthropics/claude-code')).toBe(true);
    for (const bad of [
      'http://github.com/',
      'https://github.com.evil.example/',
      'https://evil.example/?u=https://github.com',
      'https://github.com:8443/',
      'https://a:b@github.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(isAllowedExternalUrl(bad), bad).toBe(false);
    }
  });

  it('sender frames: only the app file:// document (or the exact dev origin in dev)', () => {
    const own = 'file:///opt/Elevate/resources/app.asar/out/renderer/index.html';
    expect(isTrustedRendererUrl(`${own}#/settings`, own)).toBe(true);
    expect(isTrustedRendererUrl(`${own}?x=1`, own)).toBe(true);
    expect(isTrustedRendererUrl('file:///tmp/evil/index.html', own)).toBe(false);
    expect(isTrustedRendererUrl('https://evil.example/', own)).toBe(false);
    expect(isTrustedRendererUrl('about:blank', own)).toBe(false);
    expect(isTrustedRendererUrl('', own)).toBe(false);
    expect(isTrustedRendererUrl('http://localhost:5173/', own)).toBe(false);
    expect(isTrustedRendererUrl('http://localhost:5173/', own, 'http://localhost:5173')).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5174/', own, 'http://localhost:5173')).toBe(false);
  });
});
