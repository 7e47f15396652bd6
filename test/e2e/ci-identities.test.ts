// Identities for CI: `login --client-credentials` (secret from MYCLI_CLIENT_SECRET) and MYCLI_TOKEN.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { approveDevice } from '../support/login-driver.ts';
import { startTestProvider, type TestProvider } from '../support/provider.ts';
import { runCli, sandbox, startDeviceLogin } from '../support/cli.ts';

const sessionFile = (env: NodeJS.ProcessEnv) => join(env.MYCLI_CONFIG_DIR!, 'sessions', 'default.json');
const readSession = (env: NodeJS.ProcessEnv) => JSON.parse(readFileSync(sessionFile(env), 'utf8'));

describe('login --client-credentials', () => {
  let provider: TestProvider;
  const box = sandbox();
  let count = 0;
  /** A CI job: CI set, the client id and secret in the environment, a config dir of its own. */
  const ciEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    ...box.env,
    MYCLI_CONFIG_DIR: join(box.dir, `cc-${(count += 1)}`),
    CI: 'true',
    MYCLI_ISSUER: provider.issuer,
    MYCLI_CLIENT_ID: provider.ccClientId,
    MYCLI_CLIENT_SECRET: provider.ccClientSecret,
    ...extra,
  });
  before(async () => {
    provider = await startTestProvider();
  });
  after(async () => {
    await provider.close();
    box.cleanup();
  });

  test('saves a session whose identity is the client, never the secret; whoami and token use it offline', async () => {
    const env = ciEnv();
    const result = await runCli(['login', '--client-credentials'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Logged in as client mycli-ci \(client credentials\)/);
    const file = readFileSync(sessionFile(env), 'utf8');
    assert.ok(!file.includes(provider.ccClientSecret), 'the secret is never written');
    const session = JSON.parse(file);
    assert.equal(session.source, 'client-credentials');
    assert.deepEqual(session.user, { sub: provider.ccClientId });
    assert.equal(session.clientId, provider.ccClientId);
    assert.equal(session.tokens.refreshToken, undefined);
    assert.ok(session.tokens.accessToken);
    assert.ok(!(result.stderr + result.stdout).includes(session.tokens.accessToken));

    const tokenRequests = provider.counts.token;
    const whoami = await runCli(['whoami', '--json'], env);
    assert.equal(whoami.code, 0, whoami.stderr);
    const identity = JSON.parse(whoami.stdout);
    assert.equal(identity.source, 'client-credentials');
    assert.deepEqual(identity.user, { sub: provider.ccClientId });
    assert.equal(identity.clientId, provider.ccClientId);
    const human = await runCli(['whoami'], env);
    assert.match(human.stdout, /^Logged in as client mycli-ci \(client credentials\)$/m);

    const token = await runCli(['token'], env);
    assert.equal(token.code, 0, token.stderr);
    assert.equal(token.stdout, `${session.tokens.accessToken}\n`);
    assert.equal(provider.counts.token, tokenRequests, 'a valid token needs no request');
  });

  test('--client-secret is refused with a hint, never echoing the secret (exit 2)', async () => {
    for (const args of [['--client-secret', 'hunter2-secret'], ['--client-secret=hunter2-secret'], ['--client-secret']]) {
      const env = ciEnv();
      const result = await runCli(['login', '--client-credentials', ...args], env);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /--client-secret is not accepted: command-line arguments are visible to other users/);
      assert.match(result.stderr, /Set MYCLI_CLIENT_SECRET/);
      assert.ok(!result.stderr.includes('hunter2-secret'));
      assert.ok(!existsSync(sessionFile(env)));
    }
  });

  test('usage errors before any request: no MYCLI_CLIENT_SECRET; --device with --client-credentials', async () => {
    const requests = provider.counts.token;
    const noSecret = await runCli(['login', '--client-credentials'], ciEnv({ MYCLI_CLIENT_SECRET: '' }));
    assert.equal(noSecret.code, 2);
    assert.match(noSecret.stderr, /MYCLI_CLIENT_SECRET is not set/);
    const both = await runCli(['login', '--client-credentials', '--device'], ciEnv());
    assert.equal(both.code, 2);
    assert.match(both.stderr, /Choose one of --device and --client-credentials/);
    assert.equal(provider.counts.token, requests);
  });

  test('a wrong secret: exit 1 with the provider\'s error, and the session you had is kept', async () => {
    const env = ciEnv();
    assert.equal((await runCli(['login', '--client-credentials'], env)).code, 0);
    const before = readFileSync(sessionFile(env), 'utf8');
    const result = await runCli(['login', '--client-credentials'], { ...env, MYCLI_CLIENT_SECRET: 'wrong-secret' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /invalid_client/);
    assert.ok(!result.stderr.includes('wrong-secret'));
    assert.equal(readFileSync(sessionFile(env), 'utf8'), before);
  });
});

