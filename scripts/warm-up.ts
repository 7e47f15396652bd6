// Run by scripts/build.mjs once the bundles are built: makes V8's code caches (dist/cli.cache,
// dist/lazy.cache) by running mycli itself with MYCLI_WRITE_CODE_CACHE=1, so that bin/mycli.js saves,
// on exit, the code cache of each bundle the run loaded. A cache holds what V8 compiled during the run,
// and each run starts from the cache the one before saved, so the caches end up holding every path
// below: the runs users wait for, against a local oidc-provider (the one npm run bench uses).
import { spawn } from 'node:child_process';
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

  // Then the everyday commands, logged in and logged out, the error and help paths included.
  for (const [args, expected] of [
    [['whoami', '--verify'], 0],
    [['token'], 0],
    [['whoami', '--json'], 0],
    [['whoami'], 0],
    [['logout', '--no-browser'], 0],
    [['whoami'], 4],
    [['token'], 4],
  ] as const) {
    // Not spawnSync: the provider answers from this process.
    const run = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let runErr = '';
    run.stderr.on('data', (chunk: Buffer) => (runErr += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => run.on('close', resolve));
    if (status !== expected) throw new Error(`warm-up mycli ${args.join(' ')} exited ${status}: ${runErr}`);
  }
} finally {
  await provider.close();
  rmSync(scratch, { recursive: true, force: true });
}
