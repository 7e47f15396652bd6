import type { Context } from '../context.js';
import { NotLoggedInError } from '../errors.js';
import { expiresAtMs } from '../session/format.js';
import { readSession } from '../session/store.js';
import { createTerminal } from '../ui/terminal.js';
import { resolveWhere, type ProfileFlags } from './common.js';
import { identityLines, identityOf, relativeTime } from './describe.js';

export interface WhoamiFlags extends ProfileFlags {
  json?: boolean;
}

/** Reads the session file only: no network, no conf, no protocol library (unless MYCLI_TOKEN is set). */
export async function runWhoami(ctx: Context, flags: WhoamiFlags): Promise<void> {
  const ui = createTerminal(ctx, { json: flags.json });
  const where = resolveWhere(ctx, flags);
  if (ctx.env.MYCLI_TOKEN) {
    const { whoamiFromEnvToken } = await import('./whoami-env.js');
    return whoamiFromEnvToken(ctx, ui, where, flags);
  }
  let session;
  try {
    session = readSession(where.configDir, where.profile);
  } catch (error) {
    if (flags.json) ui.data(JSON.stringify({ loggedIn: false, profile: where.profile }));
    throw error;
  }
  if (!session) {
    if (flags.json) ui.data(JSON.stringify({ loggedIn: false, profile: where.profile }));
    throw new NotLoggedInError(`Not logged in (profile ${where.profile}).`);
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
