import type { Context } from '../context.js';
import { AuthError, NotLoggedInError } from '../errors.js';
import { expiresWithin, type Session } from '../session/format.js';
import { withSessionLock } from '../session/lock.js';
import { readSession, saveSession } from '../session/store.js';
import { configFromSession, endpointName, oidc, providerFailure } from './provider.js';
import { buildSession } from './session-builder.js';

/** Which session file: the config directory and the (validated) profile name. */
export interface SessionPlace {
  configDir: string;
  profile: string;
}

export interface RenewOptions {
  /** The access token counts as expired when it expires within this many milliseconds. */
  marginMs: number;
  /** Renew although the token still looks valid: the provider has just rejected it. */
  force?: boolean;
}

/**
 * The session with a usable access token, renewed (refresh grant) when it has expired or is about to.
 * `seen` is the session the caller read before deciding that a renewal is needed.
 *
 * Providers rotate refresh tokens and revoke the whole family when one is used twice, so renewal is
 * single-flight across processes: under the lock the file is read again, and when another process has
 * renewed it meanwhile its token is used instead of spending another refresh. The file is written only
 * with a complete new session (atomically); on any failure it is left exactly as it was.
 */
export async function getValidSession(ctx: Context, where: SessionPlace, seen: Session, options: RenewOptions): Promise<Session> {
  return withSessionLock(ctx, where.configDir, where.profile, async () => {
    const current = readSession(where.configDir, where.profile);
    if (!current) throw new NotLoggedInError(`Not logged in (profile ${where.profile}).`);
    const renewedMeanwhile = current.tokens.accessToken !== seen.tokens.accessToken;
    // Another process's fresh token is good enough even inside the margin (providers whose tokens live
    // less than the margin would otherwise refresh once per waiting process).
    if (renewedMeanwhile && !expiresWithin(current, ctx.now(), 0)) return current;
    if (!options.force && !expiresWithin(current, ctx.now(), options.marginMs)) return current;
    const renewed = await renew(ctx, current, where.profile);
    try {
      await saveSession(where.configDir, where.profile, renewed);
    } catch (error) {
      throw new AuthError(`Could not save the refreshed session (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).`);
    }
    return renewed;
  });
}

async function renew(ctx: Context, session: Session, profile: string): Promise<Session> {
  if (session.tokens.refreshToken) return refresh(ctx, session, session.tokens.refreshToken, profile);
  if (session.source === 'client-credentials') {
    // No refresh token: minted again from MYCLI_CLIENT_SECRET.
    const { renewClientSession } = await import('./client-credentials.js');
    return renewClientSession(ctx, session, profile);
  }
  throw new NotLoggedInError(
    `The access token for profile ${profile} has expired and the session has no refresh token.`,
    'Run `mycli login` to log in again (a refresh token needs the offline_access scope).',
  );
}

/** The refresh grant against the endpoints saved in the session (no rediscovery); keeps the saved user. */
async function refresh(ctx: Context, session: Session, refreshToken: string, profile: string): Promise<Session> {
  const config = configFromSession(ctx, session);
  let tokens: oidc.TokenEndpointResponse;
  // Expiry counts from when we asked, so a slow answer never makes the token look longer-lived.
  const requestedAt = ctx.now();
  try {
    tokens = await oidc.refreshTokenGrant(config, refreshToken);
  } catch (error) {
    if (error instanceof oidc.ResponseBodyError && error.error === 'invalid_grant') {
      throw new NotLoggedInError(
        `The session for profile ${profile} can no longer be refreshed: the provider rejected its refresh token (invalid_grant).`,
        'Run `mycli login` to log in again.',
      );
    }
    throw providerFailure(error, `Refreshing the access token at ${endpointName(session.endpoints.token_endpoint)}`);
  }
  return buildSession({
    config,
    clientId: session.clientId,
    audience: session.audience,
    source: session.source,
    tokens,
    user: session.user,
    now: requestedAt,
    previousRefreshToken: refreshToken,
    previousIdToken: session.tokens.idToken,
  });
}
