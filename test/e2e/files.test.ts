// mycli's files under stress: permissions on every write, kill -9 in the middle of saves, damaged
// files, hostile profile names and settings. (usage.test.ts has the first damaged-file cases.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseSession } from '../../src/session/format.ts';
import { completeLogin } from '../support/login-driver.ts';
import { startTestProvider, type TestProvider } from '../support/provider.ts';
import { ROOT, runCli, sandbox, startLogin } from '../support/cli.ts';

// A umask that lets everyone read everything: mycli's modes must not depend on the user's umask.
process.umask(0o000);

const box = sandbox();
after(() => box.cleanup());
let dirs = 0;
const freshDir = () => join(box.dir, `c${(dirs += 1)}`);
const mode = (path: string) => statSync(path).mode & 0o777;

function assertOneLineError(stderr: string) {
  assert.doesNotMatch(stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  assert.ok(stderr.trim().split('\n').length <= 2, `one line and a hint, got:\n${stderr}`);
}

describe('permissions', () => {
  let provider: TestProvider;
  before(async () => {
    provider = await startTestProvider();
  });
  after(() => provider.close());

  async function login(env: NodeJS.ProcessEnv) {
    const started = await startLogin([], env);
    await completeLogin(started.url.href);
    const result = await started.output;
    assert.equal(result.code, 0, result.stderr);
  }

  test('every write leaves the files 0600 in 0700 directories, whatever the umask, loosened or not', async () => {
    const dir = freshDir();
    const env = { ...box.env, MYCLI_CONFIG_DIR: dir, MYCLI_ISSUER: provider.issuer, MYCLI_CLIENT_ID: provider.clientId, MYCLI_CALLBACK_PORT: '0' };
    const config = join(dir, 'config.json');
    const sessions = join(dir, 'sessions');
    const session = join(sessions, 'default.json');

    assert.equal((await runCli(['config', 'set', 'scope', 'openid profile email offline_access'], env)).code, 0);
    assert.equal(mode(dir), 0o700);
    assert.equal(mode(config), 0o600);
    await login(env);
    assert.equal(mode(sessions), 0o700);
    assert.equal(mode(session), 0o600);

    // Someone loosened everything: the next writes tighten it again.
    for (const path of [dir, sessions]) chmodSync(path, 0o777);
    for (const path of [config, session]) chmodSync(path, 0o666);
    assert.equal((await runCli(['config', 'set', 'audience', 'https://api.example/'], env)).code, 0);
    await login(env);
    assert.deepEqual([mode(dir), mode(sessions), mode(config), mode(session)], [0o700, 0o700, 0o600, 0o600]);
  });

  test('an existing file that others could read is tightened as soon as mycli reads it', async () => {
    const dir = freshDir();
    const env = { ...box.env, MYCLI_CONFIG_DIR: dir, MYCLI_ISSUER: provider.issuer, MYCLI_CLIENT_ID: provider.clientId, MYCLI_CALLBACK_PORT: '0' };
    assert.equal((await runCli(['config', 'set', 'port', '0'], env)).code, 0);
    await login(env);
    const config = join(dir, 'config.json');
    const session = join(dir, 'sessions', 'default.json');
    chmodSync(session, 0o644);
    chmodSync(config, 0o644);
    assert.equal((await runCli(['whoami'], env)).code, 0);
    assert.equal(mode(session), 0o600);
    assert.equal((await runCli(['config', 'list'], env)).code, 0);
    assert.equal(mode(config), 0o600);
  });
});

describe('atomic writes', () => {
  /** Starts test/support/save-loop.ts and resolves once its first save is done. */
  async function startSaving(configDir: string) {
    // SNAP=1 makes conf fall back to a plain, non-atomic write unless mycli hides it: keep it set.
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'support', 'save-loop.ts'), configDir], {
      cwd: ROOT,
      env: { ...box.env, SNAP: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('close', () => reject(new Error('save-loop ended before its first save')));
    });
    return { child, closed };
  }

  test('kill -9 at random moments during many saves never leaves a half-written or empty session', async () => {
    const dir = freshDir();
    const file = join(dir, 'sessions', 'default.json');
    const seen = new Set<string>();
    for (let round = 0; round < 15; round += 1) {
      const { child, closed } = await startSaving(dir);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 120));
      child.kill('SIGKILL');
      await closed;
      const text = readFileSync(file, 'utf8');
      const parsed = parseSession(text);
      assert.ok(parsed.ok, `round ${round}: the session is damaged (${parsed.ok ? '' : parsed.problem}, ${text.length} bytes)`);
      seen.add(parsed.session.user.sub);
      assert.equal(mode(file), 0o600);
    }
    assert.ok(seen.size > 1, 'the kills landed at different points of the loop');

    const env = { ...box.env, MYCLI_CONFIG_DIR: dir };
    const whoami = await runCli(['whoami'], env);
    assert.equal(whoami.code, 0, whoami.stderr);
    // Temp files of killed saves hold tokens too: logout removes them with the session.
    const logout = await runCli(['logout', '--no-browser'], env);
    assert.equal(logout.code, 0, logout.stderr);
    assert.deepEqual(readdirSync(join(dir, 'sessions')), []);
  });
});

