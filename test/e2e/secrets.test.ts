// Secrets never leak. Every scenario below runs with the debug log on (--debug or MYCLI_DEBUG=1); at
// the end, no token, authorization code, code verifier or client secret the provider saw or issued may
// appear in any output (except `mycli token`'s stdout) or in any file but the session file.
// Covered: browser login (and its failures), device login (approved and denied), client credentials
// (login, and `token` re-minting an expired one), MYCLI_TOKEN, whoami, token, logout.
// To cover a new way to log in, add a scenario to SCENARIOS.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { approveDevice, authorizeUntilCallback, completeLogin } from '../support/login-driver.ts';
import { startTestProvider, type TestProvider } from '../support/provider.ts';
import { RECORDING_BROWSER, runCli, sandbox, startDeviceLogin, startLogin, waitForRecordedUrl, type CliResult } from '../support/cli.ts';
import { callbackPort, rawRequest } from '../support/http.ts';

/** Something a scenario produced that a person or another program can see. */
interface Output {
  what: string;
  text: string;
}

interface World {
  provider: TestProvider;
  /** MYCLI_* for the provider, a sandboxed HOME/TMPDIR/config dir, MYCLI_CLIENT_SECRET set */
  env: NodeJS.ProcessEnv;
  dir: string;
  /** The recording browser's log: it receives the logout URL with id_token_hint, as SPEC.md says it must. */
  browserLog: string;
  /** Secrets the provider never saw (a made-up MYCLI_TOKEN), added by the scenario that uses them. */
  otherSecrets: Map<string, string>;
}

interface Scenario {
  name: string;
  run(world: World): Promise<Output[]>;
}

/** stdout and stderr of a run; `dataIsToken` leaves out the stdout of `mycli token`, whose job is to print it. */
function outputsOf(what: string, result: CliResult, dataIsToken = false): Output[] {
  const outputs = [{ what: `${what} (stderr)`, text: result.stderr }];
  if (!dataIsToken) outputs.push({ what: `${what} (stdout)`, text: result.stdout });
  return outputs;
}

/** Half the runs turn the debug log on with the flag, half with the variable. */
const viaFlag = (args: string[]) => [...args, '--debug'];
const viaEnv = (env: NodeJS.ProcessEnv) => ({ ...env, MYCLI_DEBUG: '1' });

async function browserLogin(world: World, what: string, debug: 'flag' | 'env', extra: NodeJS.ProcessEnv = {}) {
  const env = { ...(debug === 'env' ? viaEnv(world.env) : world.env), ...extra };
  const login = await startLogin(debug === 'flag' ? ['--debug'] : [], env);
  return { login, what };
}

async function failingLogin(world: World, what: string, path: string, fault: 'hang' | 'html' | 'not-json' | 'reset'): Promise<Output[]> {
  const { login } = await browserLogin(world, what, 'flag', { MYCLI_HTTP_TIMEOUT: '1' });
  world.provider.fault(path, fault);
  try {
    const page = await completeLogin(login.url.href);
    const result = await login.output;
    assert.equal(result.code, 1, `${what}: ${result.stderr}`);
    return [...outputsOf(what, result), { what: `${what} (result page)`, text: page.body }];
  } finally {
    world.provider.fault(path, undefined);
  }
}

const sessionFileOf = (world: World) => join(world.env.MYCLI_CONFIG_DIR!, 'sessions', 'default.json');

/** The client-credentials client of the test provider; MYCLI_CLIENT_SECRET is already its secret. */
const ccEnv = (world: World) => ({ ...world.env, MYCLI_CLIENT_ID: world.provider.ccClientId });

async function deviceLogin(world: World, what: string, deny: boolean): Promise<Output[]> {
  const login = await startDeviceLogin(['--debug'], world.env);
  await approveDevice(login.verificationUri, login.userCode, { login: 'carol', deny });
  const result = await login.output;
  assert.equal(result.code, deny ? 1 : 0, `${what}: ${result.stderr}`);
  assert.match(result.stderr, /\[debug\] POST http:\/\/127\.0\.0\.1:\d+\/token → \d{3}/, 'the debug log is on');
  return outputsOf(what, result);
}

