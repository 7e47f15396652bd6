// The loopback listener's rules (SPEC.md "The loopback callback"), each against a running `mycli login`.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
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

  test('forged and malformed requests get 4xx and do not end the wait; the real callback then logs in', async () => {
    const login = await startLogin([], env);
    const port = callbackPort(login.url);
    const state = login.url.searchParams.get('state')!;
    const tokenRequestsBefore = provider.counts.token;

    const forged: Array<[string, { method?: string; path: string; host?: string }, number]> = [
      ['wrong state with a code', { path: '/callback?code=forged&state=not-the-state' }, 400],
      ['wrong state with an error', { path: '/callback?error=access_denied&state=not-the-state' }, 400],
      ['missing state', { path: '/callback?code=forged' }, 400],
      ['duplicated state', { path: `/callback?code=forged&state=${state}&state=${state}` }, 400],
      ['duplicated code', { path: `/callback?code=a&code=b&state=${state}` }, 400],
      ['an iss of another issuer', { path: `/callback?code=forged&state=${state}&iss=https%3A%2F%2Fevil.example` }, 400],
      ['another Host (DNS rebinding)', { path: `/callback?code=forged&state=${state}`, host: 'evil.example:80' }, 421],
      ['the right port on another host name', { path: `/callback?code=forged&state=${state}`, host: `evil.example:${port}` }, 421],
      ['POST', { method: 'POST', path: `/callback?code=forged&state=${state}` }, 405],
      ['another path', { path: `/other?code=forged&state=${state}` }, 404],
      ['the result page before any result', { path: '/done' }, 404],
    ];
    for (const [what, request, status] of forged) {
      const response = await rawRequest(port, request);
      assert.equal(response.status, status, what);
      assert.equal(response.headers['referrer-policy'], 'no-referrer', what);
    }
    assert.equal(provider.counts.token, tokenRequestsBefore, 'no token request for a forged code');

    const page = await completeLogin(login.url.href);
    assert.equal(page.status, 200);
    const result = await login.output;
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(sessionFile()));

    // The listener is gone: replaying the callback is refused at the socket.
    await assert.rejects(rawRequest(port, { path: new URL(page.callbackUrl).pathname + new URL(page.callbackUrl).search }), /ECONNREFUSED/);
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
});
