// The login as a person does it, in a real headless Chromium: mycli hands its URL to the browser through
// BROWSER, Chromium fills in the test provider's pages, and the test looks at what the tab shows.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import type { Page } from 'playwright-core';
import { runCli, sandbox, startCli, startLogin } from '../support/cli.ts';
import { launchChromium, screenshot, type TestChromium } from '../support/chromium.ts';
import { checkBothSchemes, historyUrls, visibleText, watchTab } from '../support/page-checks.ts';
import { startTestProvider, type TestProvider } from '../support/provider.ts';

/** At the provider's sign-in page: types the account and any password, then consents if asked. */
async function signIn(page: Page, login = 'alice'): Promise<void> {
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any password');
  const signInPage = page.url();
  await Promise.all([
    page.waitForURL((url) => url.href !== signInPage),
    page.getByRole('button', { name: 'Sign-in' }).click(),
  ]);
  if (new URL(page.url()).pathname.startsWith('/interaction/')) {
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Authorize');
    await page.getByRole('button', { name: 'Continue' }).click();
  }
}

async function waitForResultPage(page: Page): Promise<URL> {
  await page.waitForURL((url) => url.pathname === '/done', { waitUntil: 'load' });
  return new URL(page.url());
}

describe('in a real browser (Chromium)', () => {
  let chromium: TestChromium;
  let provider: TestProvider;
  let box: ReturnType<typeof sandbox>;
  let env: NodeJS.ProcessEnv;
  const sessionFile = () => join(env.MYCLI_CONFIG_DIR!, 'sessions', 'default.json');

  before(async () => {
    [chromium, provider] = await Promise.all([launchChromium(), startTestProvider()]);
  });
  after(async () => {
    await Promise.all([chromium?.close(), provider?.close()]);
  });
  // Each test: its own config dir, a browser signed out everywhere.
  beforeEach(() => {
    box = sandbox();
    env = { ...box.env, ...chromium.browserEnv, MYCLI_ISSUER: provider.issuer, MYCLI_CLIENT_ID: provider.clientId };
  });
  afterEach(async () => {
    await chromium.reset();
    box.cleanup();
  });

  test('login: sign in and consent in Chromium; the result page says who, keeps no code, needs nothing else, and is accessible', async () => {
    const nextTab = chromium.nextTab();
    const login = await startLogin(['--port', '0'], env);
    const page = await nextTab;
    const tab = await watchTab(page);
    await page.waitForURL((url) => url.pathname.startsWith('/interaction/'));
    const doneResponse = page.waitForResponse((response) => new URL(response.url()).pathname === '/done');
    await signIn(page, 'alice');
    const done = await waitForResultPage(page);

    // What the person sees.
    assert.equal(await page.title(), 'mycli: Logged in');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Logged in');
    const text = await visibleText(page);
    assert.match(text, /^mycli Logged in /);
    assert.match(text, /You are logged in as Alice \(alice@example\.com\)\./);
    assert.match(text, /You can close this tab and return to your terminal\./);

    // The code is gone from the address bar and from the tab's history.
    const callbackOrigin = new URL(login.url.searchParams.get('redirect_uri')!).origin;
    assert.equal(done.origin, callbackOrigin);
    assert.equal(done.search, '');
    const history = await historyUrls(page);
    assert.equal(history.at(-1), done.href);
    for (const entry of history) assert.ok(!new URL(entry).searchParams.has('code'), `the history keeps a code: ${new URL(entry).pathname}`);

    // Self-contained: after the callback the tab asked only for /done, and nothing was blocked or failed.
    const fromCallback = tab.requests.findIndex((url) => url.origin === callbackOrigin);
    assert.deepEqual(tab.requests.slice(fromCallback).map((url) => url.origin + url.pathname), [`${callbackOrigin}/callback`, `${callbackOrigin}/done`]);
    assert.deepEqual(tab.consoleErrors(), []);
    await checkBothSchemes(page, 'login-success');
    // The inline script is allowed by its hash alone, and still runs (a CSP refusal would be a console error).
    const csp = (await doneResponse).headers()['content-security-policy'] ?? '';
    const scriptSrc = csp.split(';').map((directive) => directive.trim()).find((directive) => directive.startsWith('script-src '));
    assert.match(scriptSrc ?? '', /^script-src 'sha256-[A-Za-z0-9+/]{43}='$/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    await tab.closeRequested();

    const result = await login.output;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^✓ Logged in as Alice <alice@example\.com>$/m);
    assert.equal(JSON.parse(readFileSync(sessionFile(), 'utf8')).user.email, 'alice@example.com');
  });

  test('cancel at the provider: the error page shows its error and what to do; exit 1, no session', async () => {
    const nextTab = chromium.nextTab();
    const login = await startLogin(['--port', '0'], env);
    const page = await nextTab;
    const tab = await watchTab(page);
    await page.getByRole('link', { name: '[ Cancel ]' }).click();
    const done = await waitForResultPage(page);

    assert.equal(await page.title(), 'mycli: Login failed');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Login failed');
    const text = await visibleText(page);
    assert.match(text, /^mycli Login failed End-User aborted interaction /);
    assert.match(text, /Error: access_denied/);
    assert.match(text, /What to do next Return to your terminal and run mycli login again\./);
    assert.equal(done.search, '');
    assert.deepEqual(tab.consoleErrors(), []);
    await checkBothSchemes(page, 'login-cancelled');

    const result = await login.output;
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^✗ The provider refused the login: access_denied \(End-User aborted interaction\)\.\nRun `mycli login` again/m);
    assert.ok(!existsSync(sessionFile()));
  });

  test('an error description with markup is shown as text and never run', async () => {
    const nextTab = chromium.nextTab();
    const login = await startLogin(['--port', '0'], env);
    const page = await nextTab;
    const tab = await watchTab(page);
    // What a hostile or broken provider could send back to the callback.
    const callback = new URL(login.url.searchParams.get('redirect_uri')!);
    callback.searchParams.set('error', 'access_denied<i>');
    callback.searchParams.set('error_description', '<img src=x onerror="document.title=1"><b>bold</b> & "quoted"');
    callback.searchParams.set('state', login.url.searchParams.get('state')!);
    await page.goto(callback.href);
    await waitForResultPage(page);

    const text = await visibleText(page);
    assert.match(text, /<img src=x onerror="document\.title=1"><b>bold<\/b> & "quoted"/);
    assert.match(text, /Error: access_denied<i>/);
    assert.equal(await page.locator('main img, main b, main i').count(), 0);
    assert.equal(await page.title(), 'mycli: Login failed');
    assert.deepEqual(tab.consoleErrors(), []);
    await screenshot(page, 'login-error-markup');

    const result = await login.output;
    assert.equal(result.code, 1);
    assert.match(result.stderr, /refused the login: access_denied<i> \(<img src=x/);
  });

  test('logout: the browser reaches the provider’s end-session page and signs out there', async () => {
    const nextTab = chromium.nextTab();
    const login = await startLogin(['--port', '0'], env);
    await signIn(await nextTab);
    assert.equal((await login.output).code, 0);

    const logoutTab = chromium.nextTab();
    const logout = await runCli(['logout'], env);
    assert.equal(logout.code, 0, logout.stderr);
    assert.ok(!existsSync(sessionFile()));
    const page = await logoutTab;
    await page.waitForURL((url) => url.pathname === '/session/end');
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /Do you want to sign-out from 127\.0\.0\.1:\d+\?/);
    await screenshot(page, 'logout-confirm');
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL((url) => url.pathname === '/session/end/success');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Sign-out Success');
    await screenshot(page, 'logout-done');

    // The browser session really ended: the next login asks for the password again.
    const againTab = chromium.nextTab();
    const again = await startLogin(['--port', '0'], env);
    const againPage = await againTab;
    await againPage.waitForURL((url) => url.pathname.startsWith('/interaction/'));
    await againPage.locator('input[name=password]').waitFor();
    again.child.kill('SIGINT');
    assert.equal((await again.output).code, 130);
  });

  test('device flow: the verification page in Chromium (openid-client drives the device side)', async () => {
    const config = await oidc.discovery(new URL(provider.issuer), provider.clientId, undefined, undefined, { execute: [oidc.allowInsecureRequests] });
    const device = await oidc.initiateDeviceAuthorization(config, { scope: 'openid profile email offline_access' });
    const page = await chromium.newTab();
    const tab = await watchTab(page);
    await page.goto(device.verification_uri);
    await approveDeviceInBrowser(page, device.user_code, 'bob');
    const tokens = await oidc.pollDeviceAuthorizationGrant(config, device);
    assert.equal(tokens.claims()?.sub, 'bob');
    assert.ok(tab.requests.some((url) => url.pathname === '/device'));
  });

  test('mycli login --device: mycli opens the verification page, the person confirms the code in Chromium; exit 0 and the session saved', async () => {
    const nextTab = chromium.nextTab();
    const child = startCli(['login', '--device'], env);
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // mycli hands the browser verification_uri_complete, so the person only confirms the code it shows.
    const page = await nextTab;
    const userCode = await poll(() => /\b[A-Z]{4}-[A-Z]{4}\b/.exec(stderr)?.[0]);
    assert.ok(new URL(page.url()).pathname.startsWith('/device'), page.url());
    await approveDeviceInBrowser(page, userCode, 'carol');
    const result = await child.output;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Logged in as Carol <carol@example\.com>/);
    assert.equal(JSON.parse(readFileSync(sessionFile(), 'utf8')).user.email, 'carol@example.com');
  });
});

async function poll<T>(read: () => T | undefined, timeoutMs = 15_000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (let value = read(); ; value = read()) {
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** At the provider's device pages: types the code if asked, confirms it, signs in, consents, sees success. */
async function approveDeviceInBrowser(page: Page, userCode: string | undefined, login: string): Promise<void> {
  const codeInput = page.locator('input[name=user_code]:not([type=hidden])');
  if (await codeInput.count()) {
    assert.ok(userCode, 'the user code was printed');
    await codeInput.fill(userCode);
    await page.locator('button[type=submit]').first().click();
    await page.waitForLoadState();
  }
  // verification_uri_complete lands on a page that submits the code by itself: wait for where it goes.
  await page.getByRole('heading', { level: 1, name: 'Confirm Device' }).waitFor({ timeout: 15_000 });
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Confirm Device');
  if (userCode) assert.match(await visibleText(page), new RegExp(userCode));
  await screenshot(page, 'device-confirm');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.locator('input[name=login]').waitFor();
  await signIn(page, login);
  await page.waitForURL((url) => /^\/device\/./.test(url.pathname));
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Sign-in Success');
  await screenshot(page, 'device-success');
}
