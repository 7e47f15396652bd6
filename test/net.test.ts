// The pure parts of src/net: what the debug log shows of a URL, proxy variables, the request timeout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { debugFromEnv, redactUrl } from '../src/net/debug.ts';
import { networkFailure } from '../src/net/network-error.ts';
import { proxySettings, withoutCredentials } from '../src/net/proxy.ts';
import { requestTimeoutSeconds } from '../src/net/timeout.ts';

test('the debug log redacts every query value but the harmless ones, credentials and fragments', () => {
  const url = 'https://u:pw@id.example/authorize?client_id=abc&code=C0DE&state=ST4TE&code_verifier=V&id_token_hint=eyJ&client_secret=S3&token=T&refresh_token=R&nonce=N&custom_secret=X&scope=openid+email#frag';
  assert.equal(
    redactUrl(url),
    'https://id.example/authorize?client_id=abc&code=[redacted]&state=[redacted]&code_verifier=[redacted]&id_token_hint=[redacted]&client_secret=[redacted]&token=[redacted]&refresh_token=[redacted]&nonce=[redacted]&custom_secret=[redacted]&scope=openid%20email',
  );
  assert.equal(redactUrl('http://127.0.0.1:3000/.well-known/openid-configuration'), 'http://127.0.0.1:3000/.well-known/openid-configuration');
  assert.equal(redactUrl('not a url'), '[not a URL]');
});

test('MYCLI_DEBUG', () => {
  for (const on of ['1', 'true', 'YES', 'on']) assert.equal(debugFromEnv({ MYCLI_DEBUG: on }), true, on);
  for (const off of [undefined, '', '0', 'false', 'no']) assert.equal(debugFromEnv({ MYCLI_DEBUG: off }), false, String(off));
});

test('proxy variables: lower case wins, empty is unset, a bare host:port means http://, junk is a usage error', () => {
  assert.equal(proxySettings({}), undefined);
  assert.equal(proxySettings({ HTTPS_PROXY: '', NO_PROXY: 'x' }), undefined);
  assert.deepEqual(proxySettings({ HTTPS_PROXY: 'http://A:1', https_proxy: 'http://b:2', NO_PROXY: 'c' }), { httpProxy: '', httpsProxy: 'http://b:2', noProxy: 'c' });
  assert.deepEqual(proxySettings({ HTTP_PROXY: 'proxy.corp:3128' }), { httpProxy: 'http://proxy.corp:3128', httpsProxy: '', noProxy: '' });
  assert.throws(() => proxySettings({ HTTPS_PROXY: 'socks5://p:1' }), /Invalid HTTPS_PROXY "socks5:\/\/p:1": not an http:\/\/ or https:\/\/ URL/);
  assert.throws(() => proxySettings({ HTTP_PROXY: 'http://user:pw@[bad' }), (error: Error) => !error.message.includes('pw'));
});

test('proxy URLs are printed without their user and password', () => {
  assert.equal(withoutCredentials('http://user:pw@proxy:3128'), 'http://***@proxy:3128/');
  assert.equal(withoutCredentials('http://user:pw@[bad'), 'http://***@[bad');
  assert.equal(withoutCredentials('user:pw@proxy oops'), '***@proxy oops');
  assert.equal(withoutCredentials('http://proxy:3128'), 'http://proxy:3128/');
});

test('MYCLI_HTTP_TIMEOUT', () => {
  assert.equal(requestTimeoutSeconds({}), 30);
  assert.equal(requestTimeoutSeconds({ MYCLI_HTTP_TIMEOUT: '90' }), 90);
  for (const bad of ['0', '-1', '1.5', 'soon']) assert.throws(() => requestTimeoutSeconds({ MYCLI_HTTP_TIMEOUT: bad }), /Invalid MYCLI_HTTP_TIMEOUT/, bad);
});

test('network failures are told by their codes, never their messages', () => {
  const system = (code: string, extra: object = {}) => Object.assign(new Error(`connect ${code} secret-detail`), { code, ...extra });
  const wrapped = (cause: Error) => new TypeError('fetch failed', { cause });
  assert.deepEqual(networkFailure(wrapped(system('ECONNREFUSED', { address: '10.0.0.1', port: 3128 }))), { cause: 'connection refused (ECONNREFUSED 10.0.0.1:3128)', kind: 'network' });
  assert.deepEqual(networkFailure(wrapped(system('ENOTFOUND', { hostname: 'id.example' }))), { cause: 'host not found (ENOTFOUND id.example)', kind: 'network' });
  assert.equal(networkFailure(wrapped(system('UNABLE_TO_GET_ISSUER_CERT_LOCALLY')))?.kind, 'certificate');
  assert.equal(networkFailure(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))?.kind, 'timeout');
  const proxyRefused = Object.assign(new Error('Proxy response (407) !== 200 when HTTP Tunneling'), { code: 'UND_ERR_ABORTED' });
  assert.deepEqual(networkFailure(wrapped(proxyRefused)), { cause: 'the proxy refused to connect to it (HTTP 407)', kind: 'proxy' });
  assert.equal(networkFailure(new Error('something else')), undefined);
  assert.ok(!JSON.stringify(networkFailure(wrapped(system('ECONNRESET')))).includes('secret-detail'));
});
