// Tokens that stay valid: `mycli token`, refresh with rotation, the cross-process lock, whoami --verify
// and revocation on logout, against oidc-provider with short access-token lifetimes.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { completeLogin } from '../support/login-driver.ts';
import { startTestProvider, type TestProvider } from '../support/provider.ts';
import { runCli, sandbox, startLogin, type CliResult } from '../support/cli.ts';

interface SavedSession {
  endpoints: { userinfo_endpoint: string };
  user: { sub: string; email: string };
  tokens: { accessToken: string; refreshToken: string; idToken?: string; expiresAt: string };
}

const box = sandbox();
after(() => box.cleanup());
let dirs = 0;

/** A fresh config directory logged in to the provider; the access token lives `ttl` seconds. */
async function loggedIn(provider: TestProvider, ttl: number, login = 'alice') {
  const env: NodeJS.ProcessEnv = {
    ...box.env,
    MYCLI_CONFIG_DIR: join(box.dir, `config-${(dirs += 1)}`),
    MYCLI_ISSUER: provider.issuer,
    MYCLI_CLIENT_ID: provider.clientId,
    MYCLI_CALLBACK_PORT: '0',
  };
  provider.setAccessTokenTtl(ttl);
  const started = await startLogin([], env);
  await completeLogin(started.url.href, { login });
  const result = await started.output;
  assert.equal(result.code, 0, result.stderr);
  // Tokens issued from now on (by refreshes) live an hour.
  provider.setAccessTokenTtl(3600);
  const file = join(env.MYCLI_CONFIG_DIR!, 'sessions', 'default.json');
  return { env, file, session: readSession(file) };
}

function readSession(file: string): SavedSession {
  return JSON.parse(readFileSync(file, 'utf8')) as SavedSession;
}

