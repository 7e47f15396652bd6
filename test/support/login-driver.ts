// A person at the test provider's pages, over plain HTTP: fetch with a cookie jar, no browser.
// It understands oidc-provider's devInteractions login/consent pages and its device flow pages.

export interface DriveOptions {
  /** account id typed at the login page; default 'alice' */
  login?: string;
  password?: string;
  /** abort at the login page (device flow: at the confirm page) instead of signing in */
  deny?: boolean;
}

const MAX_HOPS = 25;

interface Form {
  action: URL;
  method: string;
  fields: Map<string, string>;
  /** fields a person types into, as opposed to hidden ones */
  visible: Set<string>;
}

interface Page {
  url: URL;
  status: number;
  location?: URL | undefined;
  html: string;
}

/**
 * Follows the authorization URL through login and consent and stops at the redirect to the
 * redirect_uri (mycli's loopback callback); returns that URL without requesting it.
 */
export async function authorizeUntilCallback(authorizationUrl: string, opts: DriveOptions = {}): Promise<string> {
  const start = new URL(authorizationUrl);
  const redirectUri = start.searchParams.get('redirect_uri');
  const isCallback = (url: URL) => (redirectUri
    ? sameEndpoint(url, new URL(redirectUri))
    : url.origin !== start.origin);
  const browser = new Browser();

  let page = await browser.request(start);
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    if (page.location) {
      if (isCallback(page.location)) return page.location.href;
      page = await browser.request(page.location);
      continue;
    }
    const form = findForm(page, (f) => f.fields.get('prompt') === 'login' || f.fields.has('login'));
    if (form && opts.deny) {
      page = await browser.request(findAbortLink(page));
    } else if (form) {
      fillLogin(form, opts);
      page = await browser.submit(form);
    } else {
      page = await browser.submit(expectForm(page, 'login, consent or redirect'));
    }
  }
  throw new Error(`authorizeUntilCallback: no redirect to ${redirectUri ?? 'the client'} after ${MAX_HOPS} steps`);
}

/**
 * authorizeUntilCallback, then requests the callback URL as the browser would, following
 * redirects that stay on the loopback, and returns mycli's result page.
 */
export async function completeLogin(
  authorizationUrl: string,
  opts: DriveOptions = {},
): Promise<{ status: number; body: string; callbackUrl: string }> {
  const callbackUrl = await authorizeUntilCallback(authorizationUrl, opts);
  let url = new URL(callbackUrl);
  for (let hop = 0; hop < 5; hop += 1) {
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    const next = location ? new URL(location, url) : undefined;
    if (next && isLoopback(next)) {
      await response.body?.cancel();
      url = next;
      continue;
    }
    return { status: response.status, body: await response.text(), callbackUrl };
  }
  throw new Error('completeLogin: too many redirects after the callback');
}

/**
 * Device flow, the person's side: opens the verification URI (with the user code, or typing it
 * in), confirms the code, signs in and consents; with `deny`, aborts at the confirm page.
 */
export async function approveDevice(verificationUri: string, userCode: string, opts: DriveOptions = {}): Promise<void> {
  const browser = new Browser();
  let page = await browser.request(new URL(verificationUri));
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    if (page.location) {
      page = await browser.request(page.location);
      continue;
    }
    const form = findForm(page, () => true);
    if (!form) {
      if (page.status === 200 && /Sign-in Success/i.test(page.html)) return;
      throw pageError('approveDevice: the device login did not succeed', page);
    }
    if (form.fields.get('confirm') === 'yes' && opts.deny) {
      form.fields.delete('confirm');
      form.fields.set('abort', 'yes');
      const aborted = await browser.submit(form);
      if (/interrupted/i.test(aborted.html)) return;
      throw pageError('approveDevice: aborting was not acknowledged', aborted);
    }
    if (/class="red"/.test(page.html)) throw pageError('approveDevice: the provider rejected the request', page);
    if (form.visible.has('user_code')) {
      form.fields.set('user_code', userCode);
    } else if (form.fields.has('login')) {
      fillLogin(form, opts);
    }
    page = await browser.submit(form);
  }
  throw new Error(`approveDevice: no success page after ${MAX_HOPS} steps`);
}

/**
 * Follows a logout URL the way a browser would: confirms the provider's logout page if it shows
 * one, and returns where the provider finally redirects (the post-logout redirect URI) without requesting it.
 */
export async function followLogout(logoutUrl: string): Promise<string> {
  const browser = new Browser();
  const start = new URL(logoutUrl);
  let page = await browser.request(start);
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    if (page.location) {
      if (page.location.origin !== start.origin) return page.location.href;
      page = await browser.request(page.location);
      continue;
    }
    const form = findForm(page, () => true);
    if (!form) return page.url.href;
    if (form.fields.has('logout')) form.fields.set('logout', 'yes');
    page = await browser.submit(form);
  }
  throw new Error(`followLogout: still on the provider after ${MAX_HOPS} steps`);
}

/**
 * Resolves with the first URL on a line of `stream` (a running mycli's stderr) that matches
 * `pattern`. Does not consume the stream for anyone else listening.
 */
