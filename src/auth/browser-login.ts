import type { Context } from '../context.js';
import { AuthError } from '../errors.js';
import { sanitizeForTerminal } from '../ui/text.js';
import { formatElapsed, type Terminal } from '../ui/terminal.js';
import type { BrowserPlan } from './browser-choice.js';
import type { CallbackOutcome } from './callback-check.js';
import { startCallbackServer, type CallbackServer } from './callback-server.js';
import { acceptPastedCallbacks } from './paste-callback.js';
import { endpointName, oidc, providerFailure } from './provider.js';
import { renderResultPage } from './result-page.js';
import { waitAtMost } from './wait.js';

export interface BrowserLoginOptions {
  port: number;
  scope: string;
  audience: string | undefined;
  timeoutSeconds: number;
  browser: BrowserPlan;
  /** Saves what the login got; runs before the result page is shown, and its failure fails the login. */
  complete: (result: LoginResult) => Promise<void>;
  /** Also accept the callback URL pasted into the terminal (stdin is a TTY and nothing forbids prompting). */
  paste: boolean;
}

export interface LoginResult {
  tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
  user: oidc.UserInfoResponse;
}

/** Waits for the callback, Ctrl-C or the timeout, whichever comes first. */
function waitForCallback(ctx: Context, server: CallbackServer, timeoutSeconds: number): Promise<CallbackOutcome> {
  return waitAtMost(ctx, server.callback, timeoutSeconds, () => new AuthError(
    `Timed out after ${timeoutSeconds} seconds waiting for the login to finish in the browser.`,
    'Run `mycli login` again, or pass --timeout SECONDS for more time.',
  ));
}

const RETRY_HINT = 'Run `mycli login` again; if it keeps failing, check the application settings at your provider.';

const HEADLESS_TIP = 'No browser can be opened here. Open the URL above in a browser on any machine; if it cannot reach this one, use `mycli login --device`.';

function showAuthorizationUrl(ctx: Context, ui: Terminal, url: URL, plan: BrowserPlan): void {
  ui.info('Open this URL in your browser to log in:');
  ui.info(`  ${url.href}`);
  if (!plan.open) {
    if (plan.reason === 'headless') ui.info(HEADLESS_TIP);
    return;
  }
  // Not awaited: the listener is already up, and a browser that fails only costs a warning.
  openWithWarning(ctx, ui, url.href, 'Open the URL above yourself; mycli keeps waiting.');
}

/** Hands the URL to the browser; if that fails, says so and carries on. */
export function openWithWarning(ctx: Context, ui: Terminal, url: string, advice: string): void {
  ctx.openBrowser(url).catch(() => ui.warn(`Could not open a browser${ctx.env.BROWSER?.trim() ? ' with the BROWSER command' : ''}. ${advice}`));
}

/** Where the paste fallback is on, how to use it: printed once, above the spinner. */
function pasteInstructions(ui: Terminal, server: CallbackServer): void {
  ui.info(`If your browser runs on another machine, its last page (${server.redirectUri}?…) will not load:`);
  ui.info('copy that address from its address bar, paste it here and press Enter.');
}

/** Waits for the callback with a spinner on a terminal, and takes a pasted callback URL where that is on. */
async function waitWithUi(ctx: Context, ui: Terminal, server: CallbackServer, options: BrowserLoginOptions): Promise<CallbackOutcome> {
  if (options.paste) pasteInstructions(ui, server);
  const started = ctx.now();
  const spinner = await ui.spinner('Waiting for you to log in in the browser… Press Ctrl-C to cancel.');
  const tick = setInterval(() => {
    spinner.update(`Waiting for you to log in in the browser… (${formatElapsed(ctx.now() - started)}) Press Ctrl-C to cancel.`);
  }, 1000);
  const paste = options.paste ? acceptPastedCallbacks(ctx, ui, server, spinner) : undefined;
  try {
    return await waitForCallback(ctx, server, options.timeoutSeconds);
  } finally {
    clearInterval(tick);
    spinner.stop();
    paste?.stop();
  }
}

/** Authorization Code + PKCE (S256) + state + nonce through a one-shot loopback listener. */
export async function browserLogin(ctx: Context, ui: Terminal, config: oidc.Configuration, options: BrowserLoginOptions): Promise<LoginResult> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const issuer = config.serverMetadata().issuer;
  const server = await startCallbackServer({ port: options.port, expectedState: state, expectedIssuer: issuer });
  try {
    const parameters: Record<string, string> = {
      redirect_uri: server.redirectUri,
      scope: options.scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    };
    if (options.audience) parameters.audience = options.audience;
    const url = oidc.buildAuthorizationUrl(config, parameters);
    showAuthorizationUrl(ctx, ui, url, options.browser);
    const outcome = await waitWithUi(ctx, ui, server, options);

    if (outcome.type === 'error') {
      // Both come from the callback URL, which anyone can craft: no control characters, on the page or in the terminal.
      const error = sanitizeForTerminal(outcome.error);
      const description = outcome.description ? sanitizeForTerminal(outcome.description) : undefined;
      await server.finish(renderResultPage({ ok: false, error, description, nextStep: 'Return to your terminal and run `mycli login` again.' }));
      throw new AuthError(
        `The provider refused the login: ${error}${description ? ` (${description})` : ''}.`,
        RETRY_HINT,
      );
    }

    try {
      const tokens = await oidc.authorizationCodeGrant(
        config,
        outcome.url,
        { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: options.scope.split(' ').includes('openid') },
        { redirect_uri: server.redirectUri },
      );
      const user = await fetchUser(config, tokens);
      // The session is saved before the browser says "logged in", so the page never claims a login
      // that the terminal then reports as failed.
      await options.complete({ tokens, user });
      await server.finish(renderResultPage({ ok: true, name: stringClaim(user.name), email: stringClaim(user.email) }));
      return { tokens, user };
    } catch (error) {
      const failure = providerFailure(error, `The token request to ${endpointName(config.serverMetadata().token_endpoint)}`);
      await server.finish(renderResultPage({ ok: false, error: 'login_failed', description: failure.message, nextStep: 'Return to your terminal for details, then run `mycli login` again.' }));
      throw failure instanceof AuthError && !failure.hint ? new AuthError(failure.message, RETRY_HINT) : failure;
    }
  } finally {
    await server.close();
  }
}

function stringClaim(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Userinfo, checked against the ID token's subject; without a userinfo endpoint, the ID token's claims. */
export async function fetchUser(config: oidc.Configuration, tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers): Promise<oidc.UserInfoResponse> {
  const claims = tokens.claims();
  if (!config.serverMetadata().userinfo_endpoint) {
    if (!claims) throw new AuthError('The provider has no userinfo endpoint and returned no ID token, so mycli cannot tell who logged in.');
    return { ...claims, sub: claims.sub };
  }
  try {
    return await oidc.fetchUserInfo(config, tokens.access_token, claims?.sub ?? oidc.skipSubjectCheck);
  } catch (error) {
    throw providerFailure(error, `The userinfo request to ${endpointName(config.serverMetadata().userinfo_endpoint)}`);
  }
}
