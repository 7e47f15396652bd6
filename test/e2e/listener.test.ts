// The loopback listener's rules (SPEC.md "The loopback callback"), each against a running `mycli login`.
// Forged, malformed and hostile requests are in attack.test.ts.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { authorizeUntilCallback, completeLogin } from '../support/login-driver.ts';
import { startTestProvider, type TestProvider } from '../support/provider.ts';
import { sandbox, startLogin } from '../support/cli.ts';
import { callbackPort, rawRequest } from '../support/http.ts';

describe('the loopback listener', () => {
  let provider: TestProvider;
  let env: NodeJS.ProcessEnv;
  const box = sandbox();
  const sessionFile = () => join(env.MYCLI_CONFIG_DIR!, 'sessions', 'default.json');
  before(async () => {
    provider = await startTestProvider();
    env = { ...box.env, MYCLI_ISSUER: provider.issuer, MYCLI_CLIENT_ID: provider.clientId, MYCLI_CALLBACK_PORT: '0' };
  });
  after(async () => {
    await provider.close();
    box.cleanup();
  });

  test('the provider error ends the login with exit 1 and the error on the page and terminal', async () => {
    const box2 = sandbox();
    const env2 = { ...env, MYCLI_CONFIG_DIR: box2.env.MYCLI_CONFIG_DIR };
    const login = await startLogin([], env2);
    const page = await completeLogin(login.url.href, { deny: true });
    assert.match(page.body, /Login failed/);
    assert.match(page.body, /access_denied/);
    const result = await login.output;
    assert.equal(result.code, 1);
    assert.match(result.stderr, /refused the login: access_denied \(End-User aborted interaction\)/);
    assert.ok(!existsSync(join(env2.MYCLI_CONFIG_DIR!, 'sessions', 'default.json')));
    box2.cleanup();
  });

  test('--timeout ends the wait with exit 1, leaves no session and closes the listener', async () => {
    const box2 = sandbox();
    const env2 = { ...env, MYCLI_CONFIG_DIR: box2.env.MYCLI_CONFIG_DIR };
    const login = await startLogin(['--timeout', '1'], env2);
    const result = await login.output;
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Timed out after 1 seconds/);
    assert.ok(!existsSync(join(env2.MYCLI_CONFIG_DIR!, 'sessions', 'default.json')));
    await assert.rejects(rawRequest(callbackPort(login.url), { path: '/callback' }), /ECONNREFUSED/);
    box2.cleanup();
  });

  test('Ctrl-C exits 130, closes the listener and writes nothing, even with the callback on its way', async () => {
    const box2 = sandbox();
    const env2 = { ...env, MYCLI_CONFIG_DIR: box2.env.MYCLI_CONFIG_DIR };
    const login = await startLogin([], env2);
    const callbackUrl = await authorizeUntilCallback(login.url.href);
    login.child.kill('SIGINT');
    const result = await login.output;
    assert.equal(result.code, 130);
    assert.match(result.stderr, /cancelled/i);
    await assert.rejects(fetch(callbackUrl), /fetch failed/);
    assert.ok(!existsSync(join(env2.MYCLI_CONFIG_DIR!, 'sessions', 'default.json')));
    box2.cleanup();
  });

  test('a session that cannot be saved is a failed login in the browser too, never "logged in"', async () => {
    const box2 = sandbox();
    // A regular file where the sessions directory should be: the save fails, even as root.
    mkdirSync(box2.env.MYCLI_CONFIG_DIR!, { recursive: true });
    writeFileSync(join(box2.env.MYCLI_CONFIG_DIR!, 'sessions'), '');
    const env2 = { ...env, MYCLI_CONFIG_DIR: box2.env.MYCLI_CONFIG_DIR };
    const login = await startLogin([], env2);
    const page = await completeLogin(login.url.href);
    assert.match(page.body, /Login failed/);
    assert.doesNotMatch(page.body, /You are logged in/);
    const result = await login.output;
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Cannot write .*default\.json \((EEXIST|ENOTDIR)\)/);
    assert.doesNotMatch(result.stderr, /Logged in as/);
    box2.cleanup();
  });
});

