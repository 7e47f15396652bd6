// Run by scripts/build.mjs once the bundles are built: makes V8's code caches (dist/cli.cache,
// dist/lazy.cache) by running mycli itself with MYCLI_WRITE_CODE_CACHE=1, so that bin/mycli.js saves,
// on exit, the code cache of each bundle the run loaded. A cache holds what V8 compiled during the run,
// and each run starts from the cache the one before saved, so the caches end up holding every path
// below: the runs users wait for, against a local oidc-provider (the one npm run bench uses).
import { runCli, sandbox, startCli, type CliResult } from '../test/support/cli.ts';
import { completeLogin, waitForUrl } from '../test/support/login-driver.ts';
import { startTestProvider } from '../test/support/provider.ts';

// The tests' clean environment (no CI, which refuses a browser login; no BROWSER, display or proxy;
// no settings of the person running the build), and no NODE_OPTIONS: V8 rejects a cache made under
// other flags than the ones mycli runs with.
const box = sandbox();
const env: NodeJS.ProcessEnv = { ...box.env, MYCLI_WRITE_CODE_CACHE: '1' };
delete env.NODE_OPTIONS;

/** Fails the build with what mycli said when a warm-up run does not end as it should. */
function expectExit(args: readonly string[], result: CliResult, expected: number): void {
  if (result.code !== expected) throw new Error(`warm-up mycli ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
}

const provider = await startTestProvider();
try {
  const login = startCli(['login', '--issuer', provider.issuer, '--client-id', provider.clientId, '--port', '0'], env);
  const url = await waitForUrl(login.stderr, /\/auth\?/).catch(async (error: Error) => {
    throw new Error(`warm-up login: ${error.message}: ${(await login.output).stderr}`);
  });
  await completeLogin(url);
  expectExit(['login'], await login.output, 0);
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
    expectExit(args, await runCli([...args], env), expected);
  }
} finally {
  await provider.close();
  box.cleanup();
}
