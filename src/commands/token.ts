import type { Context } from '../context.js';
import { NotLoggedInError } from '../errors.js';
import { expiresAtMs } from '../session/format.js';
import { readSession } from '../session/store.js';
import { createTerminal } from '../ui/terminal.js';
import { resolveWhere, type ProfileFlags } from './common.js';

export interface TokenFlags extends ProfileFlags {
  json?: boolean;
}

/** A token this close to expiry is treated as expired: it could lapse before the caller uses it. */
export const EXPIRY_MARGIN_MS = 60_000;

/** Prints the access token on stdout and nothing else. */
export async function runToken(ctx: Context, flags: TokenFlags): Promise<void> {
  const ui = createTerminal(ctx, { json: flags.json });
  const where = resolveWhere(ctx, flags);
  const session = readSession(where.configDir, where.profile);
  if (!session) throw new NotLoggedInError(`Not logged in (profile ${where.profile}).`);
  const expires = expiresAtMs(session);
  if (expires !== undefined && expires - EXPIRY_MARGIN_MS <= ctx.now()) {
    throw new NotLoggedInError(`The access token for profile ${where.profile} has expired.`);
  }
  if (flags.json) {
    ui.data(JSON.stringify({ accessToken: session.tokens.accessToken, expiresAt: session.tokens.expiresAt ?? null }));
  } else {
    ui.data(session.tokens.accessToken);
  }
}
