import * as oidc from 'openid-client';
import type { Context } from '../context.js';
import { AuthError, CliError } from '../errors.js';
import type { Session, SessionEndpoints } from '../session/format.js';
import { networkFailure } from '../net/network-error.js';
import { requestTimeoutSeconds } from '../net/timeout.js';
import { isLoopbackHost } from '../settings.js';
import { sanitizeForTerminal } from '../ui/text.js';

/** Every request to the provider goes through ctx.fetch, and stops on Ctrl-C. */
function providerFetch(ctx: Context): oidc.CustomFetch {
  return (url, options) =>
    ctx.fetch(url, {
      ...(options as RequestInit),
      signal: options.signal ? AbortSignal.any([options.signal, ctx.signal]) : ctx.signal,
    });
}

function prepare(config: oidc.Configuration, issuer: string, ctx: Context): oidc.Configuration {
  config[oidc.customFetch] = providerFetch(ctx);
  config.timeout = requestTimeoutSeconds(ctx.env);
  // Settings allow http:// only for loopback issuers (local development providers).
  if (new URL(issuer).protocol === 'http:' && isLoopbackHost(new URL(issuer).hostname)) oidc.allowInsecureRequests(config);
  return config;
}

function clientAuth(clientSecret: string | undefined): oidc.ClientAuth {
  return clientSecret === undefined ? oidc.None() : oidc.ClientSecretPost(clientSecret);
}

/** OpenID discovery at ISSUER/.well-known/openid-configuration. */
export async function discover(ctx: Context, issuer: string, clientId: string, clientSecret?: string): Promise<oidc.Configuration> {
  const options: oidc.DiscoveryRequestOptions = { [oidc.customFetch]: providerFetch(ctx), timeout: requestTimeoutSeconds(ctx.env) };
  if (new URL(issuer).protocol === 'http:') options.execute = [oidc.allowInsecureRequests];
  try {
    const config = await oidc.discovery(new URL(issuer), clientId, undefined, clientAuth(clientSecret), options);
    return prepare(config, issuer, ctx);
  } catch (error) {
    throw providerFailure(error, `Discovery at ${new URL('.well-known/openid-configuration', issuer.endsWith('/') ? issuer : `${issuer}/`).href}`);
  }
}

/** A configuration rebuilt from the endpoints saved in the session: refresh and logout need no rediscovery. */
export function configFromSession(ctx: Context, session: Session, clientSecret?: string): oidc.Configuration {
  const config = new oidc.Configuration({ ...session.endpoints }, session.clientId, undefined, clientAuth(clientSecret));
  return prepare(config, session.issuer, ctx);
}

const SAVED_ENDPOINTS = [
  'token_endpoint',
  'authorization_endpoint',
  'userinfo_endpoint',
  'jwks_uri',
  'revocation_endpoint',
  'end_session_endpoint',
  'device_authorization_endpoint',
] as const;

export function endpointsOf(config: oidc.Configuration): SessionEndpoints {
  const server = config.serverMetadata();
  const endpoints: SessionEndpoints = { issuer: server.issuer, token_endpoint: server.token_endpoint ?? '' };
  for (const key of SAVED_ENDPOINTS) {
    const value = server[key];
    if (typeof value === 'string') endpoints[key] = value;
  }
  return endpoints;
}

/** An endpoint for a message: origin and path only (never a query), safe for a terminal. */
export function endpointName(url: string | undefined): string {
  if (!url || !URL.canParse(url)) return 'the provider';
  const { origin, pathname } = new URL(url);
  return sanitizeForTerminal(`${origin}${pathname}`);
}

/** The HTTP response a failure is about, when openid-client kept one (as `response` or `cause`). */
function responseOf(error: unknown): Response | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    for (const candidate of [(e as { response?: unknown }).response, e.cause]) {
      if (candidate instanceof Object && Object.getPrototypeOf(candidate)?.[Symbol.toStringTag] === 'Response') return candidate as Response;
    }
  }
  return undefined;
}

/** The HTTP status of a failed provider response, wherever openid-client keeps it. */
export function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof oidc.WWWAuthenticateChallengeError || error instanceof oidc.ResponseBodyError) return error.status;
  return responseOf(error)?.status;
}

/** A CliError raised inside a request (a bad proxy variable), which openid-client wraps. */
function cliErrorIn(error: unknown): CliError | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e instanceof CliError) return e;
  }
  return undefined;
}

/** What was wrong with an answer that was not the JSON expected, from openid-client's error code. */
function badAnswer(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  const response = responseOf(error);
  const type = response?.headers.get('content-type')?.split(';')[0]?.trim();
  switch (code) {
    case 'OAUTH_RESPONSE_IS_NOT_CONFORM':
      return response ? `the provider answered HTTP ${response.status}${type ? ` (${sanitizeForTerminal(type, 60)})` : ''}` : undefined;
    case 'OAUTH_RESPONSE_IS_NOT_JSON':
      return `the answer is not JSON (HTTP ${response?.status ?? '?'}, content type ${type ? sanitizeForTerminal(type, 60) : 'none'})`;
    case 'OAUTH_PARSE_ERROR':
      return 'the answer is not valid JSON';
    case 'OAUTH_INVALID_RESPONSE':
      return 'the answer is not what the protocol expects';
    default:
      return undefined;
  }
}

/**
 * One line for the user about a failed provider request: `${doing} failed: cause.` Callers name the
 * endpoint in `doing`. Only the provider's error code and description, codes of network errors and
 * the error's own message are used: openid-client keeps the raw callback parameters (the
 * authorization code) in `cause`, so `cause` is never printed.
 */
export function providerFailure(error: unknown, doing: string): CliError {
  if (error instanceof CliError) return error;
  const inner = cliErrorIn(error);
  if (inner) return inner;
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError) {
    const description = error.error_description ? ` (${sanitizeForTerminal(error.error_description)})` : '';
    return new AuthError(`${doing} failed: ${sanitizeForTerminal(error.error)}${description}.`);
  }
  if (error instanceof oidc.WWWAuthenticateChallengeError) {
    return new AuthError(`${doing} failed: the provider refused the token (HTTP ${error.status}).`);
  }
  const network = networkFailure(error);
  if (network) {
    const hints = {
      network: 'Check your network, proxy (HTTPS_PROXY, NO_PROXY) and the issuer URL.',
      timeout: 'Check your network and proxy (HTTPS_PROXY); MYCLI_HTTP_TIMEOUT sets how many seconds to wait (default 30).',
      certificate: 'If your network uses its own certificate authority, point NODE_EXTRA_CA_CERTS at its PEM file.',
      proxy: 'Check HTTPS_PROXY / HTTP_PROXY (and the user and password in it), or list the provider in NO_PROXY.',
    };
    const reach = network.kind === 'network' ? 'cannot reach the provider: ' : '';
    return new AuthError(`${doing} failed: ${reach}${network.cause}.`, hints[network.kind]);
  }
  const answer = badAnswer(error);
  if (answer) return new AuthError(`${doing} failed: ${answer}.`, 'Check the issuer URL; a proxy or captive portal may be answering instead of the provider.');
  const message = error instanceof Error ? sanitizeForTerminal(error.message) : 'unknown error';
  return new AuthError(`${doing} failed: ${message}.`);
}

export { oidc };
