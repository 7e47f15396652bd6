import type { Context } from '../context.js';
import { UsageError } from '../errors.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface ProxySettings {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

/** curl's convention: the lower-case variable wins; an empty one counts as unset. */
function variable(env: Env, name: string): string {
  return env[name.toLowerCase()] || env[name.toUpperCase()] || '';
}

/** `proxy.example.com:3128` means http://proxy.example.com:3128, as for curl. */
function withScheme(value: string): string {
  return value && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? `http://${value}` : value;
}

/** The proxy variables, or undefined when no proxy is set (the common case: undici is then never loaded). */
export function proxySettings(env: Env): ProxySettings | undefined {
  const settings = {
    httpProxy: withScheme(variable(env, 'http_proxy')),
    httpsProxy: withScheme(variable(env, 'https_proxy')),
    noProxy: variable(env, 'no_proxy'),
  };
  if (!settings.httpProxy && !settings.httpsProxy) return undefined;
  for (const [name, value] of [['HTTP_PROXY', settings.httpProxy], ['HTTPS_PROXY', settings.httpsProxy]] as const) {
    if (value && !(URL.canParse(value) && /^https?:$/.test(new URL(value).protocol))) {
      throw new UsageError(`Invalid ${name} ${JSON.stringify(withoutCredentials(value))}: not an http:// or https:// URL.`, 'Example: HTTPS_PROXY=http://proxy.example.com:3128');
    }
  }
  return settings;
}

/** A proxy URL for printing: user and password replaced, even when the rest does not parse. */
export function withoutCredentials(value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || !/^https?:$/.test(url.protocol)) return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^@/]*@/i, '$1***@');
  if (url.username || url.password) {
    url.username = '***';
    url.password = '';
  }
  return url.href;
}

/**
 * The fetch for provider requests: src/net/http-fetch.ts on node:http (far cheaper to load than the
 * built-in fetch), or, when a proxy variable is set, undici's fetch through its EnvHttpProxyAgent
 * (HTTP_PROXY for http:// URLs, HTTPS_PROXY for https:// ones, falling back to HTTP_PROXY; NO_PROXY as
 * curl reads it). undici's own fetch, not the built-in one, so that agent and fetch are always the same
 * undici version. Only provider requests use it: the loopback listener is a server and never goes
 * through a proxy. Either is loaded on the first request, so a command that makes none (whoami,
 * token) never pays for it.
 */
export function providerFetchFor(env: Env): Context['fetch'] {
  let settings: ProxySettings | undefined;
  try {
    settings = proxySettings(env);
  } catch (error) {
    // Reported at the first provider request, where it can become a usage error; commands that make
    // no request (whoami, token) are not stopped by a proxy variable meant for other tools.
    return () => Promise.reject(error);
  }
  const proxy = settings;
  let loaded: Promise<Context['fetch']> | undefined;
  const load = async (): Promise<Context['fetch']> => {
    if (!proxy) {
      const { httpFetch } = await import('./http-fetch.js');
      return httpFetch as unknown as Context['fetch'];
    }
    const { EnvHttpProxyAgent, fetch } = await import('undici');
    // '' rather than undefined: undici would otherwise fall back to process.env itself.
    const dispatcher = new EnvHttpProxyAgent(proxy);
    const proxied: Context['fetch'] = (input, init) =>
      fetch(input as Parameters<typeof fetch>[0], { ...(init as object), dispatcher } as Parameters<typeof fetch>[1]) as unknown as Promise<Response>;
    return proxied;
  };
  return async (input, init) => (await (loaded ??= load()))(input, init);
}
