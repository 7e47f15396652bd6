import { homedir } from 'node:os';
import { isatty } from 'node:tty';
import type { Context } from './context.js';
import { providerFetchFor } from './net/proxy.js';

/** Splits a BROWSER value such as `firefox --new-window` into a command and its arguments. */
export function splitCommandLine(value: string): string[] {
  const parts: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of value.matchAll(pattern)) parts.push(match[1] ?? match[2] ?? match[3] ?? '');
  return parts;
}

/** How long a BROWSER command has to fail before mycli takes it as started (a browser stays open). */
const BROWSER_FAILURE_WINDOW_MS = 1500;

/**
 * Starts the BROWSER command detached, so closing mycli never closes the browser it opened. Rejects
 * when it cannot be started or exits with a failure at once (a wrapper script that finds no browser);
 * resolves when it exits cleanly (an opener such as wslview) or is still running after a moment.
 */
async function startBrowserCommand(command: string, args: string[]): Promise<void> {
  // Loaded here, not at start-up: whoami and token never open a browser.
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    const timer = setTimeout(() => {
      child.unref();
      resolve();
    }, BROWSER_FAILURE_WINDOW_MS);
    const settle = (error?: Error) => {
      clearTimeout(timer);
      child.unref();
      if (error) reject(error);
      else resolve();
    };
    child.once('error', settle);
    child.once('exit', (code, signal) => settle(code === 0 ? undefined : new Error(`exited with ${signal ?? `code ${code}`}`)));
  });
}

export async function openInBrowser(url: string, env: Context['env']): Promise<void> {
  const browser = env.BROWSER?.trim();
  if (browser) {
    const [command, ...args] = splitCommandLine(browser);
    if (!command) throw new Error('BROWSER is empty');
    return startBrowserCommand(command, [...args, url]);
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
    // HTTPS_PROXY/HTTP_PROXY/NO_PROXY apply to provider requests only.
    fetch: providerFetchFor(env),
    openBrowser: (url) => openInBrowser(url, env),
    signal,
  };
}
