import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthError } from '../errors.js';
import { checkCallbackUrl, type CallbackOutcome } from './callback-check.js';
import { RESULT_PAGE_CSP } from './result-page.js';

export interface CallbackServerOptions {
  /** 0 = any free port (RFC 8252 providers); otherwise the registered one. */
  port: number;
  expectedState: string;
  /** Checked against the callback's `iss` parameter when the provider sends one. */
  expectedIssuer?: string;
}

export interface CallbackServer {
  port: number;
  redirectUri: string;
  /** Resolves with the first callback whose state matches; forged ones are answered 4xx and ignored. */
  callback: Promise<CallbackOutcome>;
  /**
   * Offers a callback URL that arrived another way (pasted into the terminal), under the same rules.
   * Returns why it was refused, or undefined when it was accepted.
   */
  offer(url: string): string | undefined;
  /** Shows the browser the result page (via a redirect off the ?code= URL), then closes the listener. */
  finish(page: string): Promise<void>;
  close(): Promise<void>;
}

/** How long the listener waits for the browser to fetch the result page before closing anyway. */
const RESULT_PAGE_GRACE_MS = 5000;

const SECURITY_HEADERS = {
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': RESULT_PAGE_CSP,
};

function reply(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close', ...headers });
  res.end(`${text}\n`);
}

export async function startCallbackServer(options: CallbackServerOptions): Promise<CallbackServer> {
  let settle!: (outcome: CallbackOutcome) => void;
  const callback = new Promise<CallbackOutcome>((resolve) => (settle = resolve));
  let accepted = false;
  let pending: ServerResponse | undefined;
  let resultPage: string | undefined;
  let pageServed!: () => void;
  const served = new Promise<void>((resolve) => (pageServed = resolve));
  let port = options.port;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const route = (req: IncomingMessage, res: ServerResponse) => {
    // DNS rebinding: a page on another origin resolving to 127.0.0.1 still sends its own Host.
    if (!allowedHosts().has(req.headers.host ?? '')) return reply(res, 421, 'Misdirected request.');
    // Only a path: `//host/…`, `/\host/…` or an absolute URL would let the request name another host.
    const target = req.url ?? '';
    if (!/^\/(?![/\\])/.test(target)) return reply(res, 400, 'Bad request.');
    const url = new URL(target, `http://127.0.0.1:${port}`);
    if (url.pathname !== '/callback' && url.pathname !== '/done') return reply(res, 404, 'Not found.');
    if (req.method !== 'GET') return reply(res, 405, 'Method not allowed.', { Allow: 'GET' });
    if (url.pathname === '/done') {
      if (resultPage === undefined) return reply(res, 404, 'Not found.');
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8', Connection: 'close' });
      res.end(resultPage, () => pageServed());
      return;
    }
    if (accepted) return reply(res, 409, 'This login has already received its callback.');
    const check = checkCallbackUrl(url, options.expectedState, options.expectedIssuer);
    if (!check.ok) return reply(res, check.status, `Rejected: ${check.reason}.`);
    accepted = true;
    pending = res; // answered by finish(), once the code has been exchanged
    settle(check.outcome);
  };
  // Whatever a local process sends, the login keeps waiting: a request that trips the handler gets a 400.
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    try {
      route(req, res);
    } catch {
      if (res.headersSent) res.destroy();
      else reply(res, 400, 'Bad request.');
    }
  };

  const server = createServer({ requestTimeout: 10_000, headersTimeout: 10_000 }, handle);
  // A client that never finishes its request must not hold anything up.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new AuthError(`Port ${options.port} on 127.0.0.1 is already in use, so the login callback cannot be received.`, 'Close the program using it, or pass --port with another registered port (--port 0 picks any free port where the provider allows it).'));
      } else if (error.code === 'EACCES') {
        reject(new AuthError(`Not allowed to listen on port ${options.port}.`, 'Pass --port with a port above 1023.'));
      } else {
        reject(new AuthError(`Cannot start the login callback listener: ${error.code ?? error.message}.`));
      }
    });
    server.listen({ port: options.port, host: '127.0.0.1', exclusive: true }, resolve);
  });
  port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };

  return {
    port,
    redirectUri: `http://127.0.0.1:${port}/callback`,
    callback,
    offer(raw) {
      let url: URL;
      try {
        url = new URL(raw.trim());
      } catch {
        return 'not a URL';
      }
      // The same address rules as a request to the listener: this port on 127.0.0.1 or localhost.
      if (url.protocol !== 'http:' || !allowedHosts().has(url.host)) return `not an address of this login's listener, http://127.0.0.1:${port}/callback`;
      if (url.pathname !== '/callback') return 'not the callback URL';
      if (accepted) return 'already received';
      const check = checkCallbackUrl(url, options.expectedState, options.expectedIssuer);
      if (!check.ok) return check.reason;
      accepted = true;
      settle(check.outcome);
      return undefined;
    },
    async finish(page) {
      if (pending) {
        resultPage = page;
        // 303 to /done: the code leaves the address bar and the history.
        pending.writeHead(303, { ...SECURITY_HEADERS, Location: '/done', 'Content-Length': '0' });
        pending.end();
        const grace = new Promise<void>((resolve) => setTimeout(resolve, RESULT_PAGE_GRACE_MS).unref());
        await Promise.race([served, grace]);
      }
      await close();
    },
    close,
  };
}
