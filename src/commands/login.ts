import { planBrowser } from '../auth/browser-choice.js';
import { browserLogin, type LoginResult } from '../auth/browser-login.js';
import { clientCredentialsLogin, clientSecretFrom } from '../auth/client-credentials.js';
import { deviceLogin } from '../auth/device-login.js';
import { discover } from '../auth/provider.js';
import { buildSession } from '../auth/session-builder.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import type { Session, SessionUser } from '../session/format.js';
import { saveSession } from '../session/store.js';
import { DEFAULT_SCOPE, DEFAULT_TIMEOUT_SECONDS, requireProvider, validateTimeout, type SettingFlags, type Settings } from '../settings.js';
import { createTerminal, type Terminal } from '../ui/terminal.js';
import { sanitizeForTerminal } from '../ui/text.js';
import { loadSettings, resolveWhere, type ProfileFlags } from './common.js';
import { headline, identityOf } from './describe.js';

export interface LoginFlags extends SettingFlags, ProfileFlags {
  /** false with --no-browser */
  browser: boolean;
  timeout?: string;
  json?: boolean;
  device?: boolean;
  clientCredentials?: boolean;
  /** Only so that it can be refused with a hint: a secret in argv is visible to other users. */
  clientSecret?: string | boolean;
}

/** Combinations that cannot work, found before any network request. */
function checkMode(ctx: Context, flags: LoginFlags): void {
  if (flags.clientSecret !== undefined) {
    throw new UsageError(
      '--client-secret is not accepted: command-line arguments are visible to other users of this machine.',
      'Set MYCLI_CLIENT_SECRET in the environment instead, then run `mycli login --client-credentials`.',
    );
  }
  if (flags.device && flags.clientCredentials) throw new UsageError('Choose one of --device and --client-credentials.');
  if (flags.clientCredentials) clientSecretFrom(ctx.env);
  if (ctx.env.CI && flags.browser && !flags.device && !flags.clientCredentials) {
    throw new UsageError(
      'mycli login cannot open a browser under CI (CI is set).',
      'Use `mycli login --client-credentials` with MYCLI_CLIENT_SECRET, set MYCLI_TOKEN, or pass --device or --no-browser explicitly.',
    );
  }
}

/** A person logs in, in a browser here or through a code entered on any device: a session of the user. */
async function personLogin(
  ctx: Context,
  ui: Terminal,
  flags: LoginFlags,
  settings: Settings,
  timeoutSeconds: number | undefined,
  save: (session: Session) => Promise<void>,
): Promise<Session> {
  const { issuer, clientId } = requireProvider(settings); // already checked before any request
  const config = await discover(ctx, issuer, clientId);
  const browser = planBrowser(ctx, !flags.browser);
  const toSession = ({ tokens, user }: LoginResult): Session =>
    buildSession({ config, clientId, audience: settings.audience, source: 'session', tokens, user: user as SessionUser, now: ctx.now() });
  if (flags.device) {
    const session = toSession(await deviceLogin(ctx, ui, config, { scope: settings.scope, audience: settings.audience, browser, timeoutSeconds }));
    await save(session);
    return session;
  }
  let session: Session | undefined;
  await browserLogin(ctx, ui, config, {
    port: settings.port,
    scope: settings.scope,
    audience: settings.audience,
    timeoutSeconds: timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    browser,
    // Saved before the browser shows "logged in".
    complete: async (result) => {
      session = toSession(result);
      await save(session);
    },
    // Only a person at a terminal can paste; under CI nothing ever prompts.
    paste: ctx.io.stdinIsTTY && !ctx.env.CI,
  });
  return session!;
}

export async function runLogin(ctx: Context, flags: LoginFlags): Promise<void> {
  const ui = createTerminal(ctx, { json: flags.json });
  const where = resolveWhere(ctx, flags);
  const settings = loadSettings(ctx, where, flags);
  const timeoutSeconds = flags.timeout === undefined ? undefined : validateTimeout(flags.timeout);
  checkMode(ctx, flags);
  const { issuer, clientId } = requireProvider(settings);
  const save = (session: Session) => saveSession(where.configDir, where.profile, session);

  let session: Session;
  if (flags.clientCredentials) {
    // The people's default scopes mean nothing to a client acting as itself: send only a chosen one.
    const scope = settings.scope === DEFAULT_SCOPE ? undefined : settings.scope;
    session = await clientCredentialsLogin(ctx, { issuer, clientId, audience: settings.audience, scope });
    await save(session);
  } else {
    session = await personLogin(ctx, ui, flags, settings, timeoutSeconds, save);
  }
  const identity = identityOf(session, where.profile);
  ui.success(sanitizeForTerminal(headline(identity)));
  if (flags.json) ui.data(JSON.stringify(identity));
}
