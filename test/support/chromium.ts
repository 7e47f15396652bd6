// A real headless Chromium for the browser tests: Debian's /usr/bin/chromium (installed by apt-get in
// .ci/run, never downloaded by a test tool), driven by playwright-core over the DevTools protocol.
//
// mycli hands URLs to it the way it hands them to any browser, through BROWSER: the command
// test/support/chromium-browser.mjs asks this Chromium (DevTools HTTP endpoint, PUT /json/new) to open
// the URL in a new tab, as `chromium URL` does for a running browser. The test then drives that tab.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './cli.ts';

export const CHROMIUM_PATH = process.env.MYCLI_TEST_CHROMIUM_PATH || '/usr/bin/chromium';
/** The BROWSER value that opens mycli's URLs in the test's Chromium (given MYCLI_TEST_CHROMIUM). */
export const CHROMIUM_BROWSER = `node ${join(ROOT, 'test', 'support', 'chromium-browser.mjs')}`;
/** Screenshots of the pages the tests reach (git-ignored). */
export const OUTPUT_DIR = join(ROOT, 'test-output');

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--window-size=1000,750',
  // Hermetic: only loopback resolves (the test provider's pages @import a web font; the result page must need nothing).
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];
const TIMEOUT_MS = 30_000;

export interface TestChromium {
  /** http://127.0.0.1:PORT: the DevTools endpoint */
  endpoint: string;
  browser: Browser;
  context: BrowserContext;
  /** Environment for mycli so that it opens its URLs here. */
  browserEnv: { BROWSER: string; MYCLI_TEST_CHROMIUM: string };
  /** The next tab something else opens (mycli through BROWSER). Call it before starting mycli. */
  nextTab(): Promise<Page>;
  /** A tab the test opens itself. */
  newTab(): Promise<Page>;
  /** Between tests: closes every tab and forgets cookies, so each test starts signed out. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Starts Chromium with a fresh profile and connects to it. One per test file keeps the suite quick. */
export async function launchChromium(): Promise<TestChromium> {
  // The profile, and Chromium's own temp files (TMPDIR: Debian's wrapper puts shared memory there), in one dir.
  const profile = mkdtempSync(join(tmpdir(), 'mycli-chromium-'));
  mkdirSync(join(profile, 'tmp'));
  const child = spawn(CHROMIUM_PATH, [...FLAGS, '--remote-debugging-port=0', `--user-data-dir=${join(profile, 'data')}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, TMPDIR: join(profile, 'tmp') },
  });
  // Whatever happens to the test process, Chromium goes with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let browser: Browser | undefined;
  try {
    const wsEndpoint = await devToolsEndpoint(child);
    const endpoint = `http://${new URL(wsEndpoint).host}`;
    browser = await chromium.connectOverCDP(wsEndpoint, { timeout: TIMEOUT_MS });
    const context = browser.contexts()[0];
    if (!context) throw new Error('Chromium has no default browser context');
    context.setDefaultTimeout(TIMEOUT_MS);
    const connected = browser;
    return {
      endpoint,
      browser: connected,
      context,
      browserEnv: { BROWSER: CHROMIUM_BROWSER, MYCLI_TEST_CHROMIUM: endpoint },
      nextTab: () => context.waitForEvent('page', { timeout: TIMEOUT_MS }),
      newTab: () => context.newPage(),
      async reset() {
        // Keep one blank tab: Chromium quits when its last tab closes.
        const keep = await context.newPage();
        await Promise.all(context.pages().filter((page) => page !== keep).map((page) => page.close()));
        await context.clearCookies();
      },
      async close() {
        // Browser.close lets Chromium shut down (and stop writing to its profile) before it is removed.
        await connected.newBrowserCDPSession().then((cdp) => cdp.send('Browser.close')).catch(() => {});
        await stop(child);
        process.off('exit', killOnExit);
        removeProfile(profile);
      },
    };
  } catch (error) {
    await browser?.close().catch(() => {});
    await stop(child);
    process.off('exit', killOnExit);
    removeProfile(profile);
    throw error;
  }
}

/** Chromium prints "DevTools listening on ws://…" on stderr once it accepts connections. */
function devToolsEndpoint(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`Chromium did not start within ${TIMEOUT_MS} ms:\n${output}`)), TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(output);
      if (match?.[1]) done(match[1]);
    };
    const onError = (error: Error) => fail(new Error(`Cannot start ${CHROMIUM_PATH} (install Debian's chromium package): ${error.message}`));
    const onExit = (code: number | null) => fail(new Error(`Chromium exited (${code}) before it listened:\n${output}`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('error', onError);
      child.off('exit', onExit);
      // Keep draining stderr so Chromium never blocks on a full pipe.
      child.stderr?.resume();
    };
    const done = (ws: string) => {
      cleanup();
      resolve(ws);
    };
    const fail = (error: Error) => {
      cleanup();
      reject(error);
    };
    child.stderr?.on('data', onData);
    child.once('error', onError);
    child.once('exit', onExit);
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Saves a full-page screenshot as test-output/NAME.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const path = join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Chromium's helper processes may still be flushing the profile for a moment after the browser exits. */
function removeProfile(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}