const SCENARIOS: Scenario[] = [
  {
    name: 'login, with a forged callback carrying the real code arriving first',
    async run(world) {
      const { login } = await browserLogin(world, 'login', 'flag');
      const callbackUrl = new URL(await authorizeUntilCallback(login.url.href));
      const code = callbackUrl.searchParams.get('code')!;
      const forged = await rawRequest(callbackPort(login.url), { path: `/callback?code=${code}&state=forged` });
      assert.equal(forged.status, 400);
      const page = await fetch(callbackUrl);
      const result = await login.output;
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /\[debug\] POST http:\/\/127\.0\.0\.1:\d+\/token → 200/, 'the debug log is on');
      return [...outputsOf('login', result), { what: 'listener answer to the forgery', text: forged.body }, { what: 'result page', text: await page.text() }];
    },
  },
  {
    name: 'whoami and whoami --json',
    async run(world) {
      const plain = await runCli(['whoami'], viaEnv(world.env));
      const json = await runCli(viaFlag(['whoami', '--json']), world.env);
      assert.equal(plain.code, 0);
      assert.equal(json.code, 0);
      return [...outputsOf('whoami', plain), ...outputsOf('whoami --json', json)];
    },
  },
  {
    name: 'token and token --json (their stdout is the token)',
    async run(world) {
      const session = JSON.parse(readFileSync(join(world.env.MYCLI_CONFIG_DIR!, 'sessions', 'default.json'), 'utf8'));
      const plain = await runCli(viaFlag(['token']), world.env);
      const json = await runCli(['token', '--json'], viaEnv(world.env));
      assert.equal(plain.stdout, `${session.tokens.accessToken}\n`, 'token prints the token: the check below is not vacuous');
      assert.equal(JSON.parse(json.stdout).accessToken, session.tokens.accessToken);
      return [...outputsOf('token', plain, true), ...outputsOf('token --json', json, true)];
    },
  },
  {
    name: 'a second login over the first session',
    async run(world) {
      const { login } = await browserLogin(world, 'second login', 'env');
      const page = await completeLogin(login.url.href, { login: 'bob' });
      const result = await login.output;
      assert.equal(result.code, 0, result.stderr);
      return [...outputsOf('second login', result), { what: 'second result page', text: page.body }];
    },
  },
  {
    name: 'a login denied at the provider',
    async run(world) {
      const { login } = await browserLogin(world, 'denied login', 'flag');
      const page = await completeLogin(login.url.href, { deny: true });
      const result = await login.output;
      assert.equal(result.code, 1);
      return [...outputsOf('denied login', result), { what: 'denied result page', text: page.body }];
    },
  },
  { name: 'a token endpoint that answers broken JSON', run: (world) => failingLogin(world, 'token not-json', '/token', 'not-json') },
  { name: 'a token endpoint that answers an HTML page', run: (world) => failingLogin(world, 'token html', '/token', 'html') },
  { name: 'a token endpoint that never answers', run: (world) => failingLogin(world, 'token hang', '/token', 'hang') },
  { name: 'a userinfo endpoint that fails after the tokens were issued', run: (world) => failingLogin(world, 'userinfo html', '/me', 'html') },
  {
    name: 'a login that times out',
    async run(world) {
      const result = await runCli(viaFlag(['login', '--no-browser', '--timeout', '1']), world.env);
      assert.equal(result.code, 1);
      return outputsOf('timed-out login', result);
    },
  },
  { name: 'a device login denied at the provider', run: (world) => deviceLogin(world, 'denied device login', true) },
  {
    name: 'whoami with MYCLI_TOKEN: a real access token, then garbage',
    async run(world) {
      const accessToken = JSON.parse(readFileSync(sessionFileOf(world), 'utf8')).tokens.accessToken;
      const garbage = 'garbage-token-nobody-issued-0123456789';
      world.otherSecrets.set(garbage, 'the garbage MYCLI_TOKEN');
      const valid = await runCli(viaFlag(['whoami']), { ...world.env, MYCLI_TOKEN: accessToken });
      const validJson = await runCli(['whoami', '--json'], viaEnv({ ...world.env, MYCLI_TOKEN: accessToken }));
      assert.equal(valid.code, 0, valid.stderr);
      assert.match(valid.stdout, /\(from MYCLI_TOKEN\)/);
      assert.equal(validJson.code, 0, validJson.stderr);
      const rejected = await runCli(viaFlag(['whoami']), { ...world.env, MYCLI_TOKEN: garbage });
      const rejectedJson = await runCli(['whoami', '--json'], viaEnv({ ...world.env, MYCLI_TOKEN: garbage }));
      assert.equal(rejected.code, 4, rejected.stderr);
      assert.equal(rejectedJson.code, 4, rejectedJson.stderr);
      // The whoami outputs are checked for the real token like every other output, by the caller.
      return [...outputsOf('whoami MYCLI_TOKEN', valid), ...outputsOf('whoami --json MYCLI_TOKEN', validJson),
        ...outputsOf('whoami garbage MYCLI_TOKEN', rejected), ...outputsOf('whoami --json garbage MYCLI_TOKEN', rejectedJson)];
    },
  },
  {
    name: 'login --client-credentials (the secret from MYCLI_CLIENT_SECRET)',
    async run(world) {
      const result = await runCli(viaFlag(['login', '--client-credentials']), ccEnv(world));
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /Logged in as client/);
      return outputsOf('login --client-credentials', result);
    },
  },
  {
    name: 'token re-mints an expired client-credentials token',
    async run(world) {
      const file = sessionFileOf(world);
      const session = JSON.parse(readFileSync(file, 'utf8'));
      assert.equal(session.source, 'client-credentials');
      session.tokens.expiresAt = new Date(Date.now() - 3600_000).toISOString();
      writeFileSync(file, JSON.stringify(session));
      const requests = world.provider.tokenRequests.length;
      const result = await runCli(viaFlag(['token']), ccEnv(world));
      assert.equal(result.code, 0, result.stderr);
      assert.equal(world.provider.tokenRequests.length, requests + 1, 'a new token was minted');
      const renewed = JSON.parse(readFileSync(file, 'utf8')).tokens.accessToken;
      assert.notEqual(renewed, session.tokens.accessToken);
      assert.equal(result.stdout, `${renewed}\n`);
      return outputsOf('token (re-minted)', result, true);
    },
  },
  // Last before the logouts, which need a session with an id token.
  { name: 'login --device, approved', run: (world) => deviceLogin(world, 'device login', false) },
  {
    name: 'logout, handing the logout URL to the browser',
    async run(world) {
      const result = await runCli(viaFlag(['logout']), { ...world.env, BROWSER: RECORDING_BROWSER, MYCLI_TEST_BROWSER_LOG: world.browserLog });
      assert.equal(result.code, 0, result.stderr);
      assert.equal((await waitForRecordedUrl(world.browserLog)).length, 1);
      return outputsOf('logout', result);
    },
  },
  {
    name: 'a third login, then logout --no-browser (the printed URL has no id_token_hint)',
    async run(world) {
      const { login } = await browserLogin(world, 'third login', 'flag');
      await completeLogin(login.url.href);
      const loggedIn = await login.output;
      assert.equal(loggedIn.code, 0, loggedIn.stderr);
      const result = await runCli(['logout', '--no-browser'], viaEnv(world.env));
      assert.equal(result.code, 0, result.stderr);
      return [...outputsOf('third login', loggedIn), ...outputsOf('logout --no-browser', result)];
    },
  },
];

