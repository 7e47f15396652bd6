import type { Context } from '../context.js';
import type { Session } from '../session/format.js';
import { configFromSession, oidc, providerFailure } from './provider.js';

/** Logout must not hang on a provider that does not answer: revocation is best effort. */
const REVOCATION_TIMEOUT_SECONDS = 10;

export type RevocationResult = 'revoked' | 'nothing to revoke' | 'not offered';

/**
 * Revokes the session's refresh token (RFC 7009) at the revocation_endpoint saved in the session at
 * login, so no rediscovery is needed. Providers revoke the grant with it, so copies of the session
 * elsewhere stop working too. Throws a CliError with one safe line when the provider cannot be asked.
 */
export async function revokeRefreshToken(ctx: Context, session: Session): Promise<RevocationResult> {
  const refreshToken = session.tokens.refreshToken;
  if (!refreshToken) return 'nothing to revoke';
  if (!session.endpoints.revocation_endpoint) return 'not offered';
  const config = configFromSession(ctx, session);
  config.timeout = REVOCATION_TIMEOUT_SECONDS;
  try {
    await oidc.tokenRevocation(config, refreshToken, { token_type_hint: 'refresh_token' });
  } catch (error) {
    throw providerFailure(error, 'Revoking the refresh token');
  }
  return 'revoked';
}
