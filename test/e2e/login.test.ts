// The whole browser-login journey as a user runs it: login → whoami → logout → whoami, against oidc-provider.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { completeLogin, followLogout } from '../support/login-driver.ts';
import { startTestProvider, type TestProvider } from '../support/provider.ts';
import { RECORDING_BROWSER, runCli, sandbox, startLogin, waitForRecordedUrl } from '../support/cli.ts';

function assertNoSecrets(text: string, secrets: Array<string | undefined>) {
  for (const secret of secrets) if (secret) assert.ok(!text.includes(secret), 'a token leaked into the output');
}

for (const rpInitiatedLogout of [true, false]) {
  const style = rpInitiatedLogout ? 'RP-initiated logout (end_session_endpoint)' : 'an Auth0-like tenant (/v2/logout)';
  describe(`login, whoami, logout against ${style}`, () => {
    let provider: TestProvider;
    const box = sandbox();
    before(async () => {
      provider = await startTestProvider({ rpInitiatedLogout });
    });
    after(async () => {
      await provider.close();
      box.cleanup();
    });

    test('the journey', async () => {
      const env: NodeJS.ProcessEnv = { ...box.env, MYCLI_ISSUER: provider.issuer, MYCLI_CLIENT_ID: provider.clientId };
      const login = await startLogin(['--port', '0'], env);
      assert.equal(login.url.searchParams.get('code_challenge_method'), 'S256');
      assert.ok(login.url.searchParams.get('state') && login.url.searchParams.get('nonce'));
      assert.equal(login.url.searchParams.get('prompt'), null, 'mycli must not force prompt=consent');
      assert.equal(login.url.searchParams.get('scope'), 'openid profile email offline_access');
      const page = await completeLogin(login.url.href, { login: 'alice' });
      assert.equal(page.status, 200);
      assert.match(page.body, /You are logged in as Alice \(alice@example\.com\)/);
      const result = await login.output;
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /Logged in as Alice <alice@example\.com>/);

      // The session file: 0600 in a 0700 directory, with what refresh and logout need.
      const file = join(env.MYCLI_CONFIG_DIR!, 'sessions', 'default.json');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(statSync(join(env.MYCLI_CONFIG_DIR!, 'sessions')).mode & 0o777, 0o700);
      assert.equal(statSync(env.MYCLI_CONFIG_DIR!).mode & 0o777, 0o700);
      const session = JSON.parse(readFileSync(file, 'utf8'));
      assert.equal(session.version, 1);
      assert.equal(session.user.email, 'alice@example.com');
      assert.ok(session.tokens.accessToken && session.tokens.refreshToken && session.tokens.idToken);
      assert.equal(session.endpoints.end_session_endpoint !== undefined, rpInitiatedLogout);
      assert.ok(session.endpoints.token_endpoint.startsWith(provider.issuer));
      const secrets = [session.tokens.accessToken, session.tokens.refreshToken, session.tokens.idToken];
      assertNoSecrets(result.stderr + result.stdout, secrets);

      const whoami = await runCli(['whoami'], env);
      assert.equal(whoami.code, 0);
      assert.match(whoami.stdout, /Logged in as Alice <alice@example\.com>/);
      assert.match(whoami.stdout, /Subject: alice/);
      assert.match(whoami.stdout, /Profile: default/);
      assertNoSecrets(whoami.stdout + whoami.stderr, secrets);

      const json = await runCli(['whoami', '--json'], env);
      assert.equal(json.code, 0);
      const identity = JSON.parse(json.stdout);
      assert.deepEqual(Object.keys(identity), ['loggedIn', 'profile', 'source', 'issuer', 'clientId', 'user', 'expiresAt']);
      assert.deepEqual(identity.user, { sub: 'alice', email: 'alice@example.com', name: 'Alice' });
      assert.equal(identity.source, 'session');
      assert.equal(identity.clientId, provider.clientId);
      assert.ok(Date.parse(identity.expiresAt) > Date.now());

      // Logout: the browser gets the URL with id_token_hint; the terminal never does.
      const log = join(box.dir, 'browser.log');
      const logoutEnv = { ...env, BROWSER: RECORDING_BROWSER, MYCLI_TEST_BROWSER_LOG: log };
      const logout = await runCli(['logout', '--return-to', 'http://127.0.0.1/logged-out'], logoutEnv);
      assert.equal(logout.code, 0, logout.stderr);
      assert.match(logout.stderr, /Logged out/);
      assertNoSecrets(logout.stdout + logout.stderr, secrets);
      const [opened] = await waitForRecordedUrl(log);
      assert.ok(opened, 'the logout URL was handed to the browser');
      const url = new URL(opened);
      assert.equal(url.searchParams.get('client_id'), provider.clientId);
      if (rpInitiatedLogout) {
        assert.equal(url.origin + url.pathname, session.endpoints.end_session_endpoint);
        assert.equal(url.searchParams.get('id_token_hint'), session.tokens.idToken);
        assert.equal(url.searchParams.get('post_logout_redirect_uri'), 'http://127.0.0.1/logged-out');
        // The provider accepts it and sends the browser back where we asked.
        assert.equal(await followLogout(opened), 'http://127.0.0.1/logged-out');
      } else {
        assert.equal(url.origin + url.pathname, `${provider.issuer}/v2/logout`);
        assert.equal(url.searchParams.get('returnTo'), 'http://127.0.0.1/logged-out');
        assert.match(url.search, /returnTo=http%3A%2F%2F127\.0\.0\.1%2Flogged-out/);
      }
      assert.throws(() => statSync(file), /ENOENT/);

      const gone = await runCli(['whoami', '--json'], env);
      assert.equal(gone.code, 4);
      assert.deepEqual(JSON.parse(gone.stdout), { loggedIn: false, profile: 'default' });
      const again = await runCli(['logout'], env);
      assert.equal(again.code, 0);
      assert.match(again.stderr, /Not logged in/);
    });
  });
}

describe('logout without a browser', () => {
  let provider: TestProvider;
  const box = sandbox();
  before(async () => {
    provider = await startTestProvider();
  });
  after(async () => {
    await provider.close();
    box.cleanup();
  });

  test('--no-browser prints the logout URL without id_token_hint and opens nothing', async () => {
    const env = { ...box.env, MYCLI_ISSUER: provider.issuer, MYCLI_CLIENT_ID: provider.clientId };
    const login = await startLogin(['--port', '0', '--json'], env);
    await completeLogin(login.url.href, { login: 'bob' });
    const result = await login.output;
    assert.equal(result.code, 0);
    assert.equal(JSON.parse(result.stdout).user.email, 'bob@example.com');

    const log = join(box.dir, 'browser.log');
    const logout = await runCli(['logout', '--no-browser'], { ...env, BROWSER: RECORDING_BROWSER, MYCLI_TEST_BROWSER_LOG: log, MYCLI_RETURN_TO: 'https://example.com/after-logout' });
    assert.equal(logout.code, 0);
    assert.deepEqual(await waitForRecordedUrl(log, 1, 1000), []);
    const printed = logout.stderr.match(/https?:\/\/\S*session\/end\S*/)?.[0];
    assert.ok(printed, logout.stderr);
    assert.equal(new URL(printed).searchParams.get('id_token_hint'), null);
    assert.equal(new URL(printed).searchParams.get('post_logout_redirect_uri'), 'https://example.com/after-logout');
  });
});
