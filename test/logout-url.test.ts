import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildLogoutUrl } from '../src/auth/logout-url.ts';

const base = {
  issuer: 'https://acme.eu.auth0.com/',
  clientId: 'abc&def',
  tokens: { accessToken: 'at', tokenType: 'bearer', idToken: 'the.id.token' },
};

test('Auth0 /v2/logout on the issuer origin, every value percent-encoded, never a token', () => {
  const url = buildLogoutUrl({ ...base, endpoints: { issuer: base.issuer, token_endpoint: 'https://acme.eu.auth0.com/oauth/token' } }, { returnTo: 'http://localhost:3000/?a=b&c=d', includeIdTokenHint: true });
  assert.equal(url.href, 'https://acme.eu.auth0.com/v2/logout?client_id=abc%26def&returnTo=http%3A%2F%2Flocalhost%3A3000%2F%3Fa%3Db%26c%3Dd');
});
test('end_session_endpoint with client_id, id_token_hint (browser only) and post_logout_redirect_uri', () => {
  const session = { ...base, endpoints: { issuer: base.issuer, token_endpoint: 't', end_session_endpoint: 'https://id.example/logout?tenant=x' } };
  const forBrowser = buildLogoutUrl(session, { returnTo: 'https://app.example/bye', includeIdTokenHint: true });
  assert.equal(forBrowser.searchParams.get('tenant'), 'x');
  assert.equal(forBrowser.searchParams.get('client_id'), 'abc&def');
  assert.equal(forBrowser.searchParams.get('id_token_hint'), 'the.id.token');
  assert.equal(forBrowser.searchParams.get('post_logout_redirect_uri'), 'https://app.example/bye');
  const printed = buildLogoutUrl(session, { returnTo: undefined, includeIdTokenHint: false });
  assert.equal(printed.href, 'https://id.example/logout?tenant=x&client_id=abc%26def');
});
