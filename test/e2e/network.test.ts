// The network between mycli and the provider: proxies (a real forward proxy in the path), and
// discovery or token endpoints that are unreachable, slow or answer garbage. Each failure is exit 1
// with one line that names the endpoint and the cause.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { authorizeUntilCallback, completeLogin } from '../support/login-driver.ts';
import { startTestProvider, type Fault, type TestProvider } from '../support/provider.ts';
import { startTestProxy, type TestProxy } from '../support/proxy.ts';
import { runCli, sandbox, startLogin } from '../support/cli.ts';
import { callbackPort } from '../support/http.ts';

const box = sandbox();
after(() => box.cleanup());
let dirs = 0;
const freshConfigDir = () => join(box.dir, `c${(dirs += 1)}`);

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The failure a user sees: the ✗ line and its hint, no stack. */
function failureOf(stderr: string): string {
  assert.doesNotMatch(stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  const failure = stderr.slice(stderr.indexOf('✗'));
  assert.ok(stderr.includes('✗') && failure.trim().split('\n').length <= 2, `one line and a hint, got:\n${stderr}`);
  return failure;
}

describe('proxies', () => {
  let provider: TestProvider;
  let proxy: TestProxy;
  before(async () => {
    provider = await startTestProvider();
    proxy = await startTestProxy();
  });
  after(async () => {
    await proxy.close();
    await provider.close();
  });
  const envFor = (extra: NodeJS.ProcessEnv) => ({
    ...box.env,
    MYCLI_CONFIG_DIR: freshConfigDir(),
    MYCLI_ISSUER: provider.issuer,
    MYCLI_CLIENT_ID: provider.clientId,
    MYCLI_CALLBACK_PORT: '0',
    ...extra,
  });
  const providerHost = () => new URL(provider.issuer).host;

  test('HTTP_PROXY carries every provider request, never the loopback callback; --debug says so', async () => {
    proxy.seen.length = 0;
    const login = await startLogin(['--debug'], envFor({ HTTP_PROXY: proxy.url }));
    const port = callbackPort(login.url);
    await completeLogin(login.url.href);
    const result = await login.output;
    assert.equal(result.code, 0, result.stderr);

    const requests = proxy.seen.filter((r) => r.target === providerHost()).map((r) => r.request);
    assert.ok(requests.includes('CONNECT'), `a tunnel to the provider: ${JSON.stringify(proxy.seen)}`);
    for (const expected of ['GET /.well-known/openid-configuration', 'POST /token', 'GET /me']) {
      assert.ok(requests.includes(expected), `the proxy saw ${expected}: ${JSON.stringify(requests)}`);
    }
    assert.ok(proxy.seen.every((r) => r.target === providerHost()), 'nothing else went through the proxy');
    assert.ok(!proxy.seen.some((r) => r.target.endsWith(`:${port}`)), 'the loopback callback never goes through the proxy');
    assert.match(result.stderr, new RegExp(`\\[debug\\] provider requests use HTTP_PROXY ${proxy.url}/`));
  });

  test('lower-case http_proxy with no_proxy listing the provider: requests go direct', async () => {
    proxy.seen.length = 0;
    const login = await startLogin([], envFor({ http_proxy: proxy.url, no_proxy: 'example.com,127.0.0.1' }));
    await completeLogin(login.url.href);
    assert.equal((await login.output).code, 0);
    assert.deepEqual(proxy.seen, []);
  });

  test('a proxy that wants a password gets it from the URL, and the password is never printed', async () => {
    proxy.seen.length = 0;
    proxy.credentials = 'mycli-user:pa55-w0rd';
    try {
      const login = await startLogin(['--debug'], envFor({ HTTP_PROXY: proxy.url.replace('//', '//mycli-user:pa55-w0rd@') }));
      await completeLogin(login.url.href);
      const result = await login.output;
      assert.equal(result.code, 0, result.stderr);
      assert.ok(proxy.seen.some((r) => r.request === 'POST /token'));
      assert.match(result.stderr, /\[debug\] provider requests use HTTP_PROXY http:\/\/\*\*\*@127\.0\.0\.1:\d+\//);
      assert.ok(!result.stderr.includes('pa55-w0rd'));
    } finally {
      proxy.credentials = undefined;
    }
  });

  test('a proxy that refuses the tunnel (no password; given as a bare host:port): exit 1 naming the endpoint and the proxy', async () => {
    proxy.credentials = 'someone:else';
    try {
      const result = await runCli(['login', '--no-browser', '--timeout', '5'], envFor({ HTTP_PROXY: proxy.url.replace('http://', '') }));
      assert.equal(result.code, 1);
      assert.match(failureOf(result.stderr), /Discovery at http:\/\/127\.0\.0\.1:\d+\/\.well-known\/openid-configuration failed: the proxy refused to connect to it \(HTTP 407\)\.\n.*HTTPS_PROXY/);
    } finally {
      proxy.credentials = undefined;
    }
  });

  test('a proxy that is down: exit 1 naming the endpoint and the address that refused', async () => {
    const port = await closedPort();
    const result = await runCli(['login', '--no-browser', '--timeout', '5'], envFor({ HTTPS_PROXY: `http://127.0.0.1:${port}`, HTTP_PROXY: `http://127.0.0.1:${port}` }));
    assert.equal(result.code, 1);
    assert.match(failureOf(result.stderr), new RegExp(`Discovery at .*openid-configuration failed: cannot reach the provider: connection refused \\(ECONNREFUSED 127\\.0\\.0\\.1:${port}\\)\\.\\n.*proxy`));
  });

  test('a proxy variable that is not a URL: exit 2 at the first provider request; commands without one are not stopped', async () => {
    const env = envFor({ HTTPS_PROXY: 'http://user:secret@proxy:3128 oops' });
    const result = await runCli(['login', '--no-browser', '--timeout', '5'], env);
    assert.equal(result.code, 2);
    assert.match(failureOf(result.stderr), /Invalid HTTPS_PROXY/);
    assert.ok(!result.stderr.includes('secret'), 'the proxy password is not printed');
    assert.equal((await runCli(['whoami'], env)).code, 4, 'whoami makes no request and is not stopped');
  });
});

describe('discovery that fails', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await startTestProvider();
  });
  after(() => provider.close());

  test('unreachable: exit 1, the discovery URL and "connection refused"', async () => {
    const issuer = `http://127.0.0.1:${await closedPort()}`;
    const result = await runCli(['login', '--issuer', issuer, '--client-id', 'x', '--no-browser', '--timeout', '5'], { ...box.env, MYCLI_CONFIG_DIR: freshConfigDir() });
    assert.equal(result.code, 1);
    assert.match(failureOf(result.stderr), new RegExp(`Discovery at ${issuer}/\\.well-known/openid-configuration failed: cannot reach the provider: connection refused \\(ECONNREFUSED`));
  });

  const faults: Array<[Fault, RegExp]> = [
    ['hang', /failed: no answer in time\.\n.*MYCLI_HTTP_TIMEOUT/],
    ['reset', /failed: cannot reach the provider: the server closed the connection/],
    ['html', /failed: the provider answered HTTP 502 \(text\/html\)\.\n.*proxy or captive portal/],
    ['not-json', /failed: the answer is not valid JSON\./],
  ];
  for (const [fault, cause] of faults) {
    test(`${fault}: exit 1, the discovery URL and the cause`, async () => {
      provider.fault('/.well-known/openid-configuration', fault);
      try {
        const env = { ...box.env, MYCLI_CONFIG_DIR: freshConfigDir(), MYCLI_HTTP_TIMEOUT: '1' };
        const result = await runCli(['login', '--issuer', provider.issuer, '--client-id', provider.clientId, '--no-browser', '--port', '0', '--timeout', '5'], env);
        assert.equal(result.code, 1, result.stderr);
        const failure = failureOf(result.stderr);
        assert.match(failure, new RegExp(`^✗ Discovery at ${provider.issuer}/\\.well-known/openid-configuration failed`));
        assert.match(failure, cause);
      } finally {
        provider.fault('/.well-known/openid-configuration', undefined);
      }
    });
  }

  test('MYCLI_HTTP_TIMEOUT that is not a number of seconds: exit 2 before any request', async () => {
    const before = provider.counts.authorization;
    const result = await runCli(['login', '--issuer', provider.issuer, '--client-id', provider.clientId, '--no-browser', '--timeout', '5'], { ...box.env, MYCLI_HTTP_TIMEOUT: '0.5' });
    assert.equal(result.code, 2);
    assert.match(failureOf(result.stderr), /Invalid MYCLI_HTTP_TIMEOUT "0\.5"/);
    assert.equal(provider.counts.authorization, before);
  });
});