/** Every secret the provider received or issued during the scenarios, and the client secret: value → its kinds. */
function secretsOf(world: World): Map<string, string[]> {
  const secrets = new Map<string, string[]>();
  // One value can be of several kinds (the client_secret sent is MYCLI_CLIENT_SECRET): keep them all.
  const add = (kind: string, value: unknown) => {
    if (typeof value === 'string' && value.length >= 8) secrets.set(value, [...new Set([...(secrets.get(value) ?? []), kind])]);
  };
  for (const request of world.provider.tokenRequests) {
    for (const key of ['code', 'code_verifier', 'refresh_token', 'client_secret', 'device_code']) add(`${key} sent to the token endpoint`, request[key]);
  }
  for (const response of world.provider.tokenResponses) {
    for (const key of ['access_token', 'refresh_token', 'id_token']) add(`${key} issued`, response[key]);
  }
  add('MYCLI_CLIENT_SECRET', world.env.MYCLI_CLIENT_SECRET);
  for (const [value, kind] of world.otherSecrets) add(kind, value);
  return secrets;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(dir, entry))
    .filter((path) => statSync(path).isFile());
}

function leaksIn(text: string, secrets: Map<string, string[]>): string[] {
  const found: string[] = [];
  for (const [secret, kinds] of secrets) {
    if (text.includes(secret) || text.includes(encodeURIComponent(secret))) found.push(kinds.join(' = '));
  }
  return found;
}

