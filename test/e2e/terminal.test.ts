// What the person at the terminal sees while logging in: in a real pseudo-terminal (tmux), and piped.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { RECORDING_BROWSER, runCli, sandbox, startLogin, waitForRecordedUrl } from '../support/cli.ts';
import { completeLogin } from '../support/login-driver.ts';
import { startTestProvider, type TestProvider } from '../support/provider.ts';
import { runInTerminal, type TerminalSession } from '../support/tmux.ts';

const ESC = '\u001b';
const GREEN = `${ESC}[32m`;
const RED = `${ESC}[31m`;
const SUCCESS = '✓ Logged in as Alice <alice@example.com>';
const REFUSED = '✗ The provider refused the login: access_denied (End-User aborted interaction).';
const NEXT_STEP = /^Run `mycli login` again/;
const WAITING = /^\S Waiting for .*\((\d+s|\d+m \d\ds)\) Press Ctrl-C to cancel\.$/;

describe('the terminal during login', () => {
  let provider: TestProvider;
  let box: ReturnType<typeof sandbox>;
  let env: NodeJS.ProcessEnv;
  let terminal: TerminalSession | undefined;
  const browserLog = () => join(box.dir, 'browser.log');

  before(async () => {
    provider = await startTestProvider();
  });
  after(async () => {
    await provider.close();
  });
  beforeEach(() => {
    box = sandbox();
    env = {
      ...box.env,
      MYCLI_ISSUER: provider.issuer,
      MYCLI_CLIENT_ID: provider.clientId,
      BROWSER: RECORDING_BROWSER,
      MYCLI_TEST_BROWSER_LOG: join(box.dir, 'browser.log'),
    };
  });
  afterEach(() => {
    terminal?.close();
    terminal = undefined;
    box.cleanup();
  });

  /** Starts `mycli login` in tmux; resolves once it shows the spinner, with the URL it handed the browser. */
  async function loginInTerminal(extraEnv: NodeJS.ProcessEnv = {}): Promise<{ term: TerminalSession; url: string }> {
    const term = runInTerminal(['login', '--port', '0'], { ...env, ...extraEnv }, box.dir);
    terminal = term;
    const [url] = await waitForRecordedUrl(browserLog(), 1, 30_000);
    assert.ok(url, 'mycli handed the URL to the browser');
    return { term, url };
  }

  test('in a terminal: the URL first, a spinner with elapsed time and Ctrl-C hint, then one green line', async () => {
    const { term, url } = await loginInTerminal();
    // The spinner ticks: wait for one elapsed time, then for a later one.
    const elapsed = (line: string) => WAITING.exec(line)?.[1];
    const first = elapsed(await term.waitForLine(WAITING));
    await term.waitForLine((line) => WAITING.test(line) && elapsed(line) !== first);
    const screen = term.screen();
    const urlLine = screen.findIndex((line) => line.includes('http'));
    assert.equal(screen[urlLine], `  ${url}`, 'the URL stands alone on its line, ready to copy');
    const spinnerLine = screen.findIndex((line) => WAITING.test(line));
    assert.ok(spinnerLine > urlLine, 'the URL comes before the spinner');
    // Colour is on the spinner, never inside the URL.
    const coloured = term.screen({ colours: true });
    assert.ok(!coloured[urlLine]!.includes(ESC), 'no escape codes in the URL line');
    assert.ok(coloured[spinnerLine]!.includes(ESC), 'the spinner is coloured');
    assert.equal(term.cursorVisible(), false, 'the spinner hides the cursor while it runs');

    await completeLogin(url, { login: 'alice' });
    assert.equal(await term.exitCode(), '0');
    const done = term.screen();
    assert.ok(!done.some((line) => /Waiting for/.test(line)), 'the spinner is gone');
    assert.deepEqual(done.filter((line) => line.includes('Logged in as')), [SUCCESS], 'one success line');
    assert.equal(done.at(-1), SUCCESS, 'the success line is the last word');
    const successLine = term.screen({ colours: true }).find((line) => line.includes('Logged in as'));
    assert.ok(successLine?.startsWith(`${GREEN}${SUCCESS}`), `green: ${JSON.stringify(successLine)}`);
    assert.equal(term.cursorVisible(), true, 'the cursor is back');
  });

  test('in a terminal: a refused login is one red line with the reason and one line saying what to do', async () => {
    const { term, url } = await loginInTerminal();
    await term.waitForLine(WAITING);
    await completeLogin(url, { deny: true });
    assert.equal(await term.exitCode(), '1');
    const screen = term.screen();
    const failure = screen.indexOf(REFUSED);
    assert.ok(failure > 0, screen.join('\n'));
    assert.match(screen[failure + 1]!, NEXT_STEP);
    assert.ok(!screen.some((line) => WAITING.test(line)), 'the spinner is gone');
    const coloured = term.screen({ colours: true });
    assert.ok(coloured[failure]!.startsWith(`${RED}${REFUSED}`), `red: ${JSON.stringify(coloured[failure])}`);
    assert.ok(!existsSync(join(env.MYCLI_CONFIG_DIR!, 'sessions', 'default.json')));
  });

  test('in a terminal: Ctrl-C stops the wait with exit 130, clears the spinner and shows the cursor again', async () => {
    const { term } = await loginInTerminal();
    await term.waitForLine(WAITING);
    term.sendKeys('C-c');
    assert.equal(await term.exitCode(), '130');
    const screen = term.screen();
    assert.ok(screen.some((line) => /^✗ Login cancelled\.$/.test(line)), screen.join('\n'));
    assert.ok(!screen.some((line) => WAITING.test(line)), 'the spinner is gone');
    assert.equal(term.cursorVisible(), true, 'the cursor is back');
  });

  test('in a terminal with NO_COLOR: no colour and no spinner, the same lines', async () => {
    const { term, url } = await loginInTerminal({ NO_COLOR: '1' });
    await term.waitForLine(/Press Ctrl-C to cancel\.$/);
    await completeLogin(url, { login: 'alice' });
    assert.equal(await term.exitCode(), '0');
    const coloured = term.screen({ colours: true });
    assert.ok(!coloured.join('\n').includes(ESC), JSON.stringify(coloured));
    assert.ok(coloured.includes(SUCCESS));
    assert.ok(!coloured.some((line) => WAITING.test(line)), 'no elapsed-time spinner');
  });

  test('piped (no terminal): plain lines only, not a single escape code', async () => {
    const login = await startLogin(['--port', '0'], env);
    await completeLogin(login.url.href, { login: 'alice' });
    const ok = await login.output;
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(!(ok.stderr + ok.stdout).includes(ESC), JSON.stringify(ok.stderr));
    const lines = ok.stderr.trimEnd().split('\n');
    assert.equal(lines.find((line) => line.includes('http')), `  ${login.url.href}`);
    assert.ok(lines.some((line) => /Press Ctrl-C to cancel\.$/.test(line)));
    assert.equal(lines.at(-1), SUCCESS);
    assert.equal(ok.stdout, '');

    const refused = await startLogin(['--port', '0'], env);
    await completeLogin(refused.url.href, { deny: true });
    const failed = await refused.output;
    assert.equal(failed.code, 1);
    assert.ok(!failed.stderr.includes(ESC), JSON.stringify(failed.stderr));
    const failedLines = failed.stderr.trimEnd().split('\n');
    assert.equal(failedLines.at(-2), REFUSED);
    assert.match(failedLines.at(-1)!, NEXT_STEP);
  });
});

