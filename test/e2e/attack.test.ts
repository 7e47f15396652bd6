// The loopback listener under attack: what another local process or a web page can send to a running
// `mycli login`. Each case ends with the real login still working, or with the documented failure.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { completeLogin } from '../support/login-driver.ts';
import { startTestProvider, type TestProvider } from '../support/provider.ts';
import { runCli, sandbox, startLogin } from '../support/cli.ts';
import { callbackPort, rawGet, sendRaw, statusOf } from '../support/http.ts';

/** Resolves when a TCP connection to address:port is refused; rejects if it is accepted. */
function expectRefused(address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port, timeout: 5000 });
    socket.on('connect', () => {
      socket.destroy();
      reject(new Error(`${address}:${port} accepted a connection`));
    });
    socket.on('timeout', () => {
      socket.destroy();
      reject(new Error(`${address}:${port} neither accepted nor refused`));
    });
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? resolve() : reject(error)));
  });
}

// Terminal control characters other than newline: none may reach the user's terminal from the network.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('the loopback listener under attack', () => {
  let provider: TestProvider;
  const boxes: Array<ReturnType<typeof sandbox>> = [];
  /** A fresh config dir per test: each login writes its own session. */
  const freshEnv = () => {
    const box = sandbox();
    boxes.push(box);
    return { ...box.env, MYCLI_ISSUER: provider.issuer, MYCLI_CLIENT_ID: provider.clientId, MYCLI_CALLBACK_PORT: '0' };
  };
  const sessionFile = (env: NodeJS.ProcessEnv) => join(env.MYCLI_CONFIG_DIR!, 'sessions', 'default.json');
  before(async () => {
    provider = await startTestProvider();
  });
  after(async () => {
    await provider.close();
    for (const box of boxes) box.cleanup();
  });

  test('it listens on 127.0.0.1 only: the non-loopback addresses of this machine refuse the connection', async (t) => {
    const addresses = Object.values(networkInterfaces())
      .flat()
      .filter((info) => info && !info.internal && !info.address.startsWith('fe80:'))
      .map((info) => info!.address);
    if (addresses.length === 0) {
      t.skip('this machine has no non-loopback network address to try');
      return;
    }
    const login = await startLogin([], freshEnv());
    const port = callbackPort(login.url);
    for (const address of addresses) await expectRefused(address, port);
    assert.equal(statusOf(await sendRaw(port, rawGet('/callback', `127.0.0.1:${port}`))), 400, 'and it does listen on 127.0.0.1');
    login.child.kill('SIGINT');
    assert.equal((await login.output).code, 130);
  });

  test('forged, malformed, slow and bursts of requests get 4xx and never end the wait; the real login then completes', async () => {
    const env = freshEnv();
    const login = await startLogin([], env);
    const port = callbackPort(login.url);
    const state = login.url.searchParams.get('state')!;
    const self = `127.0.0.1:${port}`;
    const tokenRequestsBefore = provider.counts.token;

    // A client that sends half a request and then nothing: it must not hold up the real callback.
    const slow = connect(port, '127.0.0.1');
    slow.on('error', () => {});
    const slowClosed = new Promise<void>((resolve) => slow.on('close', () => resolve()));
    await new Promise<void>((resolve) => slow.on('connect', resolve));
    slow.write(`GET /callback?code=slow&state=${state}x HTTP/1.1\r\nHost: ${self}\r\n`);

    const forged: Array<[string, string | Buffer, number]> = [
      ['wrong state with a code', rawGet('/callback?code=forged&state=not-the-state', self), 400],
      ['wrong state with an error', rawGet('/callback?error=access_denied&state=not-the-state', self), 400],
      ['missing state', rawGet('/callback?code=forged', self), 400],
      ['the right state but no code', rawGet(`/callback?state=${state}`, self), 400],
      ['duplicated state', rawGet(`/callback?code=forged&state=${state}&state=${state}`, self), 400],
      ['duplicated code', rawGet(`/callback?code=a&code=b&state=${state}`, self), 400],
      ['an iss of another issuer', rawGet(`/callback?code=forged&state=${state}&iss=https%3A%2F%2Fevil.example`, self), 400],
      ['a 10 KB query string', rawGet(`/callback?code=forged&state=not-the-state&pad=${'a'.repeat(10 * 1024)}`, self), 400],
      ['a 1 MB query string', rawGet(`/callback?code=forged&state=${state}&pad=${'a'.repeat(1024 * 1024)}`, self), 431],
      ['another Host (DNS rebinding)', rawGet(`/callback?code=forged&state=${state}`, 'evil.example'), 421],
      ['the right port on another host name', rawGet(`/callback?code=forged&state=${state}`, `evil.example:${port}`), 421],
      ['a rebinding name ending in a dot', rawGet(`/callback?code=forged&state=${state}`, `localhost.:${port}`), 421],
      ['no Host at all', rawGet(`/callback?code=forged&state=${state}`, null), 400],
      ['POST', rawGet(`/callback?code=forged&state=${state}`, self, 'POST'), 405],
      ['PUT', rawGet(`/callback?code=forged&state=${state}`, self, 'PUT'), 405],
      ['DELETE', rawGet(`/callback?code=forged&state=${state}`, self, 'DELETE'), 405],
      ['another path', rawGet(`/other?code=forged&state=${state}`, self), 404],
      ['the result page before any result', rawGet('/done', self), 404],
      ['a target naming another host (//host)', rawGet(`//evil.example/callback?code=forged&state=${state}`, self), 400],
      ['a target naming another host (/\\host)', rawGet(`/\\evil.example/callback?code=forged&state=${state}`, self), 400],
      ['an absolute URL as the target', rawGet(`http://evil.example/callback?code=forged&state=${state}`, self), 400],
      ['a target that is not a URL', rawGet('//[', self), 400],
      ['a WebSocket upgrade', rawGet(`/callback?code=forged&state=not-the-state`, self, 'GET', 'Upgrade: websocket\r\n'), 400],
      ['bytes that are not HTTP', Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x0d, 0x0a, 0x0d, 0x0a]), 400],
    ];
    for (const [what, request, status] of forged) {
      const answer = await sendRaw(port, request);
      assert.equal(statusOf(answer), status, `${what}: ${answer.slice(0, 80)}`);
    }
    const checked = await sendRaw(port, rawGet('/callback?code=forged&state=not-the-state', self));
    assert.match(checked, /\r\nReferrer-Policy: no-referrer\r\n/i, 'answers carry the security headers');

    // 100 junk requests at once.
    const junk = Array.from({ length: 100 }, (_, i) => {
      const kinds = [
        rawGet(`/callback?code=junk${i}&state=junk${i}`, self),
        rawGet(`/junk/${i}`, self),
        rawGet(`/callback?code=junk${i}&state=${state}`, `junk${i}.example:${port}`),
        rawGet(`/callback?code=junk${i}&state=${state}`, self, 'POST'),
        Buffer.from(`\x00\x01junk ${i}\r\n\r\n`),
      ];
      return sendRaw(port, kinds[i % kinds.length]!);
    });
    const statuses = (await Promise.all(junk)).map(statusOf);
    assert.ok(statuses.every((s) => s >= 400 && s < 500), `every junk request got a 4xx: ${statuses.join(' ')}`);
    assert.equal(provider.counts.token, tokenRequestsBefore, 'no token request for a forged code');
    assert.equal(login.child.exitCode, null, 'the login is still waiting');

    const page = await completeLogin(login.url.href);
    assert.equal(page.status, 200);
    const result = await login.output;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Logged in as Alice/);
    assert.ok(existsSync(sessionFile(env)));
    assert.equal(provider.counts.token, tokenRequestsBefore + 1, 'exactly one token request: the real code');

    // The listener is gone: the slow client was cut off, and replaying the callback is refused at the socket.
    await slowClosed;
    const callback = new URL(page.callbackUrl);
    await expectRefused('127.0.0.1', port);
    assert.equal(await sendRaw(port, rawGet(callback.pathname + callback.search, self)), '');
  });

  test("the provider's error_description with HTML and escape sequences is escaped on the page and stripped in the terminal", async () => {
    const env = freshEnv();
    const login = await startLogin([], env);
    const port = callbackPort(login.url);
    const state = login.url.searchParams.get('state')!;
    const error = 'access_denied\u001b[31m<b>';
    const description = '<script>alert(1)</script> \u001b[2J\u001b]0;pwned\u0007 \u009b31m <img src=x onerror=alert(2)> done';
    // The listener takes the first callback with the right state: send the provider's answer ourselves.
    const callback = new URL(`http://127.0.0.1:${port}/callback`);
    callback.search = new URLSearchParams({ error, error_description: description, state }).toString();
    const response = await fetch(callback); // follows the 303 to the result page
    const page = await response.text();
    assert.equal(response.status, 200);
    assert.match(page, /Login failed/);
    assert.ok(!page.includes('<script>alert'), 'no markup from the provider on the page');
    assert.ok(!page.includes('<img src=x'), 'no markup from the provider on the page');
    assert.ok(!page.includes('<b>'), 'no markup from the provider on the page');
    assert.match(page, /&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
    assert.doesNotMatch(page, CONTROL, 'no control characters on the page');
    assert.equal(response.headers.get('content-security-policy')?.includes("default-src 'none'"), true);

    const result = await login.output;
    assert.equal(result.code, 1);
    assert.doesNotMatch(result.stderr, CONTROL, 'no control characters reach the terminal');
    assert.match(result.stderr, /refused the login: access_denied ?<b> \(<script>alert\(1\)<\/script>.*<img src=x onerror=alert\(2\)> done\)/);
    assert.ok(!existsSync(sessionFile(env)));
  });

  for (const occupant of ['127.0.0.1', '0.0.0.0']) {
    test(`a fixed callback port already taken on ${occupant}: exit 1 naming the port and --port`, async () => {
      const squatter: Server = createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => squatter.listen(0, occupant, resolve));
      const port = (squatter.address() as { port: number }).port;
      try {
        const env = freshEnv();
        const result = await runCli(['login', '--port', String(port), '--no-browser', '--timeout', '5'], env);
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stderr, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`));
        assert.match(result.stderr, /--port/);
        assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
        assert.doesNotMatch(result.stderr, /\/auth\?/, 'no login URL is offered when its callback cannot arrive');
        assert.ok(!existsSync(sessionFile(env)));
      } finally {
        await new Promise<void>((resolve) => squatter.close(() => resolve()));
      }
    });
  }
});
