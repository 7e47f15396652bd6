// The fetch that provider requests use when no proxy is set: the Fetch API's shape (what openid-client
// calls through its customFetch seam) on top of node:http and node:https.
//
// Why not Node's built-in fetch: loading it (undici, plus the WebAssembly HTTP parser V8 compiles for
// it) costs about 160 ms of CPU here, more than the whole budget of a login (npm run bench; README
// "Performance"). node:http parses with the C++ parser already in the binary and costs ~20 ms. The
// libraries that do the same were measured too (README "Libraries, and why"): they cost 70–110 ms to
// load, and their bodies are Node streams without the `cancel()` openid-client calls on error answers.
//
// Only what a client of an OpenID provider needs, and nothing that could surprise one:
// - the whole answer is read before the promise resolves (provider answers are small JSON documents);
// - redirects are never followed (openid-client asks for `redirect: 'manual'` on every request);
// - no cookies, no cache, no compression asked for (a compressed answer is still decoded);
// - failures look like the built-in fetch's: `TypeError('fetch failed')` with the system error as
//   `cause`, and an aborted signal rejects with its reason (a TimeoutError for openid-client's timeout).
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';

type HeadersLike = Iterable<readonly [string, string]> | Record<string, string | readonly string[] | undefined>;

function isIterable(value: unknown): value is Iterable<readonly [string, string]> {
  return typeof value === 'object' && value !== null && Symbol.iterator in value;
}

/** A header value may not carry a line break: it would start a new header in the request. */
function checkedValue(name: string, value: string): string {
  const trimmed = String(value).trim();
  if (/[\r\n\0]/.test(trimmed)) throw new TypeError(`Invalid value for header ${JSON.stringify(name)}`);
  return trimmed;
}

function checkedName(name: string): string {
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(name)) throw new TypeError(`Invalid header name ${JSON.stringify(name)}`);
  return name.toLowerCase();
}

/** The Fetch API's Headers: case-insensitive names, several values joined with ", ". */
export class HttpHeaders {
  readonly #values = new Map<string, string[]>();

  constructor(init?: HeadersLike | null) {
    if (!init) return;
    if (isIterable(init)) {
      for (const [name, value] of init) this.append(name, value);
      return;
    }
    for (const [name, value] of Object.entries(init)) {
      if (value === undefined) continue;
      for (const one of typeof value === 'string' ? [value] : value) this.append(name, one);
    }
  }

  append(name: string, value: string): void {
    const key = checkedName(name);
    const list = this.#values.get(key);
    if (list) list.push(checkedValue(name, value));
    else this.#values.set(key, [checkedValue(name, value)]);
  }

  set(name: string, value: string): void {
    this.#values.set(checkedName(name), [checkedValue(name, value)]);
  }

  delete(name: string): void {
    this.#values.delete(name.toLowerCase());
  }

