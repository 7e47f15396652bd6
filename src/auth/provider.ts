import * as oidc from 'openid-client';
import type { Context } from '../context.js';
import { AuthError, CliError } from '../errors.js';
import type { Session, SessionEndpoints } from '../session/format.js';
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
  // Settings allow http:// only for loopback issuers (local development providers).
  if (new URL(issuer).protocol === 'http:' && isLoopbackHost(new URL(issuer).hostname)) oidc.allowInsecureRequests(config);
  return config;
}

function clientAuth(clientSecret: string | undefined): oidc.ClientAuth {
  return clientSecret === undefined ? oidc.None() : oidc.ClientSecretPost(clientSecret);
}

/** OpenID discovery at ISSUER/.well-known/openid-configuration. */
export async function discover(ctx: Context, issuer: string, clientId: string, clientSecret?: string): Promise<oidc.Configuration> {
  const options: oidc.DiscoveryRequestOptions = { [oidc.customFetch]: providerFetch(ctx) };
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

/** The network error's code (ECONNREFUSED, ENOTFOUND…), found without printing anything else of it. */
function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    if (e.name === 'TimeoutError') return 'timed out';
  }
  return undefined;
}

/**
 * One line for the user about a failed provider request. Only the provider's error code and
 * description and the error's own message are used: openid-client keeps the raw callback parameters
 * (the authorization code) in `cause`, so `cause` is never printed.
 */
export function providerFailure(error: unknown, doing: string): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError) {
    const description = error.error_description ? ` (${sanitizeForTerminal(error.error_description)})` : '';
    return new AuthError(`${doing} failed: ${sanitizeForTerminal(error.error)}${description}.`);
  }
  if (error instanceof oidc.WWWAuthenticateChallengeError) {
    return new AuthError(`${doing} failed: the provider refused the token (HTTP ${error.status}).`);
  }
  const code = networkCode(error);
  if (code) return new AuthError(`${doing} failed: cannot reach the provider (${code}).`, 'Check your network, proxy (HTTPS_PROXY) and the issuer URL.');
  const message = error instanceof Error ? sanitizeForTerminal(error.message) : 'unknown error';
  return new AuthError(`${doing} failed: ${message}.`);
}

export { oidc };
