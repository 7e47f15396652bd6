import type { Context } from '../context.js';
import { NotLoggedInError } from '../errors.js';
import { expiresAtMs } from '../session/format.js';
import { readSession } from '../session/store.js';
import { createTerminal } from '../ui/terminal.js';
import { sanitizeForTerminal } from '../ui/text.js';
import { resolveWhere, type ProfileFlags } from './common.js';
import { displayName, identityOf, relativeTime } from './describe.js';

export interface WhoamiFlags extends ProfileFlags {
  json?: boolean;
}

/** Reads the session file only: no network, no file writer, no protocol library. */
export async function runWhoami(ctx: Context, flags: WhoamiFlags): Promise<void> {
  const ui = createTerminal(ctx, { json: flags.json });
  const where = resolveWhere(ctx, flags);
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
  const { user } = identity;
  const expires = expiresAtMs(session);
  const rows: Array<[string, string | undefined]> = [
    ['Name', user.name],
    ['Email', user.email],
    ['Subject', user.sub],
    ['Issuer', identity.issuer],
    ['Client', identity.clientId],
    ['Profile', identity.profile],
    [
      'Token',
      expires === undefined
        ? 'no expiry given'
        : `${expires > ctx.now() ? 'expires' : 'expired'} ${new Date(expires).toISOString()} (${relativeTime(expires, ctx.now())})`,
    ],
  ];
  ui.data(`Logged in as ${sanitizeForTerminal(displayName(user))}`);
  for (const [label, value] of rows) {
    if (value !== undefined) ui.data(`  ${`${label}:`.padEnd(9)}${sanitizeForTerminal(value)}`);
  }
}
