import type { Context } from '../context.js';
import { CliError, ExitCode, UsageError } from '../errors.js';
import { readConfig, writeConfig } from '../session/config-file.js';
import { SETTINGS, isSettingKey, validateSetting, type SettingKey } from '../settings.js';
import { createTerminal } from '../ui/terminal.js';
import { resolveWhere, type ProfileFlags } from './common.js';

export interface ConfigFlags extends ProfileFlags {
  json?: boolean;
}

const KEYS = Object.keys(SETTINGS).join(', ');

function settingKey(key: string): SettingKey {
  if (!isSettingKey(key)) throw new UsageError(`Unknown setting ${JSON.stringify(key)}.`, `Settings: ${KEYS}.`);
  return key;
}

export async function runConfigGet(ctx: Context, key: string, flags: ConfigFlags): Promise<void> {
  const name = settingKey(key);
  const where = resolveWhere(ctx, flags);
  const value = readConfig(where.configDir).profiles[where.profile]?.[name];
  if (value === undefined) throw new CliError(`${name} is not set for profile ${where.profile}.`, ExitCode.failed);
  createTerminal(ctx).data(value);
}

export async function runConfigSet(ctx: Context, key: string, value: string, flags: ConfigFlags): Promise<void> {
  const name = settingKey(key);
  const normalised = validateSetting(name, value);
  const where = resolveWhere(ctx, flags);
  const config = readConfig(where.configDir);
  config.profiles[where.profile] = { ...config.profiles[where.profile], [name]: normalised };
  await writeConfig(where.configDir, config);
  createTerminal(ctx).success(`Set ${name} for profile ${where.profile}.`);
}

export async function runConfigUnset(ctx: Context, key: string, flags: ConfigFlags): Promise<void> {
  const name = settingKey(key);
  const where = resolveWhere(ctx, flags);
  const config = readConfig(where.configDir);
  const profile = config.profiles[where.profile];
  if (profile && name in profile) {
    delete profile[name];
    if (Object.keys(profile).length === 0) delete config.profiles[where.profile];
    await writeConfig(where.configDir, config);
  }
  createTerminal(ctx).success(`Unset ${name} for profile ${where.profile}.`);
}

export async function runConfigList(ctx: Context, flags: ConfigFlags): Promise<void> {
  const where = resolveWhere(ctx, flags);
  const settings = readConfig(where.configDir).profiles[where.profile] ?? {};
  const ui = createTerminal(ctx, { json: flags.json });
  if (flags.json) return ui.data(JSON.stringify(settings));
  for (const [key, value] of Object.entries(settings)) ui.data(`${key}=${value}`);
}