describe('damaged files: one clear line, the right exit code, nothing overwritten by mistake', () => {
  const configCases: Array<[string, string, RegExp]> = [
    ['empty', '', /the file is empty/],
    ['an array', '[]', /not a JSON object/],
    ['from another version', '{"version":2,"profiles":{}}', /unsupported format version 2/],
    ['with an unknown setting', '{"version":1,"profiles":{"default":{"colour":"blue"}}}', /unknown setting colour in profile default/],
    ['with a setting that is not text', '{"version":1,"profiles":{"default":{"port":0}}}', /unknown setting port/],
  ];
  for (const [what, content, problem] of configCases) {
    test(`a config file ${what}: exit 2 for login and config set, and the file is left as it was`, async () => {
      const dir = freshDir();
      mkdirSync(dir, { recursive: true });
      const file = join(dir, 'config.json');
      writeFileSync(file, content);
      const env = { ...box.env, MYCLI_CONFIG_DIR: dir };
      for (const args of [['login', '--issuer', 'https://id.example/', '--client-id', 'x'], ['config', 'set', 'port', '0'], ['config', 'list']]) {
        const result = await runCli(args, env);
        assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
        assert.match(result.stderr, problem);
        assert.match(result.stderr, /config\.json is damaged/);
        assertOneLineError(result.stderr);
      }
      assert.equal(readFileSync(file, 'utf8'), content);
    });
  }

  test('a config file with an invalid value: exit 2 naming the setting, before any network request', async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ version: 1, profiles: { default: { issuer: 'http://id.example.com/', 'client-id': 'x' } } }));
    const result = await runCli(['login'], { ...box.env, MYCLI_CONFIG_DIR: dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Invalid issuer "http:\/\/id\.example\.com\/": must be https:\/\//);
    assertOneLineError(result.stderr);
  });

  const sessionCases: Array<[string, string | Buffer, RegExp]> = [
    ['null', 'null', /not a JSON object/],
    ['an array', '[]', /not a JSON object/],
    ['binary junk', Buffer.from([0xff, 0xfe, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x07, 0x89]), /not valid JSON/],
    ['with an expiry that is not a date', JSON.stringify({ version: 1, source: 'session', issuer: 'x', clientId: 'y', endpoints: { issuer: 'x', token_endpoint: 'y' }, user: { sub: 's' }, tokens: { accessToken: 'a', tokenType: 'Bearer', expiresAt: 'soon' } }), /expiry damaged/],
  ];
  for (const [what, content, problem] of sessionCases) {
    test(`a session file that is ${what}: whoami and token exit 4 in one line; logout removes it`, async () => {
      const dir = freshDir();
      mkdirSync(join(dir, 'sessions'), { recursive: true });
      const file = join(dir, 'sessions', 'default.json');
      writeFileSync(file, content);
      const env = { ...box.env, MYCLI_CONFIG_DIR: dir };
      for (const args of [['whoami'], ['token'], ['whoami', '--json']]) {
        const result = await runCli(args, env);
        assert.equal(result.code, 4, result.stderr);
        assert.match(result.stderr, problem);
        // eslint-disable-next-line no-control-regex
        assert.doesNotMatch(result.stderr, /[\u0000-\u0009\u000b-\u001f]/, 'nothing of the file reaches the terminal');
        assertOneLineError(result.stderr);
      }
      const logout = await runCli(['logout', '--no-browser'], env);
      assert.equal(logout.code, 0);
      assert.match(logout.stderr, /Removed the damaged session file/);
      assert.ok(!existsSync(file));
    });
  }

  test('a directory where the session file should be: one line, exit 4 to read and exit 1 to write', async () => {
    const provider = await startTestProvider();
    try {
      const dir = freshDir();
      mkdirSync(join(dir, 'sessions', 'default.json'), { recursive: true });
      const env = { ...box.env, MYCLI_CONFIG_DIR: dir, MYCLI_ISSUER: provider.issuer, MYCLI_CLIENT_ID: provider.clientId, MYCLI_CALLBACK_PORT: '0' };
      const whoami = await runCli(['whoami'], env);
      assert.equal(whoami.code, 4);
      assert.match(whoami.stderr, /Cannot read the session file .*default\.json \(EISDIR\)/);
      assertOneLineError(whoami.stderr);
      const login = await startLogin([], env);
      await completeLogin(login.url.href);
      const result = await login.output;
      assert.equal(result.code, 1);
      assert.match(result.stderr, /Cannot write .*default\.json \(EISDIR\)/);
      assertOneLineError(result.stderr.slice(result.stderr.indexOf('✗')));
    } finally {
      await provider.close();
    }
  });
});