describe('a token endpoint that fails after the browser login', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await startTestProvider();
  });
  after(() => provider.close());

  const faults: Array<[Fault, RegExp]> = [
    ['hang', /failed: no answer in time\./],
    ['reset', /failed: cannot reach the provider: the server closed the connection/],
    ['html', /failed: the provider answered HTTP 502 \(text\/html\)\./],
    ['not-json', /failed: the answer is not valid JSON\./],
  ];
  for (const [fault, cause] of faults) {
    test(`${fault}: exit 1, the token endpoint and the cause, on the page too; no session`, async () => {
      const env = { ...box.env, MYCLI_CONFIG_DIR: freshConfigDir(), MYCLI_ISSUER: provider.issuer, MYCLI_CLIENT_ID: provider.clientId, MYCLI_CALLBACK_PORT: '0', MYCLI_HTTP_TIMEOUT: '2' };
      const login = await startLogin([], env);
      provider.fault('/token', fault);
      try {
        const page = await completeLogin(login.url.href);
        assert.match(page.body, /Login failed/);
        assert.match(page.body, /token request/);
        const result = await login.output;
        assert.equal(result.code, 1);
        const failure = failureOf(result.stderr);
        assert.match(failure, new RegExp(`^✗ The token request to ${provider.issuer}/token failed`));
        assert.match(failure, cause);
        assert.ok(!existsSync(join(env.MYCLI_CONFIG_DIR, 'sessions', 'default.json')));
      } finally {
        provider.fault('/token', undefined);
      }
    });
  }

  test('unreachable (the provider went away during the login): exit 1 naming the token endpoint', async () => {
    const gone = await startTestProvider();
    const env = { ...box.env, MYCLI_CONFIG_DIR: freshConfigDir(), MYCLI_ISSUER: gone.issuer, MYCLI_CLIENT_ID: gone.clientId, MYCLI_CALLBACK_PORT: '0' };
    const login = await startLogin([], env);
    const callbackUrl = await authorizeUntilCallback(login.url.href);
    await gone.close();
    const page = await fetch(callbackUrl);
    assert.match(await page.text(), /Login failed/);
    const result = await login.output;
    assert.equal(result.code, 1);
    assert.match(failureOf(result.stderr), new RegExp(`^✗ The token request to ${gone.issuer}/token failed: cannot reach the provider: connection refused \\(ECONNREFUSED`));
  });
});

