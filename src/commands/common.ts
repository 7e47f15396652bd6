import type { Context } from '../context.js';
import { profileSettings } from '../session/config-file.js';
import { configDirFor } from '../session/files.js';
import { DEFAULT_PROFILE, resolveSettings, validateProfile, type SettingFlags, type Settings } from '../settings.js';

export interface ProfileFlags {
  profile?: string;
}

export interface Where {
  configDir: string;
  profile: string;
}

/** The profile (flag > MYCLI_PROFILE > default, validated) and the config directory. */
export function resolveWhere(ctx: Context, flags: ProfileFlags): Where {
  const profile = validateProfile(flags.profile ?? (ctx.env.MYCLI_PROFILE || DEFAULT_PROFILE));
  return { configDir: configDirFor(ctx), profile };
}

/** Every setting for this profile, with flag > environment > config file > default. */
export function loadSettings(ctx: Context, where: Where, flags: SettingFlags): Settings {
  return resolveSettings(where.profile, flags, ctx.env, profileSettings(where.configDir, where.profile));
}