describe('profile names and settings are validated before anything is read or written', () => {
  const names = ['..', '.', '../x', '../../etc/passwd', 'a/b', 'a\\b', '/abs', '', ' ', 'a b', 'naïve', 'x'.repeat(65), 'a\u001b[2Jb', 'con.json'];
  test('every hostile profile name is a usage error, and nothing is created', async () => {
    const dir = freshDir();
    for (const name of names) {
      for (const [how, args, env] of [
        ['--profile', ['whoami', '--profile', name], {}],
        ['MYCLI_PROFILE', ['token'], { MYCLI_PROFILE: name }],
      ] as const) {
        const result = await runCli([...args], { ...box.env, ...env, MYCLI_CONFIG_DIR: dir });
        // An empty MYCLI_PROFILE counts as unset (the default profile, not logged in: exit 4).
        const expected = how === 'MYCLI_PROFILE' && name === '' ? 4 : 2;
        assert.equal(result.code, expected, `${how} ${JSON.stringify(name)}: ${result.stderr}`);
        if (expected === 2) assert.match(result.stderr, /Invalid profile name/);
        // eslint-disable-next-line no-control-regex
        assert.doesNotMatch(result.stderr, /\u001b/, 'the name is quoted, not echoed raw');
      }
    }
    assert.ok(!existsSync(dir), 'no config directory was created');
  });

  test('every command refuses a path-traversal profile with exit 2', async () => {
    const dir = freshDir();
    const commands = [['login', '--issuer', 'https://id.example/', '--client-id', 'x'], ['logout'], ['whoami'], ['token'], ['config', 'get', 'issuer'], ['config', 'set', 'issuer', 'https://id.example/'], ['config', 'unset', 'issuer'], ['config', 'list']];
    for (const args of commands) {
      const result = await runCli([...args, '--profile', '../../outside'], { ...box.env, MYCLI_CONFIG_DIR: dir });
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /Invalid profile name "..\/..\/outside"/);
    }
    assert.ok(!existsSync(dir));
    assert.ok(!existsSync(join(box.dir, 'outside.json')));
  });

  const settings: Array<[string, string, RegExp]> = [
    ['issuer', 'https://user:pass@id.example/', /no query, fragment or credentials/],
    ['issuer', 'https://id.example/?x=1', /no query, fragment or credentials/],
    ['issuer', 'file:///etc/passwd', /must be https:\/\//],
    ['client-id', 'a b', /must not contain spaces/],
    ['client-id', 'abc\u001b[2J', /without control characters/],
    ['scope', '', /non-empty text/],
    ['audience', 'https://api/\nInjected: header', /without control characters/],
    ['port', '-1', /Invalid port/],
    ['port', '1e3', /Invalid port/],
    ['port', '65536', /Invalid port/],
    ['return-to', 'data:text/html,hi', /must be an http:\/\/ or https:\/\/ URL/],
  ];
  test('config set refuses every invalid setting with exit 2 and writes nothing', async () => {
    const dir = freshDir();
    for (const [key, value, message] of settings) {
      const result = await runCli(['config', 'set', key, value], { ...box.env, MYCLI_CONFIG_DIR: dir });
      assert.equal(result.code, 2, `${key}=${JSON.stringify(value)}: ${result.stderr}`);
      assert.match(result.stderr, message);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(result.stderr, /\u001b/);
    }
    assert.ok(!existsSync(join(dir, 'config.json')));
  });
});
