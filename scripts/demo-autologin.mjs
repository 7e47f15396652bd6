// The demo's stand-in for a browser when MYCLI_DEMO_AUTOLOGIN=1: mycli runs `$BROWSER <url>`,
// and this signs in as 'demo' (or follows a logout URL) over plain HTTP.
import { register } from 'tsx/esm/api';

register();
const { completeLogin, followLogout } = await import('../test/support/login-driver.ts');

const url = process.argv.at(-1) ?? '';
try {
  if (new URL(url).searchParams.has('response_type')) {
    const result = await completeLogin(url, { login: 'demo' });
    // Not the callback URL itself: it carries the authorization code.
    console.error(`[demo browser] signed in as "demo"; mycli's page answered HTTP ${result.status}`);
  } else {
    const landedAt = await followLogout(url);
    console.error(`[demo browser] logged out at the provider, which sent the browser to ${landedAt}`);
  }
} catch (error) {
  console.error(`[demo browser] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
