import type { Context } from '../context.js';
import { NotLoggedInError, UsageError } from '../errors.js';
import { expiresWithin } from '../session/format.js';
import { readSession } from '../session/store.js';
import { createTerminal, type Terminal } from '../ui/terminal.js';
import { resolveWhere, type ProfileFlags } from './common.js';

export interface TokenFlags extends ProfileFlags {
  json?: boolean;
}

/** A token this close to expiry is treated as expired: it could lapse before the caller uses it. */
export const EXPIRY_MARGIN_MS = 60_000;

function printToken(ui: Terminal, json: boolean | undefined, accessToken: string, expiresAt: string | undefined): void {
  if (json) ui.data(JSON.stringify({ accessToken, expiresAt: expiresAt ?? null }));
  else ui.data(accessToken);
}

/**
 * Prints a valid access token on stdout and nothing else. A token that is still valid is printed
 * straight from the file (no network, no protocol library); otherwise the refresh module is loaded.
 */
export async function runToken(ctx: Context, flags: TokenFlags): Promise<void> {
  const ui = createTerminal(ctx, { json: flags.json });
  const where = resolveWhere(ctx, flags);
  const override = ctx.env.MYCLI_TOKEN?.trim();
  if (override) {
    // CI hands mycli a token: print it as it is and touch no file.
    if (/[\s\u0000-\u001f\u007f]/.test(override)) throw new UsageError('MYCLI_TOKEN must be a single access token (no spaces or line breaks).');
    return printToken(ui, flags.json, override, undefined);
  }
  let session = readSession(where.configDir, where.profile);
  if (!session) throw new NotLoggedInError(`Not logged in (profile ${where.profile}).`);
  if (expiresWithin(session, ctx.now(), EXPIRY_MARGIN_MS)) {
    const { getValidSession } = await import('../auth/refresh.js');
    session = await getValidSession(ctx, where, session, { marginMs: EXPIRY_MARGIN_MS });
  }
  printToken(ui, flags.json, session.tokens.accessToken, session.tokens.expiresAt);
}