describe('secrets never leak', () => {
  const box = sandbox();
  const world = {} as World;
  const outputs: Output[] = [];
  before(async () => {
    const provider = await startTestProvider();
    const tmp = join(box.dir, 'tmp');
    mkdirSync(tmp);
    Object.assign(world, {
      provider,
      dir: box.dir,
      browserLog: join(box.dir, 'browser.log'),
      otherSecrets: new Map(),
      env: {
        ...box.env,
        HOME: box.dir,
        TMPDIR: tmp,
        XDG_CONFIG_HOME: join(box.dir, 'xdg'),
        MYCLI_ISSUER: provider.issuer,
        MYCLI_CLIENT_ID: provider.clientId,
        MYCLI_CALLBACK_PORT: '0',
        // Set for every command: none may print it, whether it uses it or not.
        MYCLI_CLIENT_SECRET: provider.ccClientSecret,
      },
    });
  });
  after(async () => {
    await world.provider.close();
    box.cleanup();
  });

  for (const scenario of SCENARIOS) {
    test(scenario.name, async () => {
      const produced = await scenario.run(world);
      outputs.push(...produced);
      const secrets = secretsOf(world);
      for (const output of produced) assert.deepEqual(leaksIn(output.text, secrets), [], `${output.what} shows a secret`);
      const sessionFile = sessionFileOf(world);
      for (const file of filesUnder(world.dir)) {
        if (file === sessionFile || file === world.browserLog) continue;
        assert.deepEqual(leaksIn(readFileSync(file, 'latin1'), secrets), [], `${relative(world.dir, file)} holds a secret`);
      }
    });
  }

  test('no secret in any output of any scenario, nor in any file left behind', () => {
    const secrets = secretsOf(world);
    const kinds = new Set([...secrets.values()].flat());
    for (const kind of ['code sent to the token endpoint', 'code_verifier sent to the token endpoint', 'access_token issued', 'refresh_token issued', 'id_token issued', 'MYCLI_CLIENT_SECRET',
      'device_code sent to the token endpoint', 'client_secret sent to the token endpoint', 'the garbage MYCLI_TOKEN']) {
      assert.ok(kinds.has(kind), `the scenarios produced a ${kind} to look for`);
    }
    assert.ok(outputs.some((o) => o.text.includes('[debug] ')), 'the debug log was on');
    for (const output of outputs) assert.deepEqual(leaksIn(output.text, secrets), [], `${output.what} shows a secret`);
    // Every session was logged out: no file at all may hold a secret now (the browser's own log aside).
    for (const file of filesUnder(world.dir)) {
      if (file === world.browserLog) continue;
      assert.deepEqual(leaksIn(readFileSync(file, 'latin1'), secrets), [], `${relative(world.dir, file)} holds a secret`);
    }
  });
});
