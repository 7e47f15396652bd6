import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import type { Context } from '../context.js';
import { AuthError, InterruptedError } from '../errors.js';
import { sessionPath } from './store.js';

/**
 * A holder that crashed (kill -9, power loss) leaves its lock behind; after this long without the
 * holder touching it, proper-lockfile takes it over. A live holder touches it every STALE_MS / 2.
 */
const STALE_MS = 10_000;
/** Longer than one refresh can take (openid-client gives up on a request after 30 s). */
const MAX_WAIT_MS = 60_000;
const FIRST_DELAY_MS = 20;
const MAX_DELAY_MS = 200;

export function lockPath(configDir: string, profile: string): string {
  return `${sessionPath(configDir, profile)}.lock`;
}

/**
 * Waits for proper-lockfile's lock on the profile's session file (the directory SESSION.json.lock
 * beside it) and then runs fn, so a refresh is single-flight across processes. The waiting loop is
 * ours rather than proper-lockfile's `retries` so that Ctrl-C stops it.
 */
export async function withSessionLock<T>(ctx: Context, configDir: string, profile: string, fn: () => Promise<T>): Promise<T> {
  const release = await acquire(ctx, sessionPath(configDir, profile));
  try {
    return await fn();
  } finally {
    // Fails only when the lock was compromised (taken over as stale): then it is no longer ours to remove.
    await release().catch(() => undefined);
  }
}

async function acquire(ctx: Context, file: string): Promise<() => Promise<void>> {
  let waited = 0;
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    try {
      return await lockfile.lock(file, {
        stale: STALE_MS,
        // The session file is replaced by rename, so lock its path, not whatever it resolves to now.
        realpath: false,
        // The default throws from a timer (a crash). Losing the lock only means another process may
        // refresh too; the worst outcome is the one the lock makes rare, never a lost file.
        onCompromised: () => undefined,
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ELOCKED') throw new AuthError(`Cannot lock the session file ${file} (${code ?? 'unknown error'}).`);
    }
    if (waited >= MAX_WAIT_MS) {
      throw new AuthError(
        `Timed out waiting for another mycli process to finish refreshing the session (lock ${file}.lock).`,
        'If no other mycli is running, delete that directory and try again.',
      );
    }
    try {
      await sleep(delay, undefined, { signal: ctx.signal });
    } catch {
      throw new InterruptedError();
    }
    waited += delay;
  }
}
