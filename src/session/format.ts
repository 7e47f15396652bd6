/**
 * The session file's format, defined once for the fast reader (plain JSON.parse on the read-only
 * paths) and for the writer (conf, in files.ts).
 */
export const SESSION_VERSION = 1;

/** The provider endpoints that refresh, whoami --verify and logout need without rediscovery. */
export interface SessionEndpoints {
  issuer: string;
  token_endpoint: string;
  authorization_endpoint?: string;
  userinfo_endpoint?: string;
  jwks_uri?: string;
  revocation_endpoint?: string;
  end_session_endpoint?: string;
  device_authorization_endpoint?: string;
}

export interface SessionUser {
  sub: string;
  name?: string;
  email?: string;
  [claim: string]: unknown;
}

export interface SessionTokens {
  accessToken: string;
  tokenType: string;
  /** ISO 8601; absent when the provider gave no expires_in. */
  expiresAt?: string;
  refreshToken?: string;
  idToken?: string;
  scope?: string;
}

export type SessionSource = 'session' | 'client-credentials';

export interface Session {
  version: typeof SESSION_VERSION;
  source: SessionSource;
  issuer: string;
  clientId: string;
  audience?: string;
  endpoints: SessionEndpoints;
  user: SessionUser;
  tokens: SessionTokens;
  savedAt: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string' && value !== '';
const optionalString = (value: unknown) => value === undefined || typeof value === 'string';

/** Why a session file cannot be used, in words for the user; undefined when it is sound. */
function problemWith(data: unknown): string | undefined {
  if (!isObject(data)) return 'not a JSON object';
  if (data.version !== SESSION_VERSION) return `unsupported format version ${JSON.stringify(data.version ?? null)}`;
  if (data.source !== 'session' && data.source !== 'client-credentials') return 'unknown source';
  if (!isString(data.issuer) || !isString(data.clientId)) return 'issuer or client id missing';
  const { endpoints, user, tokens } = data;
  if (!isObject(endpoints) || !isString(endpoints.issuer) || !isString(endpoints.token_endpoint)) return 'provider endpoints missing';
  if (!isObject(user) || !isString(user.sub)) return 'user missing';
  if (!isObject(tokens) || !isString(tokens.accessToken) || !isString(tokens.tokenType)) return 'tokens missing';
  if (!optionalString(tokens.refreshToken) || !optionalString(tokens.idToken)) return 'tokens damaged';
  if (tokens.expiresAt !== undefined && Number.isNaN(Date.parse(String(tokens.expiresAt)))) return 'expiry damaged';
  return undefined;
}

export type ParsedSession = { ok: true; session: Session } | { ok: false; problem: string };

export function parseSession(text: string): ParsedSession {
  if (text.trim() === '') return { ok: false, problem: 'the file is empty' };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'not valid JSON' };
  }
  const problem = problemWith(data);
  return problem ? { ok: false, problem } : { ok: true, session: data as Session };
}

/** Milliseconds since the epoch when the access token expires, or undefined when unknown. */
export function expiresAtMs(session: Session): number | undefined {
  return session.tokens.expiresAt ? Date.parse(session.tokens.expiresAt) : undefined;
}

/**
 * True when the access token has expired or expires within marginMs (it could lapse before the caller
 * uses it). A token without a known expiry is taken as valid: only the provider can say otherwise.
 */
export function expiresWithin(session: Session, now: number, marginMs: number): boolean {
  const expires = expiresAtMs(session);
  return expires !== undefined && expires - marginMs <= now;
}
