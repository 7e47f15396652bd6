import { fstatSync, statSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Context, Output } from './context.js';
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

/**
 * stdout or stderr of this process, written synchronously with fs.writeSync. Node's stream objects for
 * them (and node:tty, node:net and the stream machinery behind those) cost `mycli whoami` and
 * `mycli token` a third of their start-up, for a line or two of text; process.stdout on a terminal or
 * a pipe writes synchronously on POSIX too, so the order of lines is the same. On Windows the stream
 * stays: a console takes text through it (as UTF-16), where bytes written to it would be read in the
 * console's code page.
 */
function processOutput(fd: 1 | 2): Output {
  if (process.platform === 'win32') {
    let stream: NodeJS.WriteStream | undefined;
    const open = () => {
      stream = fd === 1 ? process.stdout : process.stderr;
      // The reader went away (`mycli token | more`, quit early): nothing more can be shown.
      stream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
      });
      return stream;
    };
    return { write: (text) => (stream ?? open()).write(text) };
  }
  return {
    write(text) {
      const bytes = Buffer.from(text);
      for (let offset = 0; offset < bytes.length; ) {
        try {
          offset += writeSync(fd, bytes, offset);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          // `mycli token | head -c 10`: the reader went away, and nothing more can be shown.
          if (code === 'EPIPE') return;
          // A terminal or pipe someone left non-blocking, full for a moment: write the rest again.
          if (code !== 'EAGAIN') throw error;
        }
      }
    },
  };
}

/**
 * Whether a descriptor is a terminal. Only a character device can be one, and /dev/null is not: those
 * answers (output to a pipe, a file or /dev/null) need no node:tty, which loads node:net, a tenth of
 * `mycli whoami`'s start-up; for the rest node:tty decides.
 */
function isTerminal(fd: number): boolean {
  try {
    const stats = fstatSync(fd);
    if (!stats.isCharacterDevice()) return false;
    if (process.platform !== 'win32' && stats.rdev === statSync('/dev/null').rdev) return false;
  } catch {
    return false; // a closed descriptor
  }
  return process.getBuiltinModule('node:tty').isatty(fd);
}

/** The real context, built once by the entry point. */
export function createProcessContext(signal: AbortSignal): Context {
  const env = process.env;
  return {
    io: {
      stdout: processOutput(1),
      stderr: processOutput(2),
      get stderrStream() {
        return process.stderr;
      },
      // Opening stdin costs start-up time and only the login's paste fallback reads it.
      get stdin() {
        return process.stdin;
      },
      get stdoutIsTTY() {
        return isTerminal(1);
      },
      get stderrIsTTY() {
        return isTerminal(2);
      },
      get stdinIsTTY() {
        return isTerminal(0);
      },
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
