// Loads and saves $ELEVATE_HOME/settings.json.
import { defaultSettings, parseSettings, type Settings } from '../../shared/settings';
import { readTextIfExists, writeFileAtomic } from './atomicFile';
import { files, type Env } from './paths';

export class SettingsError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'SettingsError';
  }
}

export function loadSettings(env: Env = process.env): Settings {
  const file = files.settings(env);
  const text = readTextIfExists(file);
  if (text === null || text.trim() === '') return defaultSettings();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SettingsError(file, `${file}: not valid JSON (${(err as Error).message})`);
  }
  const r = parseSettings(json);
  if (!r.ok) throw new SettingsError(file, `${file}: ${r.errors.join('; ')}`);
  return r.settings;
}

export function saveSettings(settings: Settings, env: Env = process.env): void {
  const r = parseSettings(settings);
  if (!r.ok) throw new SettingsError(files.settings(env), r.errors.join('; '));
  writeFileAtomic(files.settings(env), `${JSON.stringify(r.settings, null, 2)}\n`, {
    backup: true,
    mode: 0o600,
  });
}
