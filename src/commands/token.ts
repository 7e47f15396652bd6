import type { Context } from '../context.js';
import { NotLoggedInError } from '../errors.js';
import { expiresAtMs, type Session } from '../session/format.js';
import { readSession } from '../session/store.js';
import { createTerminal } from '../ui/terminal.js';
import { resolveWhere, type ProfileFlags } from './common.js';

export interface TokenFlags extends ProfileFlags {
  json?: boolean;
}

/** A token this close to expiry is treated as expired: it could lapse before the caller uses it. */
export const EXPIRY_MARGIN_MS = 60_000;

function isExpiring(session: Session, now: number): boolean {
  const expires = expiresAtMs(session);
  return expires !== undefined && expires - EXPIRY_MARGIN_MS <= now;
}

/** Prints the access token on stdout and nothing else. */
export async function runToken(ctx: Context, flags: TokenFlags): Promise<void> {
  const ui = createTerminal(ctx, { json: flags.json });
  const where = resolveWhere(ctx, flags);
  let session = readSession(where.configDir, where.profile);
  if (!session) throw new NotLoggedInError(`Not logged in (profile ${where.profile}).`);
  if (session.source === 'client-credentials' && isExpiring(session, ctx.now())) {
    // No refresh token here: mint a new one from MYCLI_CLIENT_SECRET (loaded only on this path).
    const { remintClientToken } = await import('../auth/client-credentials.js');
    session = await remintClientToken(ctx, where, session);
  } else if (isExpiring(session, ctx.now())) {
    throw new NotLoggedInError(`The access token for profile ${where.profile} has expired.`);
  }
  if (flags.json) {
    ui.data(JSON.stringify({ accessToken: session.tokens.accessToken, expiresAt: session.tokens.expiresAt ?? null }));
  } else {
    ui.data(session.tokens.accessToken);
  }
}