describe('a provider whose certificate comes from a CA Node does not know (a corporate CA)', () => {
  /** A self-signed CA certificate for 127.0.0.1, made with openssl; undefined when openssl is missing. */
  function makeCertificate(): { key: string; cert: string; certFile: string } | undefined {
    const keyFile = join(box.dir, 'ca-key.pem');
    const certFile = join(box.dir, 'ca-cert.pem');
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=mycli test CA', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    } catch {
      return undefined;
    }
    return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
  }

  test('untrusted: exit 1 saying so, with NODE_EXTRA_CA_CERTS as the hint; trusted through NODE_EXTRA_CA_CERTS: the login goes on', async (t) => {
    const tls = makeCertificate();
    if (!tls) {
      t.skip('openssl is not installed, so no certificate can be made');
      return;
    }
    const provider = await startTestProvider({ tls });
    try {
      const env = { ...box.env, MYCLI_CONFIG_DIR: freshConfigDir(), MYCLI_ISSUER: provider.issuer, MYCLI_CLIENT_ID: provider.clientId, MYCLI_CALLBACK_PORT: '0' };
      const untrusted = await runCli(['login', '--no-browser', '--timeout', '5'], env);
      assert.equal(untrusted.code, 1);
      assert.match(failureOf(untrusted.stderr), new RegExp(`^✗ Discovery at ${provider.issuer}/\\.well-known/openid-configuration failed: the certificate is not trusted \\([A-Z_]+\\)\\.\\n.*NODE_EXTRA_CA_CERTS`));

      // Trusted: discovery succeeds and the login waits for the browser (then Ctrl-C).
      const login = await startLogin([], { ...env, NODE_EXTRA_CA_CERTS: tls.certFile });
      assert.equal(login.url.origin, provider.issuer);
      login.child.kill('SIGINT');
      assert.equal((await login.output).code, 130);
    } finally {
      await provider.close();
    }
  });
});
