import type { Context } from '../context.js';
import { AuthError, UsageError } from '../errors.js';
import type { Terminal } from '../ui/terminal.js';
import { sanitizeForTerminal } from '../ui/text.js';
import type { BrowserPlan } from './browser-choice.js';
import { fetchUser, openWithWarning, type LoginResult } from './browser-login.js';
import { oidc, providerFailure } from './provider.js';
import { waitAtMost } from './wait.js';

export interface DeviceLoginOptions {
  scope: string;
  audience: string | undefined;
  browser: BrowserPlan;
  /** --timeout when given: stops waiting earlier than the code's own expiry. */
  timeoutSeconds: number | undefined;
}

/**
 * How long after the code's expires_in mycli still polls: the provider's own `expired_token` answer
 * normally ends the wait first; this stops a provider that would keep answering authorization_pending.
 */
const EXPIRY_GRACE_SECONDS = 10;

const expired = () => new AuthError('The code expired before the login was approved.', 'Run `mycli login --device` again and enter the new code in time.');

type DeviceResponse = Awaited<ReturnType<typeof oidc.initiateDeviceAuthorization>>;

/** The URL and code, set apart so they stand out, with a warning against codes sent by someone else. */
function showCode(ui: Terminal, device: DeviceResponse): void {
  ui.info('');
  ui.info('To log in, open this page in a browser on any device:');
  ui.info(`    ${ui.bold(sanitizeForTerminal(device.verification_uri))}`);
  ui.info(`and enter the code:  ${ui.bold(sanitizeForTerminal(device.user_code))}`);
  ui.info('');
  ui.info(ui.dim('The code lets mycli on THIS machine act as you. Enter it only if you started this login yourself.'));
}

/** Polls until the person approves, denies, the code expires, --timeout passes, or Ctrl-C. */
async function pollForTokens(ctx: Context, config: oidc.Configuration, device: DeviceResponse, timeoutSeconds: number | undefined): Promise<LoginResult['tokens']> {
  const expirySeconds = device.expires_in + EXPIRY_GRACE_SECONDS;
  const limitSeconds = timeoutSeconds === undefined ? expirySeconds : Math.min(timeoutSeconds, expirySeconds);
  const stopPolling = new AbortController();
  // openid-client waits out `interval` (and adds 5 s on each slow_down) before every poll.
  const polling = oidc.pollDeviceAuthorizationGrant(config, device, undefined, { signal: stopPolling.signal });
  polling.catch(() => {}); // a poll still running when the wait ends must not reject unobserved
  const timedOut = timeoutSeconds !== undefined && timeoutSeconds < expirySeconds;
  try {
    return await waitAtMost(ctx, polling, limitSeconds, () => timedOut
      ? new AuthError(`Timed out after ${timeoutSeconds} seconds waiting for the code to be entered.`, 'Run `mycli login --device` again, or pass --timeout SECONDS for more time.')
      : expired());
  } catch (error) {
    if (error instanceof oidc.ResponseBodyError && error.error === 'expired_token') throw expired();
    if (error instanceof oidc.ResponseBodyError && error.error === 'access_denied') {
      throw new AuthError('The login was denied in the browser.', 'Run `mycli login --device` again if that was a mistake.');
    }
    throw providerFailure(error, 'Logging in');
  } finally {
    stopPolling.abort();
  }
}

/**
 * Device Authorization Grant (RFC 8628) for machines whose browser cannot reach the loopback: the
 * person approves on any device, and this machine polls the token endpoint.
 */
export async function deviceLogin(ctx: Context, ui: Terminal, config: oidc.Configuration, options: DeviceLoginOptions): Promise<LoginResult> {
  const server = config.serverMetadata();
  if (!server.device_authorization_endpoint) {
    throw new UsageError(
      `The provider ${server.issuer} offers no device authorization endpoint, so \`mycli login --device\` cannot be used with it.`,
      'Use `mycli login` (add --no-browser to open the URL yourself), or turn on the Device Code grant for this application at the provider.',
    );
  }
  const parameters: Record<string, string> = { scope: options.scope };
  if (options.audience) parameters.audience = options.audience;
  let device: DeviceResponse;
  try {
    device = await oidc.initiateDeviceAuthorization(config, parameters);
  } catch (error) {
    throw providerFailure(error, 'Starting the device login');
  }

  showCode(ui, device);
  if (options.browser.open) {
    // The page with the code filled in; the person still checks it matches the one shown here.
    openWithWarning(ctx, ui, device.verification_uri_complete ?? device.verification_uri, 'Open the page above yourself; mycli keeps waiting.');
  }
  const minutes = Math.max(1, Math.round(device.expires_in / 60));
  const spinner = await ui.spinner(`Waiting for the code to be entered (it expires in ${minutes} minute${minutes === 1 ? '' : 's'})… Press Ctrl-C to cancel.`);
  let tokens: LoginResult['tokens'];
  try {
    tokens = await pollForTokens(ctx, config, device, options.timeoutSeconds);
  } finally {
    spinner.stop();
  }
  return { tokens, user: await fetchUser(config, tokens) };
}
