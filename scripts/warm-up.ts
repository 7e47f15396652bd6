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

/** Starts `mycli ARGS`; `exited` rejects unless it ends with `expected`. Not spawnSync: the provider answers from this process. */
function start(args: string[], expected = 0) {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve, reject) =>
    child.on('close', (status) => (status === expected ? resolve() : reject(new Error(`warm-up mycli ${args.join(' ')} exited ${status}: ${stderr}`)))),
  );
  return { child, exited };
}

const provider = await startTestProvider();
try {
  const login = start(['login', '--issuer', provider.issuer, '--client-id', provider.clientId, '--port', '0']);
  // A login that fails before printing its URL rejects `exited` with what it said.
  const ended = login.exited.then(() => Promise.reject(new Error('warm-up login ended without a login URL')));
  await completeLogin(await Promise.race([waitForUrl(login.child.stderr, /\/auth\?/), ended]));
  await login.exited;
  // Then the everyday commands, logged in and logged out (the failure path included).
  for (const [args, expected] of [
    [['whoami', '--verify'], 0],
    [['token'], 0],
    [['whoami', '--json'], 0],
    [['whoami'], 0],
    [['logout', '--no-browser'], 0],
    [['whoami'], 4],
    [['token'], 4],
  ] as const) {
    await start([...args], expected).exited;
  }
} finally {
  await provider.close();
  rmSync(scratch, { recursive: true, force: true });
}