  get(name: string): string | null {
    return this.#values.get(name.toLowerCase())?.join(', ') ?? null;
  }

  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }

  getSetCookie(): string[] {
    return [...(this.#values.get('set-cookie') ?? [])];
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of [...this.#values.keys()].sort()) yield [name, this.get(name)!];
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  forEach(callback: (value: string, name: string, headers: this) => void): void {
    for (const [name, value] of this.entries()) callback(value, name, this);
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Headers';
  }
}

interface ResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersLike;
}

/** The Fetch API's Response, over a body that has already arrived whole. */
export class HttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: HttpHeaders;
  readonly url: string;
  readonly redirected = false;
  readonly type = 'basic';
  readonly #bytes: Uint8Array | null;
  #used = false;
  #stream: ReadableStream<Uint8Array> | undefined;

  constructor(body?: string | Uint8Array | null, init: ResponseInit = {}, url = '') {
    this.status = init.status ?? 200;
    this.statusText = init.statusText ?? '';
    this.headers = new HttpHeaders(init.headers);
    this.url = url;
    this.#bytes = body == null ? null : typeof body === 'string' ? new TextEncoder().encode(body) : body;
    if (typeof body === 'string' && !this.headers.has('content-type')) this.headers.set('content-type', 'text/plain;charset=UTF-8');
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get bodyUsed(): boolean {
    return this.#used;
  }

  /** A stream of the body, made on first use; reading or cancelling it uses the body up. */
  get body(): ReadableStream<Uint8Array> | null {
    if (this.#bytes === null) return null;
    const bytes = this.#bytes;
    this.#stream ??= new ReadableStream<Uint8Array>(
      {
        pull: (controller) => {
          this.#used = true;
          controller.enqueue(bytes);
          controller.close();
        },
        cancel: () => {
          this.#used = true;
        },
      },
      { highWaterMark: 0 },
    );
    return this.#stream;
  }

  #consume(): Uint8Array {
    if (this.#used || this.#stream?.locked) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#bytes ?? new Uint8Array(0);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.#consume();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(this.#consume());
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  clone(): HttpResponse {
    if (this.#used) throw new TypeError('Response.clone: Body has already been consumed.');
    return new HttpResponse(this.#bytes, { status: this.status, statusText: this.statusText, headers: this.headers }, this.url);
  }

  get [Symbol.toStringTag](): string {
    return 'Response';
  }
}

interface FetchInit {
  method?: string;
  headers?: HeadersLike | null;
  body?: string | URLSearchParams | Uint8Array | ArrayBuffer | null;
  signal?: AbortSignal | null;
  redirect?: string;
}

/** A request body as bytes, with the content type the Fetch API gives it. */
function encodeBody(body: FetchInit['body']): { bytes: Uint8Array; type?: string } | undefined {
  if (body == null) return undefined;
  if (typeof body === 'string') return { bytes: new TextEncoder().encode(body), type: 'text/plain;charset=UTF-8' };
  if (body instanceof URLSearchParams) return { bytes: new TextEncoder().encode(body.toString()), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
  if (body instanceof ArrayBuffer) return { bytes: new Uint8Array(body) };
  if (body instanceof Uint8Array) return { bytes: body };
  throw new TypeError('Unsupported request body');
}

/** A body sent compressed although none was asked for, decoded as the Fetch API would. */
async function decoded(bytes: Buffer, encoding: string | undefined): Promise<Buffer> {
  const kind = encoding?.trim().toLowerCase();
  if (!kind || kind === 'identity') return bytes;
  const zlib = await import('node:zlib');
  if (kind === 'gzip' || kind === 'x-gzip') return zlib.gunzipSync(bytes);
  if (kind === 'deflate') return zlib.inflateSync(bytes);
  if (kind === 'br') return zlib.brotliDecompressSync(bytes);
  return bytes;
}

const failed = (cause: unknown) => new TypeError('fetch failed', { cause });

/** The Fetch API's fetch() for provider requests; see the top of this file for what it leaves out. */
export async function httpFetch(input: string | URL | { url: string }, init: FetchInit = {}): Promise<HttpResponse> {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw failed(new Error(`unsupported protocol ${url.protocol}`));
  const signal = init.signal ?? undefined;
  signal?.throwIfAborted();
  const headers = new HttpHeaders(init.headers);
  const body = encodeBody(init.body);
  if (body?.type && !headers.has('content-type')) headers.set('content-type', body.type);
  if (body) headers.set('content-length', String(body.bytes.byteLength));
  if (!headers.has('accept')) headers.set('accept', '*/*');
  // node:https (and with it TLS) is loaded only for https:// providers.
  const request = url.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
  const options: RequestOptions = { method: (init.method ?? 'GET').toUpperCase(), headers: Object.fromEntries(headers) };

  return new Promise<HttpResponse>((resolve, reject) => {
    let req: ClientRequest;
    const onAbort = () => {
      req.destroy();
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = <T>(fn: (value: T) => void) => (value: T) => {
      signal?.removeEventListener('abort', onAbort);
      fn(value);
    };
    const fail = settle((error: unknown) => reject(signal?.aborted ? signal.reason : failed(error)));
    const send = (retried: boolean) => {
      req = request(url, options);
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed just as it was reused: Node's documented case for
        // sending again, once, on a new connection.
        if (!retried && req.reusedSocket && error.code === 'ECONNRESET' && !signal?.aborted) send(true);
        else fail(error);
      });
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        // The connection dropped before the whole answer arrived.
        res.on('close', () => {
          if (!res.complete) fail(Object.assign(new Error('the answer was cut off'), { code: 'ECONNRESET' }));
        });
        res.on('end', () => {
          const responseHeaders: [string, string][] = [];
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) responseHeaders.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
          decoded(Buffer.concat(chunks), res.headers['content-encoding']).then(
            settle((bytes: Buffer) => {
              // 204/304 and HEAD answers have no body at all, as in the Fetch API.
              const none = res.statusCode === 204 || res.statusCode === 304 || options.method === 'HEAD';
              const init = { status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: responseHeaders };
              resolve(new HttpResponse(none ? null : bytes, init, url.href));
            }),
            fail,
          );
        });
      });
      req.end(body ? body.bytes : undefined);
    };
    send(false);
  });
}
