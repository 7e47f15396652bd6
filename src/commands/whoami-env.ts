import { identifyAccessToken } from '../auth/env-token.js';
import type { Context } from '../context.js';
import { CliError, NotLoggedInError, UsageError } from '../errors.js';
import { readSession } from '../session/store.js';
import type { Terminal } from '../ui/terminal.js';
import { loadSettings, type Where } from './common.js';
import { identityLines, userOf, type IdentityJson } from './describe.js';

/** Whether a session file exists for the profile, damaged or not: only to say that MYCLI_TOKEN wins over it. */
function hasSession(where: Where): boolean {
  try {
    return readSession(where.configDir, where.profile) !== undefined;
  } catch (error) {
    if (error instanceof CliError) return true;
    throw error;
  }
}

/**
 * `whoami` with MYCLI_TOKEN set: the environment wins over any saved session, and the provider says
 * who the token belongs to (this is the one whoami that uses the network without --verify).
 */
export async function whoamiFromEnvToken(ctx: Context, ui: Terminal, where: Where, flags: { json?: boolean }): Promise<void> {
  const token = ctx.env.MYCLI_TOKEN ?? '';
  const settings = loadSettings(ctx, where, {});
  if (!settings.issuer) {
    throw new UsageError(
      'MYCLI_TOKEN is set, but no issuer is configured to ask who the token belongs to.',
      'Set MYCLI_ISSUER (or MYCLI_DOMAIN), or run `mycli config set issuer URL`.',
    );
  }
  if (hasSession(where)) {
    ui.info(`Note: MYCLI_TOKEN is set, so it is used instead of the saved session of profile ${where.profile}.`);
  }
  let owner;
  try {
    owner = await identifyAccessToken(ctx, settings.issuer, settings.clientId, token);
  } catch (error) {
    if (flags.json && error instanceof NotLoggedInError) ui.data(JSON.stringify({ loggedIn: false, profile: where.profile }));
    throw error;
  }
  const identity: IdentityJson = {
    loggedIn: true,
    profile: where.profile,
    source: 'env',
    issuer: owner.issuer,
    clientId: settings.clientId ?? null,
    user: userOf(owner.user),
    // The token is opaque to mycli: only the provider knows when it expires.
    expiresAt: null,
  };
  if (flags.json) {
    ui.data(JSON.stringify(identity));
    return;
  }
  for (const line of identityLines(identity, 'from MYCLI_TOKEN (expiry not known to mycli)')) ui.data(line);
}
