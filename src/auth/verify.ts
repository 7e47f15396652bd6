import type { Context } from '../context.js';
import { NotLoggedInError } from '../errors.js';
import { expiresWithin, type Session } from '../session/format.js';
import { configFromSession, httpStatusOf, oidc, providerFailure } from './provider.js';
import { getValidSession, type SessionPlace } from './refresh.js';

/** The provider turned the access token away (as opposed to not answering). */
function rejectedToken(error: unknown): boolean {
  return httpStatusOf(error) === 401;
}

async function askUserinfo(ctx: Context, session: Session): Promise<void> {
  if (!session.endpoints.userinfo_endpoint) {
    throw providerFailure(new Error('the provider has no userinfo endpoint'), 'Verifying the session');
  }
  await oidc.fetchUserInfo(configFromSession(ctx, session), session.tokens.accessToken, session.user.sub);
}

/**
 * `whoami --verify`: refreshes when needed, then asks the userinfo endpoint whether the provider still
 * accepts the session. Resolves with the (possibly refreshed) session; NotLoggedInError when the
 * provider does not accept it, AuthError when it cannot be asked.
 */
export async function verifySession(ctx: Context, where: SessionPlace, seen: Session, marginMs: number): Promise<Session> {
  let session = expiresWithin(seen, ctx.now(), marginMs) ? await getValidSession(ctx, where, seen, { marginMs }) : seen;
  const refreshed = session !== seen;
  try {
    await askUserinfo(ctx, session);
    return session;
  } catch (error) {
    if (!rejectedToken(error)) throw providerFailure(error, 'Verifying the session');
  }
  // Our clock said the token was valid but the provider disagrees (revoked, or clocks apart): one
  // refresh settles whether the session itself is still good.
  if (refreshed || !session.tokens.refreshToken) throw rejected(where.profile);
  session = await getValidSession(ctx, where, session, { marginMs, force: true });
  try {
    await askUserinfo(ctx, session);
    return session;
  } catch (error) {
    throw rejectedToken(error) ? rejected(where.profile) : providerFailure(error, 'Verifying the session');
  }
}

function rejected(profile: string): NotLoggedInError {
  return new NotLoggedInError(`The provider no longer accepts the session for profile ${profile}.`, 'Run `mycli login` to log in again.');
}