describe('token re-mints an expired client-credentials token', () => {
  let provider: TestProvider;
  const box = sandbox();
  before(async () => {
    // 30 s is inside token's 60 s expiry margin, so every saved token already counts as expired.
    provider = await startTestProvider({ accessTokenTtl: 30 });
  });
  after(async () => {
    await provider.close();
    box.cleanup();
  });

  test('from MYCLI_CLIENT_SECRET, saving the new token; without it, exit 4 with what to set', async () => {
    const env = { ...box.env, MYCLI_ISSUER: provider.issuer, MYCLI_CLIENT_ID: provider.ccClientId, MYCLI_CLIENT_SECRET: provider.ccClientSecret };
    assert.equal((await runCli(['login', '--client-credentials'], env)).code, 0);
    const first = readSession(env).tokens.accessToken;

    const requests = provider.counts.token;
    const token = await runCli(['token'], env);
    assert.equal(token.code, 0, token.stderr);
    assert.equal(token.stderr, '');
    const renewed = readSession(env);
    assert.equal(token.stdout, `${renewed.tokens.accessToken}\n`);
    assert.notEqual(renewed.tokens.accessToken, first);
    assert.equal(renewed.source, 'client-credentials');
    assert.equal(provider.counts.token, requests + 1);
    assert.ok(!readFileSync(sessionFile(env), 'utf8').includes(provider.ccClientSecret));

    const withoutSecret = await runCli(['token'], { ...env, MYCLI_CLIENT_SECRET: '' });
    assert.equal(withoutSecret.code, 4);
    assert.equal(withoutSecret.stdout, '');
    assert.match(withoutSecret.stderr, /MYCLI_CLIENT_SECRET is not set/);

    const rejected = await runCli(['token'], { ...env, MYCLI_CLIENT_SECRET: 'rotated-away' });
    assert.equal(rejected.code, 4);
    assert.match(rejected.stderr, /invalid_client/);
  });
});

describe('MYCLI_TOKEN', () => {
  let provider: TestProvider;
  const box = sandbox();
  let aliceToken: string;
  before(async () => {
    provider = await startTestProvider();
    // A real access token for alice, from a device login in a config dir of its own.
    const env = { ...box.env, MYCLI_CONFIG_DIR: join(box.dir, 'alice'), MYCLI_ISSUER: provider.issuer, MYCLI_CLIENT_ID: provider.clientId };
    const login = await startDeviceLogin([], env);
    await approveDevice(login.verificationUri, login.userCode, { login: 'alice' });
    assert.equal((await login.output).code, 0);
    aliceToken = readSession(env).tokens.accessToken;
  });
  after(async () => {
    await provider.close();
    box.cleanup();
  });

  test('whoami asks the userinfo endpoint who it belongs to (source env); needs only the issuer', async () => {
    const env = { ...box.env, MYCLI_CONFIG_DIR: join(box.dir, 'ci-job'), MYCLI_ISSUER: provider.issuer, MYCLI_TOKEN: aliceToken };
    const userinfo = provider.counts.userinfo;
    const json = await runCli(['whoami', '--json'], env);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), {
      loggedIn: true,
      profile: 'default',
      source: 'env',
      issuer: provider.issuer,
      clientId: null,
      user: { sub: 'alice', email: 'alice@example.com', name: 'Alice' },
      expiresAt: null,
    });
    assert.equal(provider.counts.userinfo, userinfo + 1);
    const human = await runCli(['whoami'], env);
    assert.equal(human.code, 0);
    assert.match(human.stdout, /^Logged in as Alice <alice@example\.com> \(from MYCLI_TOKEN\)$/m);
    assert.ok(!(human.stdout + human.stderr + json.stderr).includes(aliceToken));
    assert.ok(!existsSync(join(env.MYCLI_CONFIG_DIR, 'sessions')), 'nothing is saved');
  });

  test('a garbage token: exit 4, the provider rejected it, {"loggedIn":false}', async () => {
    const garbage = 'not-a-real-token-1234567890';
    const env = { ...box.env, MYCLI_CONFIG_DIR: join(box.dir, 'garbage'), MYCLI_ISSUER: provider.issuer, MYCLI_TOKEN: garbage };
    const result = await runCli(['whoami'], env);
    assert.equal(result.code, 4);
    assert.match(result.stderr, /The provider rejected the access token in MYCLI_TOKEN \(HTTP 401\)/);
    assert.ok(!result.stderr.includes(garbage));
    const json = await runCli(['whoami', '--json'], env);
    assert.equal(json.code, 4);
    assert.deepEqual(JSON.parse(json.stdout), { loggedIn: false, profile: 'default' });
  });

  test('with a saved session too, the environment wins and whoami says so', async () => {
    const env = { ...box.env, MYCLI_CONFIG_DIR: join(box.dir, 'both'), MYCLI_ISSUER: provider.issuer, MYCLI_CLIENT_ID: provider.clientId };
    const login = await startDeviceLogin([], env);
    await approveDevice(login.verificationUri, login.userCode, { login: 'bob' });
    assert.equal((await login.output).code, 0);
    const asBob = await runCli(['whoami', '--json'], env);
    assert.equal(JSON.parse(asBob.stdout).user.sub, 'bob');

    const withToken = await runCli(['whoami', '--json'], { ...env, MYCLI_TOKEN: aliceToken });
    assert.equal(withToken.code, 0, withToken.stderr);
    const identity = JSON.parse(withToken.stdout);
    assert.equal(identity.source, 'env');
    assert.equal(identity.user.sub, 'alice');
    assert.equal(identity.clientId, provider.clientId);
    assert.match(withToken.stderr, /MYCLI_TOKEN is set, so it is used instead of the saved session of profile default/);
  });

  test('no issuer configured: exit 2 before any request', async () => {
    const env = { ...box.env, MYCLI_CONFIG_DIR: join(box.dir, 'no-issuer'), MYCLI_TOKEN: aliceToken };
    const result = await runCli(['whoami'], env);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no issuer is configured/);
    assert.match(result.stderr, /MYCLI_ISSUER/);
  });

  test('without MYCLI_TOKEN, whoami reads the file and asks no one', async () => {
    const env = { ...box.env, MYCLI_CONFIG_DIR: join(box.dir, 'alice'), MYCLI_ISSUER: provider.issuer };
    const userinfo = provider.counts.userinfo;
    const result = await runCli(['whoami'], env);
    assert.equal(result.code, 0);
    assert.equal(provider.counts.userinfo, userinfo);
  });
});
