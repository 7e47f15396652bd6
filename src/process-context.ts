import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import type { Context } from './context.js';
import { providerFetchFor } from './net/proxy.js';

/** Splits a BROWSER value such as `firefox --new-window` into a command and its arguments. */
export function splitCommandLine(value: string): string[] {
  const parts: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of value.matchAll(pattern)) parts.push(match[1] ?? match[2] ?? match[3] ?? '');
  return parts;
}

/** Starts a command detached, so closing mycli never closes the browser it opened. */
function startDetached(command: string, args: string[]): Promise<void> {
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
      stdin: process.stdin,
      stdoutIsTTY: Boolean(process.stdout.isTTY),
      stderrIsTTY: Boolean(process.stderr.isTTY),
      stdinIsTTY: Boolean(process.stdin.isTTY),
    },
    env,
    platform: process.platform,
    homeDir: homedir(),
    now: () => Date.now(),
    // HTTPS_PROXY/HTTP_PROXY/NO_PROXY apply to provider requests only.
    fetch: providerFetchFor(env),
    openBrowser: (url) => openInBrowser(url, env),
    signal,
  };
}
