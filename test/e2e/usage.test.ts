// Usage and configuration errors: one line, exit 2, before any network request; config and profiles.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { completeLogin } from '../support/login-driver.ts';
import { startTestProvider, type TestProvider } from '../support/provider.ts';
import { runCli, sandbox, startLogin } from '../support/cli.ts';

const box = sandbox();
after(() => box.cleanup());

function assertOneLineError(stderr: string) {
  assert.doesNotMatch(stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  assert.ok(stderr.trim().split('\n').length <= 3, `short error, got:\n${stderr}`);
}

describe('usage errors exit 2 with one clear line', () => {
  const cases: Array<[string, string[], NodeJS.ProcessEnv, RegExp]> = [
    ['unknown flag', ['whoami', '--bogus'], {}, /unknown option '--bogus'/],
    ['unknown command', ['frobnicate'], {}, /unknown command/],
    ['no issuer', ['login', '--client-id', 'x'], {}, /No issuer configured/],
    ['no client id', ['login', '--issuer', 'https://id.example.com/'], {}, /No client id configured/],
    ['http issuer off loopback', ['login', '--issuer', 'http://id.example.com', '--client-id', 'x'], {}, /must be https:\/\//],
    ['issuer that is not a URL', ['login', '--issuer', 'nope', '--client-id', 'x'], {}, /not a URL/],
    ['bad issuer in the environment', ['login', '--client-id', 'x'], { MYCLI_ISSUER: 'ftp://x' }, /must be https:\/\//],
    ['both issuer and domain', ['login', '--issuer', 'https://a.example/', '--domain', 'b.example', '--client-id', 'x'], {}, /either an issuer or a domain/],
    ['a domain with a scheme', ['login', '--domain', 'https://b.example', '--client-id', 'x'], {}, /host name only/],
    ['bad port', ['login', '--issuer', 'https://a.example/', '--client-id', 'x', '--port', '70000'], {}, /Invalid port/],
    ['bad timeout', ['login', '--issuer', 'https://a.example/', '--client-id', 'x', '--timeout', '0'], {}, /Invalid timeout/],
    ['path traversal in a profile', ['whoami', '--profile', '../../etc'], {}, /Invalid profile name/],
    ['bad profile in the environment', ['whoami'], { MYCLI_PROFILE: 'a b' }, /Invalid profile name/],
    ['a profile name too long', ['token', '--profile', 'x'.repeat(65)], {}, /Invalid profile name/],
    ['unknown config key', ['config', 'set', 'colour', 'blue'], {}, /Unknown setting "colour"/],
    ['bad config value', ['config', 'set', 'return-to', 'javascript:alert(1)'], {}, /must be an http:\/\/ or https:\/\/ URL/],
    ['plain login under CI', ['login', '--issuer', 'https://a.example/', '--client-id', 'x'], { CI: 'true' }, /--client-credentials.*MYCLI_TOKEN.*--device.*--no-browser/s],
  ];
  for (const [what, args, extra, message] of cases) {
    test(what, async () => {
      const result = await runCli(args, { ...box.env, ...extra });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
      assertOneLineError(result.stderr);
    });
  }
});

describe('config', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await startTestProvider();
  });
  after(() => provider.close());

  test('set, get, list, unset; login then needs no flags; flags beat the environment beat the file', async () => {
    const env = { ...box.env, MYCLI_CONFIG_DIR: join(box.dir, 'cfg') };
    assert.equal((await runCli(['config', 'set', 'issuer', provider.issuer], env)).code, 0);
    assert.equal((await runCli(['config', 'set', 'client-id', provider.clientId], env)).code, 0);
    assert.equal((await runCli(['config', 'set', 'port', '0'], env)).code, 0);
    assert.equal((await runCli(['config', 'set', 'scope', 'openid profile email offline_access'], env)).code, 0);
    const get = await runCli(['config', 'get', 'client-id'], env);
    assert.equal(get.stdout, `${provider.clientId}\n`);
    const list = await runCli(['config', 'list', '--json'], env);
    assert.deepEqual(JSON.parse(list.stdout), {
      issuer: new URL(provider.issuer).href,
      'client-id': provider.clientId,
      port: '0',
      scope: 'openid profile email offline_access',
    });
    const file = join(env.MYCLI_CONFIG_DIR, 'config.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);

    // Precedence: a bad value from the environment beats the good one in the file (and is reported)...
    const envWins = await runCli(['login', '--no-browser', '--timeout', '1'], { ...env, MYCLI_CLIENT_ID: 'someone-else' });
    assert.equal(envWins.code, 1);
    assert.match(envWins.stderr, /client_id=someone-else/);
    // ...and a flag beats the environment.
    const login = await startLogin(['--client-id', provider.clientId], { ...env, MYCLI_CLIENT_ID: 'someone-else' });
    assert.equal(login.url.searchParams.get('client_id'), provider.clientId);
    await completeLogin(login.url.href);
    assert.equal((await login.output).code, 0);

    // Other profiles are separate.
    const other = await runCli(['whoami', '--profile', 'work'], env);
    assert.equal(other.code, 4);
    assert.equal((await runCli(['config', 'get', 'issuer', '--profile', 'work'], env)).code, 1);

    assert.equal((await runCli(['config', 'unset', 'port'], env)).code, 0);
    const unset = await runCli(['config', 'get', 'port'], env);
    assert.equal(unset.code, 1);
    assert.match(unset.stderr, /port is not set/);
  });

  test('a damaged config file is one clear line and exit 2', async () => {
    const dir = join(box.dir, 'damaged-config');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), '{"version":1,"profiles":');
    const result = await runCli(['login'], { ...box.env, MYCLI_CONFIG_DIR: dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /config file .*config\.json is damaged \(not valid JSON\)/);
    assertOneLineError(result.stderr);
  });
});