async function userinfoStatus(session: SavedSession, accessToken: string): Promise<number> {
  const response = await fetch(session.endpoints.userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` } });
  await response.arrayBuffer();
  return response.status;
}

/** Waits until the provider itself rejects the login's access token: it has really expired. */
async function waitForExpiry(session: SavedSession): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await userinfoStatus(session, session.tokens.accessToken)) !== 401) {
    assert.ok(Date.now() < deadline, 'the short-lived access token never expired');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A refresh straight at the provider with openid-client, as a check of what the provider thinks. */
async function refreshAtProvider(provider: TestProvider, refreshToken: string) {
  const config = await client.discovery(new URL(provider.issuer), provider.clientId, undefined, client.None(), {
    execute: [client.allowInsecureRequests],
  });
  return client.refreshTokenGrant(config, refreshToken);
}

function assertNoTokens(result: CliResult, session: SavedSession, allowOnStdout?: string) {
  const stdout = allowOnStdout === undefined ? result.stdout : result.stdout.replaceAll(allowOnStdout, '');
  for (const secret of [session.tokens.accessToken, session.tokens.refreshToken, session.tokens.idToken]) {
    if (secret) assert.ok(!(stdout + result.stderr).includes(secret), 'a token leaked into the output');
  }
}

describe('mycli token', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await startTestProvider();
  });
  after(() => provider.close());

  test('a valid token is printed from the file, one line, without asking the provider', async () => {
    const { env, session } = await loggedIn(provider, 3600);
    const refreshes = provider.counts.refresh;
    const plain = await runCli(['token'], env);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout, `${session.tokens.accessToken}\n`);
    assert.equal(plain.stderr, '');
    const json = await runCli(['token', '--json'], env);
    assert.equal(json.code, 0);
    assert.deepEqual(JSON.parse(json.stdout), { accessToken: session.tokens.accessToken, expiresAt: session.tokens.expiresAt });
    assert.equal(provider.counts.refresh, refreshes);
  });

  test('after expiry it refreshes once, prints a new valid token and saves the rotated refresh token', async () => {
    const { env, file, session } = await loggedIn(provider, 1);
    await waitForExpiry(session);
    const refreshes = provider.counts.refresh;
    const result = await runCli(['token'], env);
    assert.equal(result.code, 0, result.stderr);
    const printed = result.stdout.trim();
    assert.equal(result.stdout, `${printed}\n`);
    assert.notEqual(printed, session.tokens.accessToken);
    assert.equal(await userinfoStatus(session, printed), 200, 'the provider accepts the printed token');
    assert.equal(provider.counts.refresh, refreshes + 1);

    const saved = readSession(file);
    assert.equal(saved.tokens.accessToken, printed);
    assert.ok(saved.tokens.refreshToken && saved.tokens.refreshToken !== session.tokens.refreshToken, 'the rotated refresh token is saved');
    assert.ok(Date.parse(saved.tokens.expiresAt) > Date.now() + 3000_000);
    assert.deepEqual(saved.user, session.user);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.ok(!existsSync(`${file}.lock`), 'the lock is released');
    assertNoTokens(result, saved, printed);

    // The next call uses the saved token.
    const again = await runCli(['token', '--json'], env);
    assert.equal(JSON.parse(again.stdout).accessToken, printed);
    assert.equal(provider.counts.refresh, refreshes + 1);
  });

  test('a token that expires within 60 seconds is refreshed before it is printed', async () => {
    const { env, session } = await loggedIn(provider, 30);
    const refreshes = provider.counts.refresh;
    const result = await runCli(['token'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.notEqual(result.stdout.trim(), session.tokens.accessToken);
    assert.equal(provider.counts.refresh, refreshes + 1);
  });

  test('8 processes at once after expiry: all get the same valid token from one refresh, and the family survives', async () => {
    const { env, file, session } = await loggedIn(provider, 1);
    await waitForExpiry(session);
    const refreshes = provider.counts.refresh;
    const results = await Promise.all(Array.from({ length: 8 }, () => runCli(['token'], env)));
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    const tokens = new Set(results.map((result) => result.stdout));
    assert.equal(tokens.size, 1, 'every process printed the token of the one refresh');
    const printed = results[0]!.stdout.trim();
    assert.equal(await userinfoStatus(session, printed), 200);
    assert.equal(provider.counts.refresh, refreshes + 1, 'the provider saw exactly one refresh');
    assert.ok(!existsSync(`${file}.lock`), 'the lock is released');

    // A later refresh with the saved refresh token works: the token family was not burned.
    const saved = readSession(file);
    assert.equal(saved.tokens.accessToken, printed);
    const later = await refreshAtProvider(provider, saved.tokens.refreshToken);
    assert.ok(later.access_token);
  });

  test('a lock left behind by a crashed process is taken over', async () => {
    const { env, file, session } = await loggedIn(provider, 1);
    await waitForExpiry(session);
    mkdirSync(`${file}.lock`);
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, longAgo, longAgo);
    const refreshes = provider.counts.refresh;
    const result = await runCli(['token'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(provider.counts.refresh, refreshes + 1);
    assert.ok(!existsSync(`${file}.lock`));
  });

  test('MYCLI_TOKEN is printed as it is and no file is touched', async () => {
    const dir = join(box.dir, 'never-created');
    const env = { ...box.env, MYCLI_CONFIG_DIR: dir, MYCLI_TOKEN: 'ci-token.abc' };
    const plain = await runCli(['token'], env);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout, 'ci-token.abc\n');
    const json = await runCli(['token', '--json'], env);
    assert.deepEqual(JSON.parse(json.stdout), { accessToken: 'ci-token.abc', expiresAt: null });
    assert.ok(!existsSync(dir), 'the config directory was not created');
    const bad = await runCli(['token'], { ...env, MYCLI_TOKEN: 'two words' });
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, '');
  });

  test('not logged in: exit 4 with a hint, nothing on stdout', async () => {
    const result = await runCli(['token'], { ...box.env, MYCLI_CONFIG_DIR: join(box.dir, 'empty') });
    assert.equal(result.code, 4);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /Not logged in \(profile default\)/);
    assert.match(result.stderr, /mycli login/);
  });
});

describe('whoami --verify and a revoked session', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await startTestProvider();
  });
  after(() => provider.close());

  test('a session the provider accepts: exit 0 after asking userinfo; whoami alone asks nothing', async () => {
    const { env, session } = await loggedIn(provider, 3600);
    const userinfo = provider.counts.userinfo;
    const plain = await runCli(['whoami'], env);
    assert.equal(plain.code, 0);
    assert.equal(provider.counts.userinfo, userinfo);
    const verified = await runCli(['whoami', '--verify', '--json'], env);
    assert.equal(verified.code, 0, verified.stderr);
    assert.equal(JSON.parse(verified.stdout).user.sub, session.user.sub);
    assert.match(verified.stderr, /The provider accepts this session/);
    assert.equal(provider.counts.userinfo, userinfo + 1);
  });

  test('an expired session is refreshed first, then verified', async () => {
    const { env, file, session } = await loggedIn(provider, 1);
    await waitForExpiry(session);
    const refreshes = provider.counts.refresh;
    const result = await runCli(['whoami', '--verify'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Logged in as Alice <alice@example\.com>/);
    assert.equal(provider.counts.refresh, refreshes + 1);
    assert.notEqual(readSession(file).tokens.accessToken, session.tokens.accessToken);
  });

  test('revoked at the provider: token and whoami --verify exit 4 with "mycli login"; the file is kept', async () => {
    const { env, file, session } = await loggedIn(provider, 1);
    await waitForExpiry(session);
    await provider.revokeRefreshTokens();
    const before = readFileSync(file);
    const refreshes = provider.counts.refresh;

    const token = await runCli(['token'], env);
    assert.equal(token.code, 4, token.stderr);
    assert.equal(token.stdout, '');
    assert.match(token.stderr, /can no longer be refreshed.*invalid_grant/);
    assert.match(token.stderr, /mycli login/);
    assert.equal(provider.counts.refresh, refreshes + 1);

    const verify = await runCli(['whoami', '--verify'], env);
    assert.equal(verify.code, 4, verify.stderr);
    assert.match(verify.stderr, /mycli login/);
    const json = await runCli(['whoami', '--verify', '--json'], env);
    assert.equal(json.code, 4);
    assert.deepEqual(JSON.parse(json.stdout), { loggedIn: false, profile: 'default' });

    assert.deepEqual(readFileSync(file), before, 'the session file is kept as it was');
    assert.ok(!existsSync(`${file}.lock`));
    for (const result of [token, verify, json]) assertNoTokens(result, session);
  });

  test('a token the provider revoked before it expired: whoami --verify exits 4', async () => {
    const { env, session } = await loggedIn(provider, 3600);
    const config = await client.discovery(new URL(provider.issuer), provider.clientId, undefined, client.None(), {
      execute: [client.allowInsecureRequests],
    });
    // oidc-provider revokes the whole grant with the access token, refresh token included.
    await client.tokenRevocation(config, session.tokens.accessToken);
    const refreshes = provider.counts.refresh;
    const result = await runCli(['whoami', '--verify'], env);
    assert.equal(result.code, 4, result.stderr);
    assert.match(result.stderr, /mycli login/);
    assert.equal(provider.counts.refresh, refreshes + 1, 'one refresh settled whether the session still works');
  });
});

describe('the provider is down', () => {
  let provider: TestProvider;
  let closed = false;
  before(async () => {
    provider = await startTestProvider();
  });
  after(async () => {
    if (!closed) await provider.close();
  });

  test('token and whoami --verify exit 1 with the reason; the file stays byte for byte; logout still works', async () => {
    const { env, file, session } = await loggedIn(provider, 1);
    await waitForExpiry(session);
    await provider.close();
    closed = true;
    const before = readFileSync(file);

    const token = await runCli(['token'], env);
    assert.equal(token.code, 1, token.stderr);
    assert.equal(token.stdout, '');
    assert.match(token.stderr, /Refreshing the access token at http:\/\/127\.0\.0\.1:\d+\/token failed: cannot reach the provider: connection refused \(ECONNREFUSED 127\.0\.0\.1:\d+\)/);
    const verify = await runCli(['whoami', '--verify'], env);
    assert.equal(verify.code, 1, verify.stderr);
    assert.match(verify.stderr, /cannot reach the provider/);
    assert.deepEqual(readFileSync(file), before, 'the session file is unchanged');
    assert.ok(!existsSync(`${file}.lock`));

    const logout = await runCli(['logout', '--no-browser'], env);
    assert.equal(logout.code, 0, logout.stderr);
    assert.match(logout.stderr, /Warning: Revoking the refresh token failed: cannot reach the provider/);
    assert.ok(!existsSync(file), 'the local session is gone');
    for (const result of [token, verify, logout]) assertNoTokens(result, session);
  });
});

describe('logout revokes the refresh token', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await startTestProvider();
  });
  after(() => provider.close());

  test('after logout a refresh with the old refresh token fails at the provider', async () => {
    const { env, file, session } = await loggedIn(provider, 3600);
    const revocations = provider.counts.revocation;
    const logout = await runCli(['logout', '--no-browser'], env);
    assert.equal(logout.code, 0, logout.stderr);
    assert.match(logout.stderr, /Revoked the refresh token/);
    assert.equal(provider.counts.revocation, revocations + 1);
    assert.ok(!existsSync(file));
    await assert.rejects(refreshAtProvider(provider, session.tokens.refreshToken), { error: 'invalid_grant' });
    assertNoTokens(logout, session);
  });

  test('--no-revoke leaves the refresh token alone', async () => {
    const { env, file, session } = await loggedIn(provider, 3600);
    const revocations = provider.counts.revocation;
    const logout = await runCli(['logout', '--no-browser', '--no-revoke'], env);
    assert.equal(logout.code, 0, logout.stderr);
    assert.equal(provider.counts.revocation, revocations);
    assert.ok(!existsSync(file));
    const refreshed = await refreshAtProvider(provider, session.tokens.refreshToken);
    assert.ok(refreshed.access_token);
  });

});
