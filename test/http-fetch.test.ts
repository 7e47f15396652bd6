// src/net/http-fetch.ts, the fetch every provider request goes through when no proxy is set, against
// real HTTP servers on 127.0.0.1: what it sends, what it hands back, and how it fails (in the words
// the user then reads, through networkFailure).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { HttpHeaders, HttpResponse, httpFetch } from '../src/net/http-fetch.ts';
import { networkFailure } from '../src/net/network-error.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const servers: Server[] = [];
after(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

/** A server on 127.0.0.1 that records each request and answers with `handler`. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const request = { method: req.method!, url: req.url!, headers: req.headers, body };
      seen.push(request);
      handler(req, res, request);
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  server.unref();
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
};

/** What the user would read about a failed request. */
async function failureOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => assert.fail('expected the request to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof TypeError && error.message === 'fetch failed', `fails as the built-in fetch does: ${String(error)}`);
  return networkFailure(error)?.cause;
}

describe('answers', () => {
  test('a JSON answer: status, headers by any case, the body once, clone before reading', async () => {
    const { url } = await serve((_req, res) => json(res, 200, { issuer: 'x' }, { 'X-Trace': 'a', 'Set-Cookie': 'k=v' }));
    const response = await httpFetch(`${url}/.well-known/openid-configuration`);
    assert.equal(Object.prototype.toString.call(response), '[object Response]');
    assert.equal(response.status, 200);
    assert.equal(response.ok, true);
    assert.equal(response.url, `${url}/.well-known/openid-configuration`);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(response.headers.get('x-trace'), 'a');
    assert.equal(response.headers.get('X-TRACE'), 'a');
    assert.deepEqual(await response.clone().json(), { issuer: 'x' });
    assert.equal(response.bodyUsed, false);
    assert.deepEqual(await response.json(), { issuer: 'x' });
    assert.equal(response.bodyUsed, true);
    await assert.rejects(response.text(), TypeError);
    assert.throws(() => response.clone(), TypeError);
  });

  test('an error answer is an answer, and its body can be cancelled (openid-client does)', async () => {
    const { url } = await serve((_req, res) => json(res, 400, { error: 'invalid_grant' }));
    const response = await httpFetch(`${url}/token`, { method: 'POST', body: new URLSearchParams({ a: 'b' }) });
    assert.equal(response.status, 400);
    assert.equal(response.ok, false);
    await response.body?.cancel();
    assert.equal(response.bodyUsed, true);
  });

  test('204 has no body; a body read as a stream is used up', async () => {
    const { url } = await serve((req, res) => {
      if (req.url === '/empty') {
        res.writeHead(204).end();
        return;
      }
      res.end('streamed');
    });
    assert.equal((await httpFetch(`${url}/empty`)).body, null);
    const response = await httpFetch(`${url}/stream`);
    const reader = response.body!.getReader();
    const first = await reader.read();
    assert.equal(Buffer.from(first.value!).toString(), 'streamed');
    assert.equal((await reader.read()).done, true);
    assert.equal(response.bodyUsed, true);
  });

  test('redirects are handed back, never followed', async () => {
    const { url, seen } = await serve((_req, res) => res.writeHead(302, { location: 'https://elsewhere.example/' }).end());
    const response = await httpFetch(`${url}/start`, { redirect: 'manual' });
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), 'https://elsewhere.example/');
    assert.equal(seen.length, 1);
  });

  test('a compressed answer (not asked for) is decoded', async () => {
    const { url, seen } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ sub: 'alice' })));
    });
    assert.deepEqual(await (await httpFetch(url)).json(), { sub: 'alice' });
    assert.equal(seen[0]!.headers['accept-encoding'], undefined, 'no compression asked for');
  });
});