describe('a damaged session file', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await startTestProvider();
  });
  after(() => provider.close());

  for (const [what, content, problem] of [
    ['empty', '', /the file is empty/],
    ['truncated', '{"version":1,"source":"sess', /not valid JSON/],
    ['from a future version', '{"version":99}', /unsupported format version 99/],
    ['missing its tokens', '{"version":1,"source":"session","issuer":"x","clientId":"y","endpoints":{"issuer":"x","token_endpoint":"y"},"user":{"sub":"s"}}', /tokens missing/],
  ] as const) {
    test(`${what}: whoami and token say so in one line and exit 4; login replaces it`, async () => {
      const dir = join(box.dir, `damaged-${what.replace(/\W/g, '')}`);
      mkdirSync(join(dir, 'sessions'), { recursive: true });
      const file = join(dir, 'sessions', 'default.json');
      writeFileSync(file, content);
      const env = { ...box.env, MYCLI_CONFIG_DIR: dir, MYCLI_ISSUER: provider.issuer, MYCLI_CLIENT_ID: provider.clientId, MYCLI_CALLBACK_PORT: '0' };
      for (const command of [['whoami'], ['token']]) {
        const result = await runCli(command, env);
        assert.equal(result.code, 4, result.stderr);
        assert.match(result.stderr, problem);
        assert.match(result.stderr, /mycli login/);
        assertOneLineError(result.stderr);
      }
      const json = await runCli(['whoami', '--json'], env);
      assert.deepEqual(JSON.parse(json.stdout), { loggedIn: false, profile: 'default' });
      assert.equal(readFileSync(file, 'utf8'), content, 'reading never rewrites the file');

      const login = await startLogin([], env);
      await completeLogin(login.url.href);
      assert.equal((await login.output).code, 0);
      assert.equal(JSON.parse(readFileSync(file, 'utf8')).version, 1);
      assert.equal((await runCli(['whoami'], env)).code, 0);
    });
  }
});
