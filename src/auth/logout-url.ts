import type { Session } from '../session/format.js';

export interface LogoutUrlOptions {
  returnTo: string | undefined;
  /** Only for the URL handed to the browser: a URL printed to the terminal must not carry a token. */
  includeIdTokenHint: boolean;
}

/**
 * The provider's logout URL: the discovered end_session_endpoint (RP-initiated logout), or else
 * Auth0's /v2/logout on the issuer's origin. URLSearchParams percent-encodes every value.
 */
export function buildLogoutUrl(session: Pick<Session, 'issuer' | 'clientId' | 'endpoints' | 'tokens'>, options: LogoutUrlOptions): URL {
  const endSession = session.endpoints.end_session_endpoint;
  if (endSession) {
    const url = new URL(endSession);
    url.searchParams.set('client_id', session.clientId);
    if (options.includeIdTokenHint && session.tokens.idToken) url.searchParams.set('id_token_hint', session.tokens.idToken);
    if (options.returnTo) url.searchParams.set('post_logout_redirect_uri', options.returnTo);
    return url;
  }
  const url = new URL('/v2/logout', new URL(session.issuer).origin);
  url.searchParams.set('client_id', session.clientId);
  if (options.returnTo) url.searchParams.set('returnTo', options.returnTo);
  return url;
}
