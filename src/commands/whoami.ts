import type { Context } from '../context.js';
import { NotLoggedInError } from '../errors.js';
import { expiresAtMs, type Session } from '../session/format.js';
import { readSession } from '../session/store.js';
import { createTerminal, type Terminal } from '../ui/terminal.js';
import { resolveWhere, type ProfileFlags, type Where } from './common.js';
import { identityLines, identityOf, relativeTime } from './describe.js';
import { EXPIRY_MARGIN_MS } from './token.js';

export interface WhoamiFlags extends ProfileFlags {
  json?: boolean;
  /** Ask the provider (refreshing first when needed) whether it still accepts the session. */
  verify?: boolean;
}

/** The session, checked with the provider under --verify; exit 4 (and loggedIn:false) when there is none. */
async function loadSession(ctx: Context, ui: Terminal, flags: WhoamiFlags, where: Where): Promise<Session> {
  const session = readSession(where.configDir, where.profile);
  if (!session) throw new NotLoggedInError(`Not logged in (profile ${where.profile}).`);
  if (!flags.verify) return session;
  const { verifySession } = await import('../auth/verify.js');
  const verified = await verifySession(ctx, where, session, EXPIRY_MARGIN_MS);
  ui.success('The provider accepts this session.');
  return verified;
}

/** Reads the session file only (no network, no file writer, no protocol library) unless --verify or MYCLI_TOKEN. */
export async function runWhoami(ctx: Context, flags: WhoamiFlags): Promise<void> {
  const ui = createTerminal(ctx, { json: flags.json });
  const where = resolveWhere(ctx, flags);
  if (ctx.env.MYCLI_TOKEN) {
    const { whoamiFromEnvToken } = await import('./whoami-env.js');
    return whoamiFromEnvToken(ctx, ui, where, flags);
  }
  let session: Session;
  try {
    session = await loadSession(ctx, ui, flags, where);
  } catch (error) {
    if (flags.json && error instanceof NotLoggedInError) ui.data(JSON.stringify({ loggedIn: false, profile: where.profile }));
    throw error;
  }
  const identity = identityOf(session, where.profile);
  if (flags.json) {
    ui.data(JSON.stringify(identity));
    return;
  }
  const expires = expiresAtMs(session);
  const token = expires === undefined
    ? 'no expiry given'
    : `${expires > ctx.now() ? 'expires' : 'expired'} ${new Date(expires).toISOString()} (${relativeTime(expires, ctx.now())})`;
  for (const line of identityLines(identity, token)) ui.data(line);
}
