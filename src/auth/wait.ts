import type { Context } from '../context.js';
import { InterruptedError, type CliError } from '../errors.js';

/**
 * Waits for `work`, but no longer than `seconds` (then rejects with `onTimeout()`) and not past
 * Ctrl-C (then rejects at once with "Login cancelled.", exit 130). The long waits of a login (the
 * callback, device polling) share these rules.
 */
export async function waitAtMost<T>(ctx: Context, work: Promise<T>, seconds: number, onTimeout: () => CliError): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(onTimeout()), seconds * 1000);
      }),
      new Promise<never>((_, reject) => {
        onAbort = () => reject(new InterruptedError('Login cancelled.'));
        if (ctx.signal.aborted) onAbort();
        else ctx.signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) ctx.signal.removeEventListener('abort', onAbort);
  }
}
