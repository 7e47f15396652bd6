// Runs the built mycli as a user would: a child process with its own config directory and environment.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForUrl } from './login-driver.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'mycli.js');
/** A BROWSER command that records each URL it is handed (one per line) in $MYCLI_TEST_BROWSER_LOG. */
export const RECORDING_BROWSER = `node ${join(ROOT, 'test', 'support', 'recording-browser.mjs')}`;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A temp config dir and a clean environment: no CI, no display, no BROWSER, no MYCLI_* from the host. */
export function sandbox(): { dir: string; env: NodeJS.ProcessEnv; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mycli-test-'));
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(MYCLI_|CI$|BROWSER$|DISPLAY$|WAYLAND_DISPLAY$|SSH_|NO_COLOR$|FORCE_COLOR$|HTTPS?_PROXY$|NO_PROXY$)/i.test(key)) env[key] = value;
  }
  env.MYCLI_CONFIG_DIR = join(dir, 'config');
  return { dir, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function startCli(args: string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams & { output: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const output = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return Object.assign(child, { output });
}

export async function runCli(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CliResult> {
  const child = startCli(args, env);
  child.stdin.end(input ?? '');
  return child.output;
}

/** Starts `mycli login` and resolves with the authorization URL it prints on stderr. */
export async function startLogin(args: string[], env: NodeJS.ProcessEnv) {
  const child = startCli(['login', ...args], env);
  const url = await waitForUrl(child.stderr, /\/auth\?/);
  return { child, url: new URL(url), output: child.output };
}

/**
 * Resolves with the first match of `pattern` in everything `stream` has carried (a running mycli's
 * stderr), ANSI styling removed; rejects when the stream ends or the time runs out first.
 */
export function waitForText(stream: NodeJS.ReadableStream, pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (error?: Error, match?: RegExpMatchArray) => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      if (error) reject(error);
      else resolve(match as RegExpMatchArray);
    };
    const onData = (chunk: Buffer | string) => {
      // eslint-disable-next-line no-control-regex
      text += chunk.toString().replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
      const match = text.match(pattern);
      if (match) finish(undefined, match);
    };
    const onEnd = () => finish(new Error(`waitForText: the stream ended without ${pattern}:\n${text}`));
    const timer = setTimeout(() => finish(new Error(`waitForText: no ${pattern} within ${timeoutMs} ms:\n${text}`)), timeoutMs);
    stream.on('data', onData);
    stream.on('end', onEnd);
  });
}

/** Starts `mycli login --device` and resolves with the verification URL and user code it prints. */
export async function startDeviceLogin(args: string[], env: NodeJS.ProcessEnv) {
  const child = startCli(['login', '--device', ...args], env);
  const [, verificationUri = '', userCode = ''] = await waitForText(child.stderr, /open this page in a browser on any device:\s+(\S+)\s+and enter the code:\s+(\S+)/);
  return { child, verificationUri, userCode, output: child.output };
}

export function recordedUrls(logFile: string): string[] {
  try {
    return readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** The recording browser runs detached from mycli, so its log may lag the CLI's exit a little. */
export async function waitForRecordedUrl(logFile: string, count = 1, timeoutMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const urls = recordedUrls(logFile);
    if (urls.length >= count || Date.now() > deadline) return urls;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
