import type { Context } from '../context.js';
import { sanitizeForTerminal } from '../ui/text.js';
import { networkFailure } from './network-error.js';
import { proxySettings, withoutCredentials } from './proxy.js';

type Env = Readonly<Record<string, string | undefined>>;

/** MYCLI_DEBUG=1 (or true/yes/on) turns on what --debug does. */
export function debugFromEnv(env: Env): boolean {
  return /^(1|true|yes|on)$/i.test(env.MYCLI_DEBUG?.trim() ?? '');
}

/**
 * Query parameters whose values help diagnose and are never secret. Every other value is redacted:
 * a list of what to hide (code, state, code_verifier, id_token_hint, client_secret…) would miss the
 * next secret a provider invents.
 */
const SHOWN_PARAMETERS = new Set([
  'client_id', 'scope', 'response_type', 'response_mode', 'redirect_uri', 'audience', 'grant_type',
  'code_challenge_method', 'prompt', 'max_age', 'ui_locales', 'post_logout_redirect_uri', 'returnTo',
]);
export const REDACTED = '[redacted]';

/** A URL for the debug log: no user or password, no fragment, every query value but the harmless ones redacted. */
export function redactUrl(input: string): string {
  if (!URL.canParse(input)) return '[not a URL]';
  const url = new URL(input);
  const query = [...url.searchParams].map(([name, value]) =>
    `${encodeURIComponent(name)}=${SHOWN_PARAMETERS.has(name) ? encodeURIComponent(value) : REDACTED}`);
  return `${url.origin}${url.pathname}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

function requestUrl(input: Parameters<typeof fetch>[0]): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

function requestMethod(input: Parameters<typeof fetch>[0], init: RequestInit | undefined): string {
  return (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
}

/**
 * Wraps ctx.fetch, the one door every provider request goes through, so that each exchange is shown
 * on stderr: method, redacted URL, status, content type and time taken. Headers and bodies (tokens,
 * codes, secrets, the Authorization header) are never shown.
 */
export function withDebugLog(ctx: Pick<Context, 'fetch' | 'io' | 'now' | 'env'>): Context['fetch'] {
  const inner = ctx.fetch;
  const log = (line: string) => ctx.io.stderr.write(`[debug] ${sanitizeForTerminal(line, 2000)}\n`);
  let first = true;
  return async (input, init) => {
    if (first) {
      first = false;
      const proxy = safeProxySettings(ctx.env);
      if (proxy) {
        const parts = [proxy.httpProxy && `HTTP_PROXY ${withoutCredentials(proxy.httpProxy)}`, proxy.httpsProxy && `HTTPS_PROXY ${withoutCredentials(proxy.httpsProxy)}`, proxy.noProxy && `NO_PROXY ${proxy.noProxy}`];
        log(`provider requests use ${parts.filter(Boolean).join(', ')}`);
      }
    }
    const what = `${requestMethod(input, init)} ${redactUrl(requestUrl(input))}`;
    const started = ctx.now();
    const took = () => `${Math.max(0, Math.round(ctx.now() - started))} ms`;
    try {
      const response = await inner(input, init);
      const type = response.headers.get('content-type')?.split(';')[0]?.trim();
      log(`${what} → ${response.status}${type ? ` ${type}` : ''} (${took()})`);
      return response;
    } catch (error) {
      const name = error instanceof Error ? error.name : 'error';
      log(`${what} → failed: ${networkFailure(error)?.cause ?? name} (${took()})`);
      throw error;
    }
  };
}

function safeProxySettings(env: Env) {
  try {
    return proxySettings(env);
  } catch {
    return undefined; // the request itself reports the bad variable
  }
}

/** Turns the debug log on for this run: every later provider request through ctx.fetch is shown. */
export function enableDebugLog(ctx: Context): void {
  ctx.fetch = withDebugLog(ctx);
}
