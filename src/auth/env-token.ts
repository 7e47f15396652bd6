import type { Context } from '../context.js';
import { AuthError, NotLoggedInError } from '../errors.js';
import type { SessionUser } from '../session/format.js';
import { discover, httpStatusOf, oidc, providerFailure } from './provider.js';

/** openid-client needs a client id to build a configuration; the userinfo request never sends it. */
const ANY_CLIENT = 'mycli';

/**
 * Who an access token from MYCLI_TOKEN belongs to, asked at the issuer's userinfo endpoint. A token
 * the provider refuses (401/403) is "not logged in" (exit 4); anything else that fails is exit 1.
 */
export async function identifyAccessToken(ctx: Context, issuer: string, clientId: string | undefined, token: string): Promise<{ issuer: string; user: SessionUser }> {
  const config = await discover(ctx, issuer, clientId ?? ANY_CLIENT);
  if (!config.serverMetadata().userinfo_endpoint) {
    throw new AuthError(`The provider ${issuer} has no userinfo endpoint, so mycli cannot tell who MYCLI_TOKEN belongs to.`);
  }
  try {
    const user = await oidc.fetchUserInfo(config, token, oidc.skipSubjectCheck);
    return { issuer: config.serverMetadata().issuer, user: user as SessionUser };
  } catch (error) {
    const status = httpStatusOf(error);
    if (status === 401 || status === 403) {
      throw new NotLoggedInError(
        `The provider rejected the access token in MYCLI_TOKEN (HTTP ${status}): it is invalid, expired, or for another issuer.`,
        'Set MYCLI_TOKEN to a valid access token, or unset it to use the saved session.',
      );
    }
    throw providerFailure(error, 'Asking the provider who MYCLI_TOKEN belongs to');
  }
}