export function waitForUrl(stream: NodeJS.ReadableStream, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const finish = (error?: Error, url?: string) => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      if (error) reject(error);
      else resolve(url as string);
    };
    const search = (lines: string[]) => {
      for (const line of lines) {
        // eslint-disable-next-line no-control-regex
        const plain = line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
        for (const [url] of plain.matchAll(/https?:\/\/[^\s"'<>]+/g)) {
          if (new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')).test(url)) return url;
        }
      }
      return undefined;
    };
    const onData = (chunk: Buffer | string) => {
      buffered += chunk.toString();
      const lines = buffered.split(/\r?\n/);
      buffered = lines.pop() ?? '';
      const url = search(lines);
      if (url) finish(undefined, url);
    };
    const onEnd = () => {
      const url = search([buffered]);
      if (url) finish(undefined, url);
      else finish(new Error(`waitForUrl: the stream ended without a URL matching ${pattern}`));
    };
    const timer = setTimeout(
      () => finish(new Error(`waitForUrl: no URL matching ${pattern} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    stream.on('data', onData);
    stream.on('end', onEnd);
  });
}

/** fetch with a cookie jar, one request at a time, redirects left to the caller. */
class Browser {
  readonly #cookies = new Map<string, { name: string; value: string; path: string }>();

  async request(url: URL, init: { method?: string; body?: URLSearchParams } = {}): Promise<Page> {
    const headers = new Headers({ accept: 'text/html' });
    const cookie = this.#cookieHeader(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { method: init.method ?? 'GET', body: init.body ?? null, headers, redirect: 'manual' });
    this.#store(url, response.headers.getSetCookie());
    const location = response.headers.get('location');
    const isRedirect = response.status >= 300 && response.status < 400 && location !== null;
    return {
      url,
      status: response.status,
      location: isRedirect ? new URL(location, url) : undefined,
      html: await response.text(),
    };
  }

  submit(form: Form): Promise<Page> {
    const body = new URLSearchParams([...form.fields]);
    if (form.method === 'GET') {
      const url = new URL(form.action);
      url.search = body.toString();
      return this.request(url);
    }
    return this.request(form.action, { method: 'POST', body });
  }

  #cookieHeader(url: URL): string {
    return [...this.#cookies.values()]
      .filter((c) => pathMatches(url.pathname, c.path))
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  #store(url: URL, setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = defaultPath(url);
      let expired = value === '';
      for (const attribute of attributes) {
        const [key = '', val = ''] = attribute.split(/=(.*)/s);
        const lower = key.toLowerCase();
        if (lower === 'path' && val.startsWith('/')) path = val;
        if (lower === 'max-age' && Number(val) <= 0) expired = true;
        if (lower === 'expires' && Date.parse(val) <= Date.now()) expired = true;
      }
      const key = `${name};${path}`;
      if (expired) this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value, path });
    }
  }
}

function defaultPath(url: URL): string {
  const dir = url.pathname.slice(0, url.pathname.lastIndexOf('/'));
  return dir || '/';
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  return requestPath === cookiePath
    || (requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'));
}

function fillLogin(form: Form, opts: DriveOptions): void {
  form.fields.set('login', opts.login ?? 'alice');
  form.fields.set('password', opts.password ?? 'any password');
}

function findForm(page: Page, accept: (form: Form) => boolean): Form | undefined {
  return parseForms(page).find(accept);
}

function expectForm(page: Page, what: string): Form {
  const form = parseForms(page)[0];
  if (!form) throw pageError(`expected a ${what} page`, page);
  return form;
}

function parseForms(page: Page): Form[] {
  const forms: Form[] = [];
  for (const [, attrs = '', inner = ''] of page.html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const formAttrs = parseAttributes(attrs);
    const form: Form = {
      action: new URL(formAttrs.get('action') ?? page.url.href, page.url),
      method: (formAttrs.get('method') ?? 'GET').toUpperCase(),
      fields: new Map(),
      visible: new Set(),
    };
    for (const [, inputAttrs = ''] of inner.matchAll(/<input\b([^>]*)>/gi)) {
      const input = parseAttributes(inputAttrs);
      const name = input.get('name');
      if (!name) continue;
      form.fields.set(name, input.get('value') ?? '');
      if ((input.get('type') ?? 'text').toLowerCase() !== 'hidden') form.visible.add(name);
    }
    forms.push(form);
  }
  return forms;
}

function findAbortLink(page: Page): URL {
  for (const [, attrs = ''] of page.html.matchAll(/<a\b([^>]*)>/gi)) {
    const href = parseAttributes(attrs).get('href');
    if (href && /\/abort(?:$|[?#])/.test(href)) return new URL(href, page.url);
  }
  throw pageError('no abort link on the login page', page);
}

function parseAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const [, name = '', dq, sq, bare] of source.matchAll(/([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    attributes.set(name.toLowerCase(), decodeEntities(dq ?? sq ?? bare ?? ''));
  }
  return attributes;
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, code: string) => {
    if (code[0] === '#') {
      const point = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return String.fromCodePoint(point);
    }
    return named[code.toLowerCase()] ?? entity;
  });
}

function pageError(message: string, page: Page): Error {
  const text = page.html.replace(/<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  return new Error(`${message} (HTTP ${page.status} at ${page.url.pathname}): ${text.slice(0, 300)}`);
}

function sameEndpoint(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
}

function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}
