import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
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
 * Writes JSON through conf, the one writer of mycli's files: atomically (a temp file created 0600,
 * fsynced, then renamed over the old one), so a process killed at any moment leaves either the old file
 * or the new one, never half of one; in a 0700 directory. conf is loaded only here: the read paths
 * parse the same JSON without it (the format is defined once, in format.ts and config-file.ts).
 */
export async function writePrivateJson(path: string, data: object): Promise<void> {
  try {
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
    withoutSnapFallback(() => {
      store.store = data as Record<string, unknown>;
    });
    if (process.platform !== 'win32') chmodSync(path, PRIVATE_FILE);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new CliError(`Cannot write ${path} (${code}).`, ExitCode.failed, 'Check that this directory is yours and writable, or set MYCLI_CONFIG_DIR.');
  }
  removeStaleTempFiles(path);
}

/**
 * conf writes in place, not atomically, whenever SNAP is set (it works around snap confinement), and
 * terminals of snap-packaged editors set it: test/e2e/files.test.ts shows such writes leaving empty
 * sessions when killed. mycli is never a snap, so SNAP is hidden for the (synchronous) write.
 */
function withoutSnapFallback(write: () => void): void {
  const snap = process.env.SNAP;
  delete process.env.SNAP;
  try {
    write();
  } finally {
    if (snap !== undefined) process.env.SNAP = snap;
  }
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