describe('--help, with examples, for every command', () => {
  const commands = [[], ['login'], ['logout'], ['whoami'], ['token'], ['config'], ['config', 'get'], ['config', 'set'], ['config', 'unset'], ['config', 'list']];
  for (const command of commands) {
    test(`mycli ${[...command, '--help'].join(' ')}`, async () => {
      const result = await runCli([...command, '--help'], {});
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
      assert.match(result.stdout, new RegExp(`^Usage: mycli ${command.join(' ')}`.trimEnd().replace(/ +/g, ' ')));
      const examples = result.stdout.split(/^Examples:$/m)[1];
      assert.ok(examples, `no Examples section:\n${result.stdout}`);
      const prefix = ['  $ mycli', ...command].join(' ');
      assert.ok(examples.split('\n').some((line) => line.startsWith(prefix)), `no example of ${prefix}:\n${examples}`);
    });
  }

  // Each command's options are defined only when it runs or help may be shown (src/main.ts).
  test('every way to ask for help lists each command with its options; `help CMD` shows them', async () => {
    for (const args of [['--help'], ['-h'], ['help'], []]) {
      const result = await runCli(args, {});
      assert.equal(result.code, args.length === 0 ? 2 : 0, `mycli ${args.join(' ')}: ${result.stderr}`);
      const listing = args.length === 0 ? result.stderr : result.stdout;
      for (const command of ['login [options]', 'logout [options]', 'whoami [options]', 'token [options]', 'config']) {
        assert.match(listing, new RegExp(`^  ${command.replace(/[[\]]/g, '\\$&')} +\\S`, 'm'), `mycli ${args.join(' ')}: ${command}\n${listing}`);
      }
    }
    const whoami = await runCli(['help', 'whoami'], {});
    assert.equal(whoami.code, 0, whoami.stderr);
    assert.match(whoami.stdout, /^  --verify +ask the provider/m);
    const unknown = await runCli(['whoami', '--bogus'], {});
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown option '--bogus'/);
  });
});
