import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { isSettingKey, type StoredSettings } from '../settings.js';
import { readPrivateFile, writePrivateJson } from './files.js';

/** CONFIG_DIR/config.json: `{"version":1,"profiles":{"default":{"issuer":"…","client-id":"…"}}}`. */
export const CONFIG_VERSION = 1;
export interface ConfigFile {
  version: typeof CONFIG_VERSION;
  profiles: Record<string, StoredSettings>;
}

export function configPath(configDir: string): string {
  return join(configDir, 'config.json');
}

function damaged(path: string, problem: string): UsageError {
  return new UsageError(
    `The config file ${path} is damaged (${problem}).`,
    'Fix it by hand, or delete it and set your settings again with `mycli config set`.',
  );
}

export function readConfig(configDir: string): ConfigFile {
  const path = configPath(configDir);
  let text: string | undefined;
  try {
    text = readPrivateFile(path);
  } catch (error) {
    throw damaged(path, `cannot read it: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`);
  }
  if (text === undefined) return { version: CONFIG_VERSION, profiles: {} };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw damaged(path, text.trim() === '' ? 'the file is empty' : 'not valid JSON');
  }
  const file = data as Partial<ConfigFile> | null;
  if (typeof file !== 'object' || file === null || Array.isArray(file)) throw damaged(path, 'not a JSON object');
  if (file.version !== CONFIG_VERSION) throw damaged(path, `unsupported format version ${JSON.stringify(file.version ?? null)}`);
  if (typeof file.profiles !== 'object' || file.profiles === null) throw damaged(path, 'no profiles');
  for (const [name, settings] of Object.entries(file.profiles)) {
    if (typeof settings !== 'object' || settings === null) throw damaged(path, `profile ${name} is not an object`);
    for (const [key, value] of Object.entries(settings)) {
      if (!isSettingKey(key) || typeof value !== 'string') throw damaged(path, `unknown setting ${key} in profile ${name}`);
    }
  }
  return file as ConfigFile;
}

export function profileSettings(configDir: string, profile: string): StoredSettings {
  return readConfig(configDir).profiles[profile] ?? {};
}

export async function writeConfig(configDir: string, config: ConfigFile): Promise<void> {
  await writePrivateJson(configPath(configDir), config);
}
