// Proves the test provider and the login driver behave like the real thing, using openid-client
// directly (no mycli), so that a failing e2e test points at mycli and not at its test support.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import * as client from 'openid-client';
import {
  approveDevice, authorizeUntilCallback, completeLogin, followLogout, waitForUrl, type DriveOptions,
} from './support/login-driver.js';
import { startTestProvider, type TestProvider } from './support/provider.js';

const SCOPE = 'openid profile email offline_access';

let op: TestProvider;
let config: client.Configuration;
let callbackServer: Server;
let redirectUri: string;

before(async () => {
  op = await startTestProvider();
  config = await discover(op.issuer, op.clientId);
  // Stands in for mycli's loopback listener: redirects /callback to a result page.
  callbackServer = createServer((req, res) => {
    if (req.url?.startsWith('/callback')) {
      res.writeHead(302, { location: '/done' }).end();
    } else {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>Logged in. You can close this tab.</p>');
    }
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  redirectUri = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callback`;
});

after(async () => {
  callbackServer.closeAllConnections();
  await new Promise((resolve) => callbackServer.close(resolve));
  await op.close();
});

function discover(issuer: string, clientId: string, secret?: string): Promise<client.Configuration> {
  const auth = secret ? client.ClientSecretPost(secret) : client.None();
  return client.discovery(new URL(issuer), clientId, undefined, auth, { execute: [client.allowInsecureRequests] });
}

async function startLogin() {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: SCOPE,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url: url.href, verifier, state, nonce };
}

async function login(opts?: DriveOptions) {
  const { url, verifier, state, nonce } = await startLogin();
  const callbackUrl = await authorizeUntilCallback(url, opts);
  return client.authorizationCodeGrant(config, new URL(callbackUrl), {
    pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce,
  });
}

async function assertInvalidGrant(promise: Promise<unknown>) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof client.ResponseBodyError, `expected an OAuth error response, got ${String(err)}`);
    assert.equal(err.error, 'invalid_grant');
    return true;
  });
}

test('issuer is exactly http://127.0.0.1:PORT and discovery accepts it', () => {
  assert.match(op.issuer, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(config.serverMetadata().issuer, op.issuer);
  assert.ok(config.serverMetadata().end_session_endpoint);
});

test('code + PKCE login without prompt=consent returns access, ID and refresh tokens; userinfo has name and email', async () => {
  const { url } = await startLogin();
  assert.equal(new URL(url).searchParams.get('prompt'), null);
  const start = op.counts.authorization;
  const tokens = await login({ login: 'alice' });
  assert.equal(op.counts.authorization, start + 1);
  assert.ok(tokens.access_token);
  assert.ok(tokens.id_token);
  assert.ok(tokens.refresh_token, 'a refresh token although the request had no prompt=consent');
  assert.equal(tokens.expires_in, 3600);
  const sub = tokens.claims()?.sub;
  assert.equal(sub, 'alice');
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, 'alice');
  assert.deepEqual(
    { name: userinfo.name, email: userinfo.email, email_verified: userinfo.email_verified },
    { name: 'Alice', email: 'alice@example.com', email_verified: true },
  );
});

test('refresh rotates; the old refresh token then fails and reuse kills the whole family', async () => {
  const tokens = await login({ login: 'bob' });
  const startRefresh = op.counts.refresh;
  const startToken = op.counts.token;
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
  assert.ok(refreshed.access_token);
  assert.ok(refreshed.refresh_token);
  assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
  await assertInvalidGrant(client.refreshTokenGrant(config, tokens.refresh_token!));
  // oidc-provider's reuse detection revokes the grant, so the rotated token is dead too.
  await assertInvalidGrant(client.refreshTokenGrant(config, refreshed.refresh_token!));
  assert.equal(op.counts.refresh, startRefresh + 3);
  assert.equal(op.counts.token, startToken + 3);
});

test('revocation endpoint revokes a refresh token', async () => {
  const tokens = await login();
  const start = op.counts.revocation;
  await client.tokenRevocation(config, tokens.refresh_token!);
  assert.equal(op.counts.revocation, start + 1);
  await assertInvalidGrant(client.refreshTokenGrant(config, tokens.refresh_token!));
});

test('revokeRefreshTokens() ends every session; issued access tokens still work', async () => {
  const first = await login({ login: 'carol' });
  const second = await login({ login: 'dave' });
  await op.revokeRefreshTokens();
  await assertInvalidGrant(client.refreshTokenGrant(config, first.refresh_token!));
  await assertInvalidGrant(client.refreshTokenGrant(config, second.refresh_token!));
  const userinfo = await client.fetchUserInfo(config, second.access_token, 'dave');
  assert.equal(userinfo.sub, 'dave');
});

test('deny at the login page redirects to the callback with error=access_denied', async () => {
  const { url, state } = await startLogin();
  const callbackUrl = new URL(await authorizeUntilCallback(url, { deny: true }));
  assert.equal(`${callbackUrl.origin}${callbackUrl.pathname}`, redirectUri);
  assert.equal(callbackUrl.searchParams.get('error'), 'access_denied');
  assert.equal(callbackUrl.searchParams.get('state'), state);
  assert.equal(callbackUrl.searchParams.get('code'), null);
});

test('completeLogin requests the callback and follows the loopback redirect to the result page', async () => {
  const { url } = await startLogin();
  const result = await completeLogin(url, { login: 'erin' });
  assert.equal(result.status, 200);
  assert.match(result.body, /Logged in/);
  assert.ok(new URL(result.callbackUrl).searchParams.get('code'));
});

test('device flow: approve with verification_uri_complete, or by typing the code; deny', async () => {
  const viaComplete = async () => {
    const device = await client.initiateDeviceAuthorization(config, { scope: SCOPE });
    assert.equal(device.interval, 1);
    await approveDevice(device.verification_uri_complete!, device.user_code, { login: 'frank' });
    const tokens = await client.pollDeviceAuthorizationGrant(config, device);
    assert.equal(tokens.claims()?.sub, 'frank');
    assert.ok(tokens.refresh_token);
  };
  const viaTypedCode = async () => {
    const device = await client.initiateDeviceAuthorization(config, { scope: SCOPE });
    await approveDevice(device.verification_uri, device.user_code, { login: 'grace' });
    const tokens = await client.pollDeviceAuthorizationGrant(config, device);
    assert.equal(tokens.claims()?.sub, 'grace');
  };
  const denied = async () => {
    const device = await client.initiateDeviceAuthorization(config, { scope: SCOPE });
    await approveDevice(device.verification_uri_complete!, device.user_code, { deny: true });
    await assert.rejects(client.pollDeviceAuthorizationGrant(config, device), { error: 'access_denied' });
  };
  await Promise.all([viaComplete(), viaTypedCode(), denied()]);
});

test('client credentials with the confidential client', async () => {
  const cc = await discover(op.issuer, op.ccClientId, op.ccClientSecret);
  const tokens = await client.clientCredentialsGrant(cc);
  assert.ok(tokens.access_token);
  assert.equal(tokens.expires_in, 3600);
  const wrong = await discover(op.issuer, op.ccClientId, 'not-the-secret');
  await assert.rejects(client.clientCredentialsGrant(wrong), { error: 'invalid_client' });
});

test('RP-initiated logout redirects to a registered post_logout_redirect_uri, any loopback port', async () => {
  const tokens = await login();
  const returnTo = 'http://127.0.0.1:7777/logged-out';
  const logoutUrl = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: returnTo });
  assert.equal(await followLogout(logoutUrl.href), returnTo);
});

test('rpInitiatedLogout:false (an Auth0 tenant) has no end_session_endpoint; accessTokenTtl applies', async () => {
  const auth0Like = await startTestProvider({ rpInitiatedLogout: false, accessTokenTtl: 5, deviceFlow: false, clientCredentials: false });
  try {
    const auth0Config = await discover(auth0Like.issuer, auth0Like.clientId);
    const metadata = auth0Config.serverMetadata();
    assert.equal(metadata.end_session_endpoint, undefined);
    assert.equal(metadata.device_authorization_endpoint, undefined);
    assert.notEqual(auth0Like.issuer, op.issuer);
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(auth0Config, {
      redirect_uri: redirectUri, scope: SCOPE, state: 's', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const tokens = await client.authorizationCodeGrant(auth0Config, new URL(await authorizeUntilCallback(url.href)), {
      pkceCodeVerifier: verifier, expectedState: 's',
    });
    assert.equal(tokens.expires_in, 5);
    assert.ok(tokens.refresh_token);
  } finally {
    await auth0Like.close();
  }
});

test('waitForUrl finds the URL on its own line, split across chunks, ignoring other URLs', async () => {
  const stream = new PassThrough();
  const found = waitForUrl(stream, /\/auth\?/, 1000);
  stream.write('See https://example.com/docs for help\nOpen this URL in your browser:\n  http://127.0.0.1:40');
  stream.write('00/auth?client_id=mycli-test&state=x\nWaiting…\n');
  assert.equal(await found, 'http://127.0.0.1:4000/auth?client_id=mycli-test&state=x');
  await assert.rejects(waitForUrl(new PassThrough(), /never/, 50), /within 50 ms/);
});
