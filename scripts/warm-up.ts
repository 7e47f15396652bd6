// Run by scripts/build.mjs once the bundles are built: makes V8's code caches (dist/cli.cache,
// dist/lazy.cache) by running mycli itself with MYCLI_WRITE_CODE_CACHE=1, so that bin/mycli.js saves,
// on exit, the code cache of each bundle the run loaded. A cache holds what V8 compiled during the run,
// so the runs are the ones users wait for: a real login against a local oidc-provider (the same test
// provider npm run bench uses) for dist/lazy.cache, then `mycli whoami` for dist/cli.cache, last, so
// the start-up bundle's cache comes from the hot path itself.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { completeLogin, waitForUrl } from '../test/support/login-driver.ts';
import { startTestProvider } from '../test/support/provider.ts';

const bin = fileURLToPath(new URL('../bin/mycli.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'mycli-warm-up-'));
// The environment of a plain interactive login: no CI (which refuses a browser login), no BROWSER, no
// proxy (the provider is local, and the common path is the one to cache), no settings of the person
// running the build.
const dropped = /^(MYCLI_.*|CI|BROWSER|DISPLAY|WAYLAND_DISPLAY|NO_COLOR|NODE_OPTIONS|(HTTPS?|NO|ALL)_PROXY)$/i;
const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !dropped.test(k))),
  MYCLI_CONFIG_DIR: scratch,
  MYCLI_WRITE_CODE_CACHE: '1',
};

const provider = await startTestProvider();
try {
  const login = spawn(process.execPath, [bin, 'login', '--issuer', provider.issuer, '--client-id', provider.clientId, '--port', '0'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  login.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => login.on('close', resolve));
  await completeLogin(await waitForUrl(login.stderr, /\/auth\?/));
  const code = await exited;
  if (code !== 0) throw new Error(`warm-up login exited ${code}: ${stderr}`);

  const whoami = spawnSync(process.execPath, [bin, 'whoami'], { env, encoding: 'utf8' });
  if (whoami.status !== 0) throw new Error(`warm-up whoami exited ${whoami.status}: ${whoami.stderr}`);
} finally {
  await provider.close();
  rmSync(scratch, { recursive: true, force: true });
}
