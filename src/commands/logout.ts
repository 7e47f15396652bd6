import { planBrowser } from '../auth/browser-choice.js';
import { buildLogoutUrl } from '../auth/logout-url.js';
import type { Context } from '../context.js';
import { CliError, InterruptedError } from '../errors.js';
import type { Session } from '../session/format.js';
import { deleteSession, readSession, sessionPath } from '../session/store.js';
import type { SettingFlags } from '../settings.js';
import { createTerminal, type Terminal } from '../ui/terminal.js';
import { loadSettings, resolveWhere, type ProfileFlags, type Where } from './common.js';

export interface LogoutFlags extends ProfileFlags, Pick<SettingFlags, 'returnTo'> {
  /** false with --no-browser */
  browser: boolean;
  /** false with --no-revoke */
  revoke: boolean;
}

/**
 * Deletes the session under the refresh lock, so a refresh running in another process cannot write it
 * back afterwards, and returns the session as it was last (with the current refresh token). Logout
 * must work whatever happens, so without the lock it deletes the file all the same.
 */
async function deleteLocked(ctx: Context, where: Where, read: Session): Promise<Session> {
  const { withSessionLock } = await import('../session/lock.js');
  try {
    return await withSessionLock(ctx, where.configDir, where.profile, async () => {
      const latest = readSession(where.configDir, where.profile) ?? read;
      deleteSession(where.configDir, where.profile);
      return latest;
    });
  } catch (error) {
    if (!(error instanceof CliError) || error instanceof InterruptedError) throw error;
    deleteSession(where.configDir, where.profile);
    return read;
  }
}

/** Best effort (RFC 7009): the local session is gone whatever the provider says. */
async function revoke(ctx: Context, ui: Terminal, session: Session): Promise<void> {
  const { revokeRefreshToken } = await import('../auth/revocation.js');
  try {
    const result = await revokeRefreshToken(ctx, session);
    if (result === 'revoked') ui.success('Revoked the refresh token at the provider.');
    if (result === 'not offered') ui.info('The provider offers no token revocation: the refresh token stays valid until it expires.');
  } catch (error) {
    if (!(error instanceof CliError) || ctx.signal.aborted) throw error;
    ui.warn(`${error.message} The local session is deleted all the same.`);
  }
}

/** Ends the browser session too: hands the provider's logout URL to the browser, or prints it without the token. */
async function endBrowserSession(ctx: Context, ui: Terminal, session: Session, returnTo: string | undefined, noBrowser: boolean): Promise<void> {
  const printable = buildLogoutUrl(session, { returnTo, includeIdTokenHint: false });
  const plan = planBrowser(ctx, noBrowser);
  if (plan.open) {
    try {
      await ctx.openBrowser(buildLogoutUrl(session, { returnTo, includeIdTokenHint: true }).href);
      ui.info('Opened your browser to end the session at the provider.');
      return;
    } catch {
      ui.warn('Could not open a browser.');
    }
  }
  ui.info('To end the browser session at the provider too, open:');
  ui.info(`  ${printable.href}`);
}

/** Deletes the local session first, so logging out works offline and cannot be half done. */
export async function runLogout(ctx: Context, flags: LogoutFlags): Promise<void> {
  const ui = createTerminal(ctx);
  const where = resolveWhere(ctx, flags);
  const { returnTo } = loadSettings(ctx, where, { returnTo: flags.returnTo });
  let session: Session | undefined;
  try {
    session = readSession(where.configDir, where.profile);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    deleteSession(where.configDir, where.profile);
    ui.success(`Removed the damaged session file ${sessionPath(where.configDir, where.profile)}.`);
    return;
  }
  if (!session) {
    ui.info(`Not logged in (profile ${where.profile}); nothing to do.`);
    return;
  }
  session = await deleteLocked(ctx, where, session);
  ui.success(`Logged out of ${session.issuer} (profile ${where.profile}).`);
  if (flags.revoke) await revoke(ctx, ui, session);
  if (session.source === 'session') await endBrowserSession(ctx, ui, session, returnTo, !flags.browser);
}
