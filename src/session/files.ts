import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Context } from '../context.js';
import { CliError, ExitCode } from '../errors.js';

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

/** atomically's temp files: `NAME.tmp-` + 10 digits of time + 6 hex digits, beside the file. */
function tempFilesOf(path: string): string[] {
  // Profile names are [A-Za-z0-9_-]: the dot before the extension is the only character to escape.
  const pattern = new RegExp(`^${basename(path).replaceAll('.', '\\.')}\\.tmp-\\d{10}[a-f0-9]{6}$`);
  try {
    return readdirSync(dirname(path)).filter((entry) => pattern.test(entry)).map((entry) => join(dirname(path), entry));
  } catch {
    return [];
  }
}

/**
 * A process killed in the middle of a save (kill -9, power loss) leaves its temp file, with tokens in
 * it, beside the real one. Those older than a minute (by the file system's clock: the real file was
 * just written) are removed, so that they neither pile up nor outlive a logout.
 */
function removeStaleTempFiles(path: string): void {
  const now = statSync(path).mtimeMs;
  for (const temp of tempFilesOf(path)) {
    try {
      if (now - statSync(temp).mtimeMs > 60_000) rmSync(temp, { force: true });
    } catch {
      // gone already
    }
  }
}

/**
 * Writes JSON atomically with atomically (a temp file created 0600, fsynced, then renamed over the old
 * one), so a process killed at any moment leaves either the old file or the new one, never half of
 * one; in a 0700 directory. conf, used before, falls back to a plain in-place write whenever the SNAP
 * variable is set (as it is in terminals of snap-packaged editors): test/e2e/files.test.ts shows that
 * write leaving empty and truncated sessions when killed.
 */
export async function writePrivateJson(path: string, data: object): Promise<void> {
  try {
    ensurePrivateDir(dirname(path));
    const { writeFile } = await import('atomically');
    await writeFile(path, `${JSON.stringify(data, null, 2)}\n`, { mode: PRIVATE_FILE });
    if (process.platform !== 'win32') chmodSync(path, PRIVATE_FILE);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new CliError(`Cannot write ${path} (${code}).`, ExitCode.failed, 'Check that this directory is yours and writable, or set MYCLI_CONFIG_DIR.');
  }
  removeStaleTempFiles(path);
}

/** Deletes the file, and any temp file a killed save left beside it. Returns whether the file existed. */
export function removeFile(path: string): boolean {
  for (const temp of tempFilesOf(path)) rmSync(temp, { force: true });
  try {
    statSync(path);
  } catch {
    return false;
  }
  rmSync(path, { force: true });
  return true;
}
