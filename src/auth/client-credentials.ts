import type { Context } from '../context.js';
import { NotLoggedInError, UsageError } from '../errors.js';
import type { Session, SessionUser } from '../session/format.js';
import { configFromSession, discover, oidc, providerFailure } from './provider.js';
import { buildSession } from './session-builder.js';

/**
 * The client secret, from MYCLI_CLIENT_SECRET only: a flag would put it in argv, which other users of
 * the machine can read (ps, /proc). It is handed to openid-client and never written anywhere.
 */
export function clientSecretFrom(env: Context['env']): string {
  const secret = env.MYCLI_CLIENT_SECRET;
  if (!secret) {
    throw new UsageError(
      'MYCLI_CLIENT_SECRET is not set: `mycli login --client-credentials` needs the client secret in the environment.',
      'In CI, set MYCLI_CLIENT_SECRET from the secret store (and MYCLI_CLIENT_ID to the client it belongs to).',
    );
  }
  return secret;
}

/** The session's identity is the client itself: there is no person and no userinfo. */
function clientIdentity(clientId: string): SessionUser {
  return { sub: clientId };
}

/** One Client Credentials grant, as a session; `user` is the client. */
async function mintSession(ctx: Context, config: oidc.Configuration, clientId: string, audience: string | undefined, scope: string | undefined, user: SessionUser): Promise<Session> {
  const parameters: Record<string, string> = {};
  if (audience) parameters.audience = audience;
  if (scope) parameters.scope = scope;
  const tokens = await oidc.clientCredentialsGrant(config, parameters);
  return buildSession({ config, clientId, audience, source: 'client-credentials', tokens, user, now: ctx.now() });
}

export interface ClientCredentialsOptions {
  issuer: string;
  clientId: string;
  audience: string | undefined;
  /** Sent only when given: the people's default (openid profile email offline_access) means nothing here. */
  scope: string | undefined;
}

/** `mycli login --client-credentials`: one Client Credentials grant, saved as a session of source client-credentials. */
export async function clientCredentialsLogin(ctx: Context, options: ClientCredentialsOptions): Promise<Session> {
  const secret = clientSecretFrom(ctx.env);
  const config = await discover(ctx, options.issuer, options.clientId, secret);
  try {
    return await mintSession(ctx, config, options.clientId, options.audience, options.scope, clientIdentity(options.clientId));
  } catch (error) {
    throw providerFailure(error, 'Logging in with client credentials');
  }
}

/**
 * A client-credentials session has no refresh token: when its token expires it is minted again from
 * MYCLI_CLIENT_SECRET with the saved endpoints (no rediscovery). Called by getValidSession(), which
 * holds the session lock and saves the result.
 */
export async function renewClientSession(ctx: Context, session: Session, profile: string): Promise<Session> {
  const secret = ctx.env.MYCLI_CLIENT_SECRET;
  if (!secret) {
    throw new NotLoggedInError(
      `The client-credentials token of profile ${profile} has expired, and MYCLI_CLIENT_SECRET is not set to get a new one.`,
      `Set MYCLI_CLIENT_SECRET to the secret of client ${session.clientId}, or run \`mycli login --client-credentials\` again.`,
    );
  }
  const config = configFromSession(ctx, session, secret);
  try {
    return await mintSession(ctx, config, session.clientId, session.audience, session.tokens.scope, session.user);
  } catch (error) {
    const failure = providerFailure(error, 'Getting a new client-credentials token');
    // The provider said no (a rotated secret, a deleted client): this session cannot be renewed.
    if (error instanceof oidc.ResponseBodyError) throw new NotLoggedInError(failure.message, 'Check MYCLI_CLIENT_SECRET and MYCLI_CLIENT_ID, then run `mycli login --client-credentials`.');
    throw failure;
  }
}
