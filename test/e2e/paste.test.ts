// The paste fallback, in a real terminal (tmux): the browser on another machine cannot load the
// loopback callback, so the person pastes its address into the waiting `mycli login`.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { authorizeUntilCallback } from '../support/login-driver.ts';
import { startTestProvider, type TestProvider } from '../support/provider.ts';
import { BIN, sandbox } from '../support/cli.ts';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** One `mycli login` in its own tmux server (so it gets exactly this environment), in a real pty. */
class Terminal {
  readonly #socket: string;
  readonly #exitFile: string;

  constructor(dir: string, name: string, args: string[], env: NodeJS.ProcessEnv) {
    this.#socket = join(dir, `${name}.sock`);
    this.#exitFile = join(dir, `${name}.exit`);
    const command = `'${process.execPath}' '${BIN}' login ${args.join(' ')}; echo $? > '${this.#exitFile}'; sleep 600`;
    this.#tmux(['new-session', '-d', '-s', 'login', '-x', '250', '-y', '50', command], env);
  }

  #tmux(args: string[], env: NodeJS.ProcessEnv = process.env): string {
    return execFileSync('tmux', ['-S', this.#socket, '-f', '/dev/null', ...args], { env, encoding: 'utf8' });
  }

  /** Everything on the screen and in the scrollback, wrapped lines joined. */
  screen(): string {
    return this.#tmux(['capture-pane', '-p', '-J', '-t', 'login', '-S', '-']);
  }

  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.screen().match(pattern);
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`no ${pattern} on the screen:\n${this.screen()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Pastes a line and presses Enter, as a person would. */
  type(text: string): void {
    this.#tmux(['send-keys', '-t', 'login', '-l', text]);
    this.#tmux(['send-keys', '-t', 'login', 'Enter']);
  }

  /** Presses keys by tmux name, e.g. C-c. */
  press(key: string): void {
    this.#tmux(['send-keys', '-t', 'login', key]);
  }

  async exitCode(timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(this.#exitFile) || readFileSync(this.#exitFile, 'utf8').trim() === '') {
      if (Date.now() > deadline) throw new Error(`mycli did not exit:\n${this.screen()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return Number(readFileSync(this.#exitFile, 'utf8').trim());
  }

  close(): void {
    spawnSync('tmux', ['-S', this.#socket, 'kill-server']);
  }
}

describe('pasting the callback URL into the terminal', { skip: hasTmux ? false : 'tmux is not installed' }, () => {
  let provider: TestProvider;
  const box = sandbox();
  const terminals: Terminal[] = [];
  const envFor = (name: string, extra: NodeJS.ProcessEnv = {}) => ({
    ...box.env,
    TERM: 'xterm-256color',
    MYCLI_CONFIG_DIR: join(box.dir, name),
    MYCLI_ISSUER: provider.issuer,
    MYCLI_CLIENT_ID: provider.clientId,
    ...extra,
  });
  before(async () => {
    provider = await startTestProvider();
  });
  after(async () => {
    for (const terminal of terminals) terminal.close();
    await provider.close();
    box.cleanup();
  });

  test('the waiting message says so; wrong pastes are refused and it keeps waiting; the real one logs in', async () => {
    const env = envFor('paste');
    const terminal = new Terminal(box.dir, 'paste', ['--port', '0'], env);
    terminals.push(terminal);
    const [authorizationUrl] = await terminal.waitFor(/http:\/\/127\.0\.0\.1:\d+\/auth\?\S+/);
    await terminal.waitFor(/paste it here and press Enter/);
    assert.match(terminal.screen(), /No browser can be opened here/);

    // The browser ends on the loopback address, which on another machine does not load: the
    // listener is never requested; the person copies the address bar instead.
    const callbackUrl = await authorizeUntilCallback(authorizationUrl);
    const tokenRequests = provider.counts.token;

    const forged = new URL(callbackUrl);
    forged.searchParams.set('state', 'someone-elses-state');
    terminal.type(forged.href);
    await terminal.waitFor(/That is not this login's callback URL \(state does not match this login\)/);
    terminal.type('hello');
    await terminal.waitFor(/That is not this login's callback URL \(not a URL\)/);
    const elsewhere = new URL(callbackUrl);
    elsewhere.host = 'evil.example';
    terminal.type(elsewhere.href);
    await terminal.waitFor(/That is not this login's callback URL \(not an address of this login's listener/);
    assert.equal(provider.counts.token, tokenRequests, 'nothing refused reached the token endpoint');

    terminal.type(callbackUrl);
    assert.equal(await terminal.exitCode(), 0, terminal.screen());
    assert.match(terminal.screen(), /Got the callback URL you pasted/);
    assert.match(terminal.screen(), /Logged in as Alice <alice@example\.com>/);
    const session = JSON.parse(readFileSync(join(env.MYCLI_CONFIG_DIR, 'sessions', 'default.json'), 'utf8'));
    assert.equal(session.user.sub, 'alice');
    assert.ok(!terminal.screen().includes(session.tokens.accessToken));
  });

  test('Ctrl-C while it reads the terminal: exit 130, nothing saved', async () => {
    const env = envFor('paste-ctrl-c');
    const terminal = new Terminal(box.dir, 'paste-ctrl-c', ['--port', '0'], env);
    terminals.push(terminal);
    await terminal.waitFor(/paste it here and press Enter/);
    terminal.type('half a line');
    await terminal.waitFor(/not a URL/);
    terminal.press('C-c');
    assert.equal(await terminal.exitCode(), 130, terminal.screen());
    assert.match(terminal.screen(), /Login cancelled/);
    assert.ok(!existsSync(join(env.MYCLI_CONFIG_DIR, 'sessions', 'default.json')));
  });

  test('under CI nothing prompts: no paste message, and a pasted URL is not taken', async () => {
    const env = envFor('paste-ci', { CI: 'true' });
    const terminal = new Terminal(box.dir, 'paste-ci', ['--port', '0', '--no-browser', '--timeout', '4'], env);
    terminals.push(terminal);
    const [authorizationUrl] = await terminal.waitFor(/http:\/\/127\.0\.0\.1:\d+\/auth\?\S+/);
    await terminal.waitFor(/Waiting for you to log in/);
    terminal.type(await authorizeUntilCallback(authorizationUrl));
    assert.equal(await terminal.exitCode(), 1, terminal.screen());
    assert.doesNotMatch(terminal.screen(), /paste/i);
    assert.match(terminal.screen(), /Timed out after 4 seconds/);
    assert.ok(!existsSync(join(env.MYCLI_CONFIG_DIR, 'sessions', 'default.json')));
  });
});
