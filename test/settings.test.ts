import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../src/errors.ts';
import { DEFAULT_CALLBACK_PORT, DEFAULT_SCOPE, resolveSettings, validateIssuer, validateProfile } from '../src/settings.ts';

const resolve = (flags = {}, env = {}, stored = {}) => resolveSettings('default', flags, env, stored);

test('defaults', () => {
  const s = resolve();
  assert.equal(s.scope, DEFAULT_SCOPE);
  assert.equal(s.port, DEFAULT_CALLBACK_PORT);
  assert.equal(s.issuer, undefined);
});
test('flag > environment > config file', () => {
  const stored = { 'client-id': 'file', port: '1111' };
  assert.equal(resolve({}, {}, stored).clientId, 'file');
  assert.equal(resolve({}, { MYCLI_CLIENT_ID: 'env' }, stored).clientId, 'env');
  assert.equal(resolve({ clientId: 'flag' }, { MYCLI_CLIENT_ID: 'env' }, stored).clientId, 'flag');
  assert.equal(resolve({}, { MYCLI_CALLBACK_PORT: '2222' }, stored).port, 2222);
  assert.equal(resolve({ port: '0' }, { MYCLI_CALLBACK_PORT: '2222' }, stored).port, 0);
});
test('an empty environment variable counts as unset', () => {
  assert.equal(resolve({}, { MYCLI_CLIENT_ID: '' }, { 'client-id': 'file' }).clientId, 'file');
});
test('a domain is the issuer https://HOST/, at each level', () => {
  assert.equal(resolve({ domain: 'acme.eu.auth0.com' }).issuer, 'https://acme.eu.auth0.com/');
  assert.equal(resolve({}, { MYCLI_DOMAIN: 'acme.eu.auth0.com' }, { issuer: 'https://other.example/' }).issuer, 'https://acme.eu.auth0.com/');
  assert.equal(resolve({ issuer: 'https://flag.example/' }, { MYCLI_DOMAIN: 'acme.eu.auth0.com' }).issuer, 'https://flag.example/');
});
test('http:// issuers only on loopback', () => {
  assert.equal(validateIssuer('http://127.0.0.1:3000'), 'http://127.0.0.1:3000/');
  assert.equal(validateIssuer('http://localhost:3000/realms/x'), 'http://localhost:3000/realms/x');
  assert.equal(validateIssuer('http://[::1]:3000'), 'http://[::1]:3000/');
  for (const bad of ['http://id.example.com', 'http://127.0.0.1.evil.example', 'ftp://127.0.0.1', 'https://id.example.com/?x=1', 'https://user:pw@id.example.com']) {
    assert.throws(() => validateIssuer(bad), UsageError, bad);
  }
});
test('profile names', () => {
  for (const good of ['default', 'work-eu_2', 'x'.repeat(64)]) assert.equal(validateProfile(good), good);
  for (const bad of ['', '../x', 'a/b', 'a b', 'x'.repeat(65), 'é', '.hidden']) assert.throws(() => validateProfile(bad), UsageError, bad);
});
test('ports and return-to', () => {
  assert.throws(() => resolve({ port: '-1' }), UsageError);
  assert.throws(() => resolve({ port: '65536' }), UsageError);
  assert.throws(() => resolve({ port: '80a' }), UsageError);
  assert.throws(() => resolve({ returnTo: 'javascript:alert(1)' }), UsageError);
  assert.equal(resolve({ returnTo: 'https://app.example/bye' }).returnTo, 'https://app.example/bye');
});
test('control characters are refused in text settings', () => {
  assert.throws(() => resolve({ scope: 'openid\u001b[31m' }), UsageError);
  assert.throws(() => resolve({ clientId: 'a b' }), UsageError);
});
