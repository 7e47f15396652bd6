import { chmodSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Context } from '../context.js';

/** Where config and sessions live: MYCLI_CONFIG_DIR, else the per-user config directory. */
export function configDirFor(ctx: Pick<Context, 'env' | 'platform' | 'homeDir'>): string {
  const { env, platform, homeDir } = ctx;
  if (env.MYCLI_CONFIG_DIR) return env.MYCLI_CONFIG_DIR;
  if (platform === 'win32') return join(env.APPDATA || join(homeDir, 'AppData', 'Roaming'), 'mycli');
  if (platform === 'darwin') return join(homeDir, 'Library', 'Application Support', 'mycli');
  return join(env.XDG_CONFIG_HOME || join(homeDir, '.config'), 'mycli');
}

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/** Creates the directory 0700, and tightens an existing one that other users could read. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  if (process.platform !== 'win32' && (statSync(dir).mode & 0o077) !== 0) chmodSync(dir, PRIVATE_DIR);
}

/** The file's text, or undefined when it does not exist. A file others could read is tightened first. */
export function readPrivateFile(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) chmodSync(path, PRIVATE_FILE);
  return text;
}

/**
 * Writes JSON through conf, the one writer of mycli's files: atomically (temp file + rename, so a
 * crash never leaves half a file), mode 0600, in a 0700 directory. conf is loaded only here, since
 * its schema validator is the costliest import and the read paths do not need it.
 */
export async function writePrivateJson(path: string, data: object): Promise<void> {
  const dir = dirname(path);
  ensurePrivateDir(dir);
  const { default: Conf } = await import('conf');
  const store = new Conf<Record<string, unknown>>({
    cwd: dir,
    configName: basename(path, extname(path)),
    configFileMode: PRIVATE_FILE,
    // A damaged file is replaced, never fatal: the caller already decided to overwrite it.
    clearInvalidConfig: true,
  });
  store.store = data as Record<string, unknown>;
  if (process.platform !== 'win32') chmodSync(path, PRIVATE_FILE);
}

export function removeFile(path: string): boolean {
  try {
    statSync(path);
  } catch {
    return false;
  }
  rmSync(path, { force: true });
  return true;
}
