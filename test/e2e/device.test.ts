// `mycli login --device` (RFC 8628) against oidc-provider, the person approving over HTTP.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { approveDevice } from '../support/login-driver.ts';
import { startTestProvider, type TestProvider } from '../support/provider.ts';
import { RECORDING_BROWSER, runCli, sandbox, startDeviceLogin, waitForRecordedUrl } from '../support/cli.ts';

const sessionFile = (env: NodeJS.ProcessEnv) => join(env.MYCLI_CONFIG_DIR!, 'sessions', 'default.json');

/** Resolves once the provider has seen `count` device-code polls. */
async function polled(provider: TestProvider, count: number): Promise<void> {
  while (provider.devicePolls.length < count) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('login --device', () => {
  let provider: TestProvider;
  const boxes: Array<ReturnType<typeof sandbox>> = [];
  const freshEnv = (extra: NodeJS.ProcessEnv = {}) => {
    const box = sandbox();
    boxes.push(box);
    return { ...box.env, MYCLI_ISSUER: provider.issuer, MYCLI_CLIENT_ID: provider.clientId, ...extra };
  };
  before(async () => {
    provider = await startTestProvider();
  });
  after(async () => {
    await provider.close();
    for (const box of boxes) box.cleanup();
  });

  test('prints the URL and code, the person approves elsewhere, the session is saved like a browser login', async () => {
    const env = freshEnv();
    const login = await startDeviceLogin([], env);
    assert.equal(login.verificationUri, `${provider.issuer}/device`);
    assert.match(login.userCode, /^[A-Z]{4}-[A-Z]{4}$/);
    await approveDevice(login.verificationUri, login.userCode, { login: 'alice' });
    const result = await login.output;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /THIS machine/);
    assert.match(result.stderr, /Logged in as Alice <alice@example\.com>/);
    // No display, no BROWSER: nothing opened and no tip to use --device (this is --device).
    assert.doesNotMatch(result.stderr, /--device`/);

    const session = JSON.parse(readFileSync(sessionFile(env), 'utf8'));
    assert.equal(session.source, 'session');
    assert.equal(session.user.sub, 'alice');
    assert.ok(session.tokens.accessToken && session.tokens.refreshToken && session.tokens.idToken);
    assert.equal(session.endpoints.device_authorization_endpoint, `${provider.issuer}/device/auth`);
    for (const secret of [session.tokens.accessToken, session.tokens.refreshToken, session.tokens.idToken]) {
      assert.ok(!result.stderr.includes(secret), 'a token leaked into the output');
    }
    const whoami = await runCli(['whoami', '--json'], env);
    assert.equal(whoami.code, 0);
    assert.deepEqual(JSON.parse(whoami.stdout).user, { sub: 'alice', email: 'alice@example.com', name: 'Alice' });
  });

  test('BROWSER gets verification_uri_complete; --json prints the identity', async () => {
    const log = join(boxes[0]!.dir, 'device-browser.log');
    const env = freshEnv({ BROWSER: RECORDING_BROWSER, MYCLI_TEST_BROWSER_LOG: log });
    const login = await startDeviceLogin(['--json'], env);
    const [opened] = await waitForRecordedUrl(log);
    assert.equal(opened, `${provider.issuer}/device?user_code=${login.userCode}`);
    await approveDevice(opened!, login.userCode, { login: 'bob' });
    const result = await login.output;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).user.email, 'bob@example.com');
  });

  test('--no-browser and CI open nothing, even with BROWSER set; --device works under CI', async () => {
    for (const extra of [{ args: ['--no-browser'], env: {} }, { args: [], env: { CI: 'true' } }]) {
      const log = join(boxes[0]!.dir, `no-browser-${extra.args.length}.log`);
      const env = freshEnv({ BROWSER: RECORDING_BROWSER, MYCLI_TEST_BROWSER_LOG: log, ...extra.env });
      const login = await startDeviceLogin(extra.args, env);
      await approveDevice(login.verificationUri, login.userCode);
      const result = await login.output;
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(await waitForRecordedUrl(log, 1, 1000), [], 'no browser was opened');
    }
  });

  test('denied at the provider: exit 1, a clear line, no session', async () => {
    const env = freshEnv();
    const login = await startDeviceLogin([], env);
    await approveDevice(login.verificationUri, login.userCode, { deny: true });
    const result = await login.output;
    assert.equal(result.code, 1);
    assert.match(result.stderr, /The login was denied/);
    assert.ok(!existsSync(sessionFile(env)));
  });

  test('Ctrl-C while polling: exit 130, no session', async () => {
    const env = freshEnv();
    const login = await startDeviceLogin([], env);
    login.child.kill('SIGINT');
    const result = await login.output;
    assert.equal(result.code, 130);
    assert.match(result.stderr, /cancelled/i);
    assert.ok(!existsSync(sessionFile(env)));
  });

  test('--timeout ends the wait: exit 1, no session', async () => {
    const env = freshEnv();
    const result = await runCli(['login', '--device', '--timeout', '1'], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Timed out after 1 seconds waiting for the code/);
    assert.ok(!existsSync(sessionFile(env)));
  });

  test('a failed login keeps the session you had', async () => {
    const env = freshEnv();
    const first = await startDeviceLogin([], env);
    await approveDevice(first.verificationUri, first.userCode, { login: 'carol' });
    assert.equal((await first.output).code, 0);
    const before = readFileSync(sessionFile(env), 'utf8');
    const second = await startDeviceLogin([], env);
    await approveDevice(second.verificationUri, second.userCode, { deny: true });
    assert.equal((await second.output).code, 1);
    assert.equal(readFileSync(sessionFile(env), 'utf8'), before);
  });
});

describe('login --device against providers that behave differently', () => {
  const box = sandbox();
  after(() => box.cleanup());

  test('the code expires before anyone enters it: exit 1, a clear line, no session', async () => {
    const provider = await startTestProvider({ deviceCodeTtl: 2 });
    try {
      const env = { ...box.env, MYCLI_CONFIG_DIR: join(box.dir, 'expired'), MYCLI_ISSUER: provider.issuer, MYCLI_CLIENT_ID: provider.clientId };
      const result = await runCli(['login', '--device'], env);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /The code expired before the login was approved/);
      assert.match(result.stderr, /mycli login --device/);
      assert.ok(!existsSync(sessionFile(env)));
    } finally {
      await provider.close();
    }
  });

  test('interval and slow_down are honoured: polls at least `interval` apart, 5 s more after slow_down', async () => {
    const provider = await startTestProvider({ deviceInterval: 1, deviceSlowDown: 1 });
    try {
      const env = { ...box.env, MYCLI_CONFIG_DIR: join(box.dir, 'slow'), MYCLI_ISSUER: provider.issuer, MYCLI_CLIENT_ID: provider.clientId };
      const started = Date.now();
      const login = await startDeviceLogin([], env);
      await polled(provider, 1); // answered slow_down
      await approveDevice(login.verificationUri, login.userCode, { login: 'dave' });
      const result = await login.output;
      assert.equal(result.code, 0, result.stderr);
      const [first, second] = provider.devicePolls;
      assert.equal(provider.devicePolls.length, 2, 'approved before the second poll, so it succeeds');
      assert.ok(first! - started >= 1000, 'the first poll waited the interval');
      // Lower bounds only: timers never fire early, so these cannot flake on a slow machine.
      assert.ok(second! - first! >= 5900, `after slow_down the next poll waits interval + 5 s (waited ${second! - first!} ms)`);
    } finally {
      await provider.close();
    }
  });

  test('a provider without a device endpoint: exit 2 with a line saying so', async () => {
    const provider = await startTestProvider({ deviceFlow: false });
    try {
      const env = { ...box.env, MYCLI_CONFIG_DIR: join(box.dir, 'nodevice'), MYCLI_ISSUER: provider.issuer, MYCLI_CLIENT_ID: provider.clientId };
      const result = await runCli(['login', '--device'], env);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /offers no device authorization endpoint/);
      assert.equal(provider.counts.token, 0);
    } finally {
      await provider.close();
    }
  });
});
