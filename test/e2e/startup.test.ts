// What a command loads, checked on real runs (the benchmark, npm run bench, measures what it costs):
// Node's built-in fetch (undici and its WebAssembly HTTP parser) costs more CPU to load than a whole
// login is allowed, so provider requests go through src/net/http-fetch.ts, and only a proxy brings
// undici in.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { completeLogin } from '../support/login-driver.ts';
import { startTestProvider, type TestProvider } from '../support/provider.ts';
import { ROOT, runCli, sandbox, startLogin } from '../support/cli.ts';

const box = sandbox();
let provider: TestProvider;
before(async () => {
  provider = await startTestProvider();
});
after(async () => {
  await provider.close();
  box.cleanup();
});

const UNDICI = 'NativeModule internal/deps/undici/undici';
let runs = 0;
function tracedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv & { MYCLI_TEST_MODULE_LIST: string } {
  runs += 1;
  return {
    ...box.env,
    MYCLI_CONFIG_DIR: join(box.dir, `c${runs}`),
    MYCLI_ISSUER: provider.issuer,
    MYCLI_CLIENT_ID: provider.clientId,
    MYCLI_CALLBACK_PORT: '0',
    NODE_OPTIONS: `--require ${join(ROOT, 'test', 'support', 'module-list.cjs')}`,
    MYCLI_TEST_MODULE_LIST: join(box.dir, `modules-${runs}.txt`),
    ...extra,
  };
}
const modulesOf = (env: { MYCLI_TEST_MODULE_LIST: string }) => readFileSync(env.MYCLI_TEST_MODULE_LIST, 'utf8').split('\n');

test('a login, whoami --verify and logout make their requests without loading Node’s built-in fetch', async () => {
  const env = tracedEnv();
  const login = await startLogin([], env);
  await completeLogin(login.url.href);
  const result = await login.output;
  assert.equal(result.code, 0, result.stderr);
  assert.ok(modulesOf(env).includes('NativeModule http'), 'sanity: the trace sees what the login loaded');
  assert.ok(!modulesOf(env).includes(UNDICI), 'login loaded undici');

  const verify = await runCli(['whoami', '--verify'], env);
  assert.equal(verify.code, 0, verify.stderr);
  assert.ok(!modulesOf(env).includes(UNDICI), 'whoami --verify loaded undici');

  const logout = await runCli(['logout', '--no-browser'], env);
  assert.equal(logout.code, 0, logout.stderr);
  assert.ok(!modulesOf(env).includes(UNDICI), 'logout loaded undici');
});
