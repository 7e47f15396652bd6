/**
 * Why a request never got an answer, in words for the user, read from the error's code chain
 * (fetch failed → undici's SocketError, or node:http's error (src/net/http-fetch.ts) → the system
 * error). Only codes, names and addresses are read,
 * never a message, which could carry request details (the one exception: the status number in undici's
 * message about a proxy that refused the tunnel).
 */
const CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'the server closed the connection',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  UND_ERR_BODY_TIMEOUT: 'no answer in time',
};

/** TLS verification failures: the usual sign of a corporate CA that Node does not know. */
const CERTIFICATE = /^(UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|CERT_|ERR_TLS_CERT|HOSTNAME_MISMATCH)/;

export interface NetworkFailure {
  /** e.g. "connection refused (ECONNREFUSED 127.0.0.1:443)" */
  cause: string;
  kind: 'network' | 'timeout' | 'certificate' | 'proxy';
}

/** undici's only word about a proxy that refused the tunnel: "Proxy response (407) !== 200 when HTTP Tunneling". */
const PROXY_REFUSED = /^Proxy response \((\d{3})\)/;

export function networkFailure(error: unknown): NetworkFailure | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    if (e.name === 'TimeoutError') return { cause: 'no answer in time', kind: 'timeout' };
    const { code, address, port, hostname } = e as NodeJS.ErrnoException & { address?: unknown; port?: unknown; hostname?: unknown };
    if (typeof code !== 'string') continue;
    const status = code === 'UND_ERR_ABORTED' ? PROXY_REFUSED.exec(e.message)?.[1] : undefined;
    if (status) return { cause: `the proxy refused to connect to it (HTTP ${status})`, kind: 'proxy' };
    if (CERTIFICATE.test(code)) return { cause: `the certificate is not trusted (${code})`, kind: 'certificate' };
    // The address or host name tells a proxy that failed from a provider that did.
    const host = typeof address === 'string' ? address : typeof hostname === 'string' ? hostname : undefined;
    const where = host ? ` ${host}${typeof port === 'number' ? `:${port}` : ''}` : '';
    // node:http's "socket hang up": the server closed the connection without answering (a reset read
    // from the socket has a syscall).
    const hungUp = code === 'ECONNRESET' && (e as NodeJS.ErrnoException).syscall === undefined;
    const words = hungUp ? CAUSES.UND_ERR_SOCKET : CAUSES[code];
    // Only a wait for the answer is MYCLI_HTTP_TIMEOUT's business; connecting has its own limit.
    if (words) return { cause: `${words} (${code}${where})`, kind: /HEADERS_TIMEOUT|BODY_TIMEOUT/.test(code) ? 'timeout' : 'network' };
    if (/^E[A-Z]+$/.test(code)) return { cause: `${code}${where}`, kind: 'network' };
  }
  return undefined;
}
