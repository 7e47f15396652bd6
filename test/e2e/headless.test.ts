// Where a browser can and cannot be opened: no display, SSH, BROWSER, CI, and no terminal at all.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { authorizeUntilCallback, completeLogin } from '../support/login-driver.ts';
import { startTestProvider, type TestProvider } from '../support/provider.ts';
import { RECORDING_BROWSER, recordedUrls, runCli, sandbox, startCli, startLogin, waitForRecordedUrl, waitForText } from '../support/cli.ts';

describe('headless and non-interactive detection', () => {
  let provider: TestProvider;
  let env: NodeJS.ProcessEnv;
  const box = sandbox();
  /**
   * The platform opener (`open` → xdg-open) falls back to www-browser without a display and to
   * x-www-browser with one: these stand-ins on PATH record any URL it hands them.
   */
  const openerLog = join(box.dir, 'platform-opener.log');
  before(async () => {
    provider = await startTestProvider();
    const bin = join(box.dir, 'bin');
    mkdirSync(bin);
    for (const name of ['www-browser', 'x-www-browser']) {
      writeFileSync(join(bin, name), `#!/bin/sh\necho "$@" >> '${openerLog}'\n`);
      chmodSync(join(bin, name), 0o755);
    }
    env = {
      ...box.env,
      PATH: `${bin}:${box.env.PATH}`,
      MYCLI_ISSUER: provider.issuer,
      MYCLI_CLIENT_ID: provider.clientId,
      MYCLI_CALLBACK_PORT: '0',
    };
  });
  after(async () => {
    await provider.close();
    box.cleanup();
  });
  const inBox = (name: string, extra: NodeJS.ProcessEnv = {}) => ({ ...env, MYCLI_CONFIG_DIR: join(box.dir, name), ...extra });

  for (const [what, extra] of [
    ['no DISPLAY or WAYLAND_DISPLAY', {}],
    ['an SSH session, even with a DISPLAY', { DISPLAY: ':0', SSH_CONNECTION: '10.0.0.2 50000 10.0.0.1 22' }],
  ] as const) {
    test(`${what}: prints the URL, suggests --device in one line, opens nothing, and waits`, async () => {
      const login = await startLogin([], inBox(what.replace(/\W/g, ''), extra));
      const page = await completeLogin(login.url.href);
      assert.equal(page.status, 200);
      const result = await login.output;
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stderr.includes(login.url.href), 'the URL is printed in full');
      const tips = result.stderr.split('\n').filter((line) => line.includes('mycli login --device'));
      assert.equal(tips.length, 1, result.stderr);
      assert.match(tips[0]!, /No browser can be opened here/);
      assert.deepEqual(recordedUrls(openerLog), [], 'the platform opener was not run');
    });
  }

  test('BROWSER is used when set, display or not, with the URL as its last argument', async () => {
    const log = join(box.dir, 'browser.log');
    const login = await startLogin([], inBox('browser', { BROWSER: `${RECORDING_BROWSER} --new-window`, MYCLI_TEST_BROWSER_LOG: log }));
    const [opened] = await waitForRecordedUrl(log);
    assert.equal(opened, login.url.href);
    await completeLogin(opened!);
    const result = await login.output;
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /No browser can be opened|Could not open/);
  });

  for (const [what, browser] of [
    ['exits with a failure', 'false'],
    ['cannot be started', '/nonexistent/browser'],
  ] as const) {
    test(`a BROWSER command that ${what}: a warning, the URL stays on screen, and the login keeps waiting`, async () => {
      const login = await startLogin([], inBox(`failing-${browser.length}`, { BROWSER: browser }));
      await waitForText(login.child.stderr, /Could not open a browser with the BROWSER command\. Open the URL above yourself; mycli keeps waiting\./);
      await completeLogin(login.url.href);
      const result = await login.output;
      assert.equal(result.code, 0, result.stderr);
    });
  }

  test('CI: a plain login fails fast with exit 2 and names every alternative, before any request', async () => {
    const authorizations = provider.counts.authorization;
    const result = await runCli(['login'], inBox('ci', { CI: 'true', BROWSER: RECORDING_BROWSER }));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot open a browser under CI/);
    for (const way of ['--client-credentials', 'MYCLI_CLIENT_SECRET', 'MYCLI_TOKEN', '--device', '--no-browser']) {
      assert.ok(result.stderr.includes(way), `names ${way}`);
    }
    assert.equal(provider.counts.authorization, authorizations);
  });

  test('CI with an explicit --no-browser: prints the URL, opens nothing (not even BROWSER), logs in', async () => {
    const log = join(box.dir, 'ci-browser.log');
    const login = await startLogin(['--no-browser'], inBox('ci-no-browser', { CI: 'true', BROWSER: RECORDING_BROWSER, MYCLI_TEST_BROWSER_LOG: log }));
    await completeLogin(login.url.href);
    const result = await login.output;
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await waitForRecordedUrl(log, 1, 1000), []);
  });

  test('without a terminal: plain lines only (no spinner, no colour, no paste prompt), and stdin is not read', async () => {
    const configDir = join(box.dir, 'no-tty');
    const login = startCli(['login', '--timeout', '3'], inBox('no-tty'));
    const [authorizationUrl] = await waitForText(login.stderr, /http\S+\/auth\?\S+/);
    // A valid callback URL on stdin is ignored: without a terminal nobody is pasting.
    login.stdin.write(`${await authorizeUntilCallback(authorizationUrl)}\n`);
    const result = await login.output;
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /Timed out after 3 seconds/);
    assert.ok(!existsSync(join(configDir, 'sessions', 'default.json')));
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(result.stderr, /[\r\u001b]/, 'no spinner frames or colour codes');
    assert.doesNotMatch(result.stderr, /paste/i);
    assert.match(result.stderr, /^Waiting for you to log in in the browser… Press Ctrl-C to cancel\.$/m);
  });
});
