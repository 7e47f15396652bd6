import { planBrowser } from '../auth/browser-choice.js';
import { browserLogin, type LoginResult } from '../auth/browser-login.js';
import { deviceLogin } from '../auth/device-login.js';
import { discover } from '../auth/provider.js';
import { buildSession } from '../auth/session-builder.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import type { SessionUser } from '../session/format.js';
import { saveSession } from '../session/store.js';
import { DEFAULT_TIMEOUT_SECONDS, requireProvider, validateTimeout, type SettingFlags } from '../settings.js';
import { createTerminal } from '../ui/terminal.js';
import { sanitizeForTerminal } from '../ui/text.js';
import { loadSettings, resolveWhere, type ProfileFlags } from './common.js';
import { displayName, identityOf } from './describe.js';

export interface LoginFlags extends SettingFlags, ProfileFlags {
  /** false with --no-browser */
  browser: boolean;
  timeout?: string;
  json?: boolean;
  device?: boolean;
}

export async function runLogin(ctx: Context, flags: LoginFlags): Promise<void> {
  const ui = createTerminal(ctx, { json: flags.json });
  const where = resolveWhere(ctx, flags);
  const settings = loadSettings(ctx, where, flags);
  const timeoutSeconds = flags.timeout === undefined ? undefined : validateTimeout(flags.timeout);
  if (ctx.env.CI && flags.browser && !flags.device) {
    throw new UsageError(
      'mycli login cannot open a browser under CI (CI is set).',
      'Use `mycli login --client-credentials` with MYCLI_CLIENT_SECRET, set MYCLI_TOKEN, or pass --device or --no-browser explicitly.',
    );
  }
  const { issuer, clientId } = requireProvider(settings);

  const config = await discover(ctx, issuer, clientId);
  const browser = planBrowser(ctx, !flags.browser);
  let result: LoginResult;
  if (flags.device) {
    result = await deviceLogin(ctx, ui, config, { scope: settings.scope, audience: settings.audience, browser, timeoutSeconds });
  } else {
    result = await browserLogin(ctx, ui, config, {
      port: settings.port,
      scope: settings.scope,
      audience: settings.audience,
      timeoutSeconds: timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      browser,
      // Only a person at a terminal can paste; under CI nothing ever prompts.
      paste: ctx.io.stdinIsTTY && !ctx.env.CI,
    });
  }
  const { tokens, user } = result;
  const session = buildSession({
    config,
    clientId,
    audience: settings.audience,
    source: 'session',
    tokens,
    user: user as SessionUser,
    now: ctx.now(),
  });
  await saveSession(where.configDir, where.profile, session);
  ui.success(`Logged in as ${sanitizeForTerminal(displayName(session.user))}`);
  if (flags.json) ui.data(JSON.stringify(identityOf(session, where.profile)));
}