describe('requests', () => {
  test('a form POST: method, content type, length and body as the Fetch API sends them, with the caller’s headers', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 200, {}));
    const headers = new HttpHeaders({ accept: 'application/json', 'User-Agent': 'mycli-test' });
    await httpFetch(`${url}/token`, { method: 'post', headers, body: new URLSearchParams({ grant_type: 'authorization_code', code: 'a b&c' }) });
    const [request] = seen;
    assert.equal(request!.method, 'POST');
    assert.equal(request!.headers['content-type'], 'application/x-www-form-urlencoded;charset=UTF-8');
    assert.equal(request!.headers['content-length'], String(Buffer.byteLength(request!.body)));
    assert.equal(request!.body, 'grant_type=authorization_code&code=a+b%26c');
    assert.equal(request!.headers.accept, 'application/json');
    assert.equal(request!.headers['user-agent'], 'mycli-test');
  });

  test('headers from Node’s own Headers, arrays of pairs and plain objects are all sent', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 200, {}));
    await httpFetch(url, { headers: new Headers({ authorization: 'Bearer one' }) as never });
    await httpFetch(url, { headers: [['authorization', 'Bearer two']] });
    await httpFetch(url, { headers: { Authorization: 'Bearer three' } });
    assert.deepEqual(seen.map((s) => s.headers.authorization), ['Bearer one', 'Bearer two', 'Bearer three']);
  });

  test('a header value with a line break is refused before anything is sent', async () => {
    const { url, seen } = await serve((_req, res) => json(res, 200, {}));
    await assert.rejects(httpFetch(url, { headers: { 'x-a': 'b\r\nx-injected: 1' } }), TypeError);
    assert.equal(seen.length, 0);
  });
});

describe('failures, in the words the user reads', () => {
  test('nothing listening: connection refused, with the address', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    assert.equal(await failureOf(httpFetch(`http://127.0.0.1:${port}/`)), `connection refused (ECONNREFUSED 127.0.0.1:${port})`);
  });

  test('the server drops the connection without answering', async () => {
    const { url } = await serve((req) => req.socket.destroy());
    assert.match((await failureOf(httpFetch(url)))!, /^the server closed the connection \(ECONNRESET/);
  });

  test('the answer is cut off half-way', async () => {
    const { url } = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"access_token":');
      setTimeout(() => req.socket.destroy(), 20);
    });
    assert.match((await failureOf(httpFetch(url)))!, /^the server closed the connection \(ECONNRESET/);
  });

  test('a timeout rejects with the signal’s TimeoutError, and the request is dropped', async () => {
    let closed: Promise<unknown> | undefined;
    const { url } = await serve((req) => {
      closed = once(req.socket, 'close');
    });
    const error = await httpFetch(url, { signal: AbortSignal.timeout(200) }).catch((e: unknown) => e);
    assert.equal((error as Error).name, 'TimeoutError');
    assert.equal(networkFailure(error)?.kind, 'timeout');
    await closed;
  });

  test('an aborted signal (Ctrl-C) rejects with its reason, before or during the request', async () => {
    const { url, seen } = await serve(() => {});
    const before = new AbortController();
    before.abort();
    await assert.rejects(httpFetch(url, { signal: before.signal }), { name: 'AbortError' });
    assert.equal(seen.length, 0);
    const during = new AbortController();
    const pending = httpFetch(url, { signal: during.signal });
    while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    during.abort();
    await assert.rejects(pending, { name: 'AbortError' });
  });

  test('a kept-alive connection the server drops as it is reused: sent again once, on a new one', async () => {
    const requestsOn = new Map<Socket, number>();
    const { url, seen } = await serve((req, res) => {
      const count = (requestsOn.get(req.socket) ?? 0) + 1;
      requestsOn.set(req.socket, count);
      if (count === 2) req.socket.destroy();
      else json(res, 200, { n: seen.length });
    });
    assert.deepEqual(await (await httpFetch(url)).json(), { n: 1 });
    assert.deepEqual(await (await httpFetch(url, { method: 'POST', body: 'x=1' })).json(), { n: 3 });
    assert.equal(seen.length, 3);
    assert.deepEqual(
      seen.map((s) => s.body),
      ['', 'x=1', 'x=1'],
    );
  });
});

test('HttpHeaders and HttpResponse behave as the Fetch API’s', () => {
  const headers = new HttpHeaders([
    ['B', '2'],
    ['a', '1'],
  ]);
  headers.append('b', '3');
  assert.equal(headers.get('b'), '2, 3');
  assert.deepEqual([...headers], [
    ['a', '1'],
    ['b', '2, 3'],
  ]);
  assert.equal(Object.prototype.toString.call(headers), '[object Headers]');
  assert.throws(() => headers.set('bad name', 'x'), TypeError);
  const response = new HttpResponse('{"a":1}', { status: 201, headers: { 'content-type': 'application/json' } });
  assert.equal(response.status, 201);
  assert.equal(response.headers.get('content-type'), 'application/json');
  assert.equal(new HttpResponse('x').headers.get('content-type'), 'text/plain;charset=UTF-8');
});
