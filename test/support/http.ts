// Plain HTTP requests with full control of method, path and Host (fetch cannot set Host).
import { request } from 'node:http';
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function rawRequest(port: number, options: { method?: string; path: string; host?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { host: options.host ?? `127.0.0.1:${port}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The loopback port mycli listens on, read from the redirect_uri of its authorization URL. */
export function callbackPort(authorizationUrl: URL): number {
  return Number(new URL(authorizationUrl.searchParams.get('redirect_uri') ?? '').port);
}

/**
 * Sends raw bytes to 127.0.0.1:port (or `address`) and resolves with everything the server answered
 * before the connection closed, a reset included: for requests no HTTP client would send.
 */
export function sendRaw(port: number, data: string | Buffer, address = '127.0.0.1', timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, address);
    let received = '';
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => {}); // a reset after the answer is still an answer
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.on('connect', () => socket.end(data));
  });
}

/** The status code of a raw HTTP answer, 0 when there was none. */
export function statusOf(answer: string): number {
  return Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0);
}

/** A raw request line and headers; `host: null` sends none. */
export function rawGet(path: string, host: string | null, method = 'GET', extra = ''): string {
  return `${method} ${path} HTTP/1.1\r\n${host === null ? '' : `Host: ${host}\r\n`}${extra}Connection: close\r\n\r\n`;
}
