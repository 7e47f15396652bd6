import { homedir } from 'node:os';
import { isatty } from 'node:tty';
import type { Context } from './context.js';

/** Splits a BROWSER value such as `firefox --new-window` into a command and its arguments. */
export function splitCommandLine(value: string): string[] {
  const parts: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of value.matchAll(pattern)) parts.push(match[1] ?? match[2] ?? match[3] ?? '');
  return parts;
}

/** Starts a command detached, so closing mycli never closes the browser it opened. */
async function startDetached(command: string, args: string[]): Promise<void> {
  // Loaded here, not at start-up: whoami and token never open a browser.
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

export async function openInBrowser(url: string, env: Context['env']): Promise<void> {
  const browser = env.BROWSER?.trim();
  if (browser) {
    const [command, ...args] = splitCommandLine(browser);
    if (!command) throw new Error('BROWSER is empty');
    return startDetached(command, [...args, url]);
  }
  const { default: open } = await import('open');
  const child = await open(url, { wait: false });
  child.unref();
}

/** The real context, built once by the entry point. */
export function createProcessContext(signal: AbortSignal): Context {
  const env = process.env;
  return {
    io: {
      stdout: process.stdout,
      stderr: process.stderr,
      // Opening stdin costs start-up time and only the login's paste fallback reads it.
      get stdin() {
        return process.stdin;
      },
      stdoutIsTTY: Boolean(process.stdout.isTTY),
      stderrIsTTY: Boolean(process.stderr.isTTY),
      stdinIsTTY: isatty(0),
    },
    env,
    platform: process.platform,
    homeDir: homedir(),
    now: () => Date.now(),
    fetch: globalThis.fetch,
    openBrowser: (url) => openInBrowser(url, env),
    signal,
  };
}
