// A small forward proxy for tests, on 127.0.0.1: CONNECT tunnels (what undici's ProxyAgent uses) and
// plain absolute-form HTTP requests. It records every request that passes through it; inside a tunnel
// to an http:// server the traffic is plain text, so it reads the request lines there too.
import { createServer, request, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxiedRequest {
  /** host:port the request went to */
  target: string;
  /** 'CONNECT' for a tunnel, else the request line's method and path, e.g. 'POST /token' */
  request: string;
}

export interface TestProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  seen: ProxiedRequest[];
  /** 'user:password' the proxy requires (Proxy-Authorization: Basic), else 407; undefined requires none. */
  credentials: string | undefined;
  close(): Promise<void>;
}

const REQUEST_LINE = /(?:^|\r\n)(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\S+) HTTP\/1\.[01]\r\n/g;

export async function startTestProxy(): Promise<TestProxy> {
  const sockets = new Set<Socket>();
  const proxy: TestProxy = { url: '', seen: [], credentials: undefined, close: () => Promise.resolve() };

  const server = createServer((req: IncomingMessage, res) => {
    const target = URL.canParse(req.url ?? '') ? new URL(req.url!) : undefined;
    if (!target) {
      res.writeHead(400).end();
      return;
    }
    proxy.seen.push({ target: target.host, request: `${req.method} ${target.pathname}${target.search}` });
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: target.pathname + target.search, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    proxy.seen.push({ target, request: 'CONNECT' });
    if (proxy.credentials && req.headers['proxy-authorization'] !== `Basic ${Buffer.from(proxy.credentials).toString('base64')}`) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host = '', port = ''] = target.split(/:(?=\d+$)/);
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    sockets.add(upstream);
    client.on('data', (chunk: Buffer) => {
      for (const [, method, path] of chunk.toString('latin1').matchAll(REQUEST_LINE)) proxy.seen.push({ target, request: `${method} ${path}` });
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return proxy;
}
