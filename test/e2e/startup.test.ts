// What a command loads, checked on real runs (the benchmark, npm run bench, measures what it costs):
// Node's built-in fetch (undici and its WebAssembly HTTP parser) costs more CPU to load than a whole
// login is allowed, so provider requests go through src/net/http-fetch.ts, and only a proxy brings
// undici in. whoami and token print with fs.writeSync and ask node:tty only about a character
// device, so printing to a pipe, a file or /dev/null loads neither node:tty nor node:net; a reader
// that goes away early is no error.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { completeLogin } from '../support/login-driver.ts';
import { startTestProvider, type TestProvider } from '../support/provider.ts';
import { BIN, ROOT, runCli, sandbox, startLogin } from '../support/cli.ts';

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

/** Runs mycli with stdout and stderr going where `stdio` says; resolves with its exit code. */
function runWith(args: string[], env: NodeJS.ProcessEnv, stdio: 'devnull' | 'closed-stdout'): Promise<{ code: number | null; stderr: string }> {
  const devNull = stdio === 'devnull' ? openSync('/dev/null', 'w') : undefined;
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd: ROOT, stdio: ['ignore', devNull ?? 'pipe', devNull ?? 'pipe'] });
  if (devNull !== undefined) closeSync(devNull);
  // The reader of stdout goes away before mycli writes a byte (`mycli token | head -c 0`).
  child.stdout?.destroy();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

test('whoami and token print without node:tty or node:net, to pipes, to /dev/null and logged out', async () => {
  const env = tracedEnv();
  const login = await startLogin([], env);
  await completeLogin(login.url.href);
  assert.equal((await login.output).code, 0);

  for (const args of [['whoami'], ['whoami', '--json'], ['token']]) {
    const piped = await runCli(args, env);
    assert.equal(piped.code, 0, piped.stderr);
    assert.ok(piped.stdout.length > 0, 'sanity: it printed');
    const loaded = modulesOf(env);
    assert.ok(!loaded.includes('NativeModule tty') && !loaded.includes('NativeModule net'), `mycli ${args.join(' ')} loaded node:tty or node:net`);
  }
  const quiet = await runWith(['whoami'], env, 'devnull');
  assert.equal(quiet.code, 0);
  assert.ok(!modulesOf(env).includes('NativeModule tty'), 'whoami > /dev/null asked node:tty');

  const loggedOut = tracedEnv();
  const refused = await runCli(['whoami'], loggedOut);
  assert.equal(refused.code, 4);
  assert.match(refused.stderr, /^✗ Not logged in/m, 'sanity: the failure line is printed');
  assert.ok(!modulesOf(loggedOut).includes('NativeModule tty'), 'the logged-out whoami asked node:tty about a pipe');
  assert.equal((await runWith(['whoami'], loggedOut, 'devnull')).code, 4);
  assert.ok(!modulesOf(loggedOut).includes('NativeModule tty'), 'the logged-out whoami asked node:tty about /dev/null');
});

test('a reader that goes away early (mycli token | head -c 0) is no error: the usual exit code, no stack', async () => {
  const env = tracedEnv();
  const login = await startLogin([], env);
  await completeLogin(login.url.href);
  assert.equal((await login.output).code, 0);
  for (const args of [['token'], ['whoami'], ['whoami', '--json'], ['--help']]) {
    const result = await runWith(args, env, 'closed-stdout');
    assert.equal(result.code, 0, `mycli ${args.join(' ')}: ${result.stderr}`);
    assert.equal(result.stderr, '', `mycli ${args.join(' ')} printed on stderr`);
  }
});
