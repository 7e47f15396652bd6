import { SESSION_VERSION, type Session, type SessionSource, type SessionUser } from '../session/format.js';
import { endpointsOf, type oidc } from './provider.js';

export interface SessionInput {
  config: oidc.Configuration;
  clientId: string;
  audience: string | undefined;
  source: SessionSource;
  tokens: oidc.TokenEndpointResponse;
  user: SessionUser;
  now: number;
  /** Kept when the provider does not rotate it (a refresh response without refresh_token). */
  previousRefreshToken?: string | undefined;
  /** Kept when a refresh response carries no new ID token: logout still needs one for id_token_hint. */
  previousIdToken?: string | undefined;
}

/** The session file's content from a token response: the one place tokens become a session. */
export function buildSession(input: SessionInput): Session {
  const { tokens, now } = input;
  const endpoints = endpointsOf(input.config);
  const session: Session = {
    version: SESSION_VERSION,
    source: input.source,
    issuer: endpoints.issuer,
    clientId: input.clientId,
    endpoints,
    user: input.user,
    tokens: {
      accessToken: tokens.access_token,
      tokenType: tokens.token_type ?? 'bearer',
    },
    savedAt: new Date(now).toISOString(),
  };
  if (input.audience) session.audience = input.audience;
  if (typeof tokens.expires_in === 'number') session.tokens.expiresAt = new Date(now + tokens.expires_in * 1000).toISOString();
  const refreshToken = tokens.refresh_token ?? input.previousRefreshToken;
  if (refreshToken) session.tokens.refreshToken = refreshToken;
  const idToken = tokens.id_token ?? input.previousIdToken;
  if (idToken) session.tokens.idToken = idToken;
  if (tokens.scope) session.tokens.scope = tokens.scope;
  return session;
}
