// The settings form's mapping (renderer/src/features/settings/settingsForm.ts): what the window sends to
// settings:set for what the user typed, checked against the real schema and main's own merge (mergeSettingsPatch).
import { describe, expect, it } from 'vitest';
import { mergeSettingsPatch as merge } from '../../electron/app/core';
import { defaultSettings, parseSettings, SettingsSchema } from '../../shared/settings';
import {
  formFromSettings,
  formToPatch,
  type SettingsForm,
} from '../../renderer/src/features/settings/settingsForm';

describe('settings form', () => {
  it('defaults: empty text fields, the default model and minutes; the patch leaves them unset', () => {
    const form = formFromSettings(defaultSettings());
    expect(form).toEqual({
      readonly: '',
      elevated: '',
      terminal: '',
      claudePath: '',
      bedrockEnabled: true,
      model: 'us.anthropic.claude-sonnet-4-6',
      region: '',
      minutes: 30,
      launchAtLogin: false,
      instanceId: '',
      wsRegion: '',
      operatorProfile: '',
      maxElevatedPerDay: '',
      maxSession: '',
    });
    expect(formToPatch(form)).toEqual({
      tiers: { readonly: null, elevated: null },
      terminal: null,
      claudePath: null,
      bedrock: { enabled: true, model: 'us.anthropic.claude-sonnet-4-6', region: null },
      elevation: { defaultMinutes: 30 },
      launchAtLogin: false,
      workstation: { instanceId: null, region: null, operatorProfile: null },
      costGuard: { maxElevatedMinutesPerDay: null, maxSessionMinutes: null },
    });
  });

  it('text is trimmed, blanks (spaces only) become null, limits become numbers', () => {
    const form: SettingsForm = {
      ...formFromSettings(defaultSettings()),
      readonly: '  my-ro ',
      elevated: '   ',
      terminal: 'xterm',
      model: ' us.anthropic.claude-opus-4 ',
      region: ' eu-west-1',
      minutes: 45,
      instanceId: 'i-0123456789abcdef0 ',
      maxElevatedPerDay: '120',
      maxSession: ' 90 ',
      launchAtLogin: true,
      bedrockEnabled: false,
    };
    const patch = formToPatch(form);
    expect(patch.tiers).toEqual({ readonly: 'my-ro', elevated: null });
    expect(patch.terminal).toBe('xterm');
    expect(patch.bedrock).toEqual({
      enabled: false,
      model: 'us.anthropic.claude-opus-4',
      region: 'eu-west-1',
    });
    expect(patch.elevation).toEqual({ defaultMinutes: 45 });
    expect(patch.workstation.instanceId).toBe('i-0123456789abcdef0');
    expect(patch.costGuard).toEqual({ maxElevatedMinutesPerDay: 120, maxSessionMinutes: 90 });
    expect(patch.launchAtLogin).toBe(true);
  });

  it('saved settings → form → patch → merged settings: the same settings, unknown keys kept', () => {
    const saved = SettingsSchema.parse({
      tiers: { readonly: 'ro', elevated: 'el' },
      terminal: 'gnome-terminal',
      claudePath: '/opt/claude',
      bedrock: { enabled: true, model: 'm', region: 'us-west-2' },
      elevation: { defaultMinutes: 15 },
      launchAtLogin: true,
      workstation: { instanceId: 'i-0fedcba9876543210', region: 'us-east-1', operatorProfile: 'me' },
      costGuard: { maxElevatedMinutesPerDay: 60, maxSessionMinutes: 240 },
      recentFolders: ['/p'],
      futureKey: { kept: true },
    });
    const merged = merge(saved as Record<string, unknown>, { ...formToPatch(formFromSettings(saved)) });
    const r = parseSettings(merged);
    expect(r.ok).toBe(true);
    expect(r.ok && r.settings).toEqual(saved);
    expect((merged as { futureKey?: unknown }).futureKey).toEqual({ kept: true });
  });

  it('clearing a field removes the key, so the default (or detection) applies again', () => {
    const saved = SettingsSchema.parse({
      tiers: { readonly: 'ro' },
      terminal: 'xterm',
      costGuard: { maxSessionMinutes: 240 },
    });
    const form = { ...formFromSettings(saved), readonly: '', terminal: ' ', maxSession: '' };
    const merged = merge(saved as Record<string, unknown>, { ...formToPatch(form) });
    const r = parseSettings(merged);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings.tiers.readonly).toBeUndefined();
    expect(r.settings.terminal).toBeUndefined();
    expect(r.settings.costGuard.maxSessionMinutes).toBeUndefined();
  });

  it('a value the schema refuses is sent as typed and refused by main with the field named', () => {
    const form = { ...formFromSettings(defaultSettings()), region: 'mars-north-1x', maxSession: '0' };
    const r = parseSettings(merge(defaultSettings() as Record<string, unknown>, { ...formToPatch(form) }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.join('\n')).toMatch(/bedrock\.region: an AWS region such as us-east-1/);
    expect(!r.ok && r.errors.join('\n')).toMatch(/costGuard\.maxSessionMinutes/);
  });
});
