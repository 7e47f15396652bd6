// mycli in a real pseudo-terminal: a detached tmux session on its own socket, read back with capture-pane.
// Everything here polls until the screen shows what is expected (generous timeouts, no timing thresholds).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT } from './cli.ts';

const PTY_RUN = join(ROOT, 'test', 'support', 'pty-run.mjs');
const TIMEOUT_MS = 30_000;
const POLL_MS = 100;
const SESSION = 'mycli';

export interface TerminalSession {
  /** What the screen shows: wrapped lines joined, trailing blanks dropped; with `colours`, SGR escape codes kept. */
  screen(options?: { colours?: boolean }): string[];
  /** Polls the screen until a line matches; returns that line (with colours if asked). */
  waitForLine(match: RegExp | ((line: string) => boolean), options?: { colours?: boolean }): Promise<string>;
  /** tmux key names: 'C-c', 'Enter', or text. */
  sendKeys(...keys: string[]): void;
  /** Whether the terminal's cursor is visible (a spinner hides it while it runs). */
  cursorVisible(): boolean;
  /** Resolves with mycli's exit code once it has exited (the pane stays for reading). */
  exitCode(): Promise<string>;
  close(): void;
}

/**
 * Runs `mycli ARGS` in a 200×50 terminal. `dir` holds the tmux socket and the exit status file; `env`
 * is mycli's environment (tmux sets TERM itself).
 */
export function runInTerminal(args: string[], env: NodeJS.ProcessEnv, dir: string): TerminalSession {
  const socket = join(dir, 'tmux.sock');
  const statusFile = join(dir, 'pty-status');
  const tmux = (...tmuxArgs: string[]) => execFileSync('tmux', ['-S', socket, ...tmuxArgs], { encoding: 'utf8', env: { ...env, TERM: env.TERM ?? 'xterm-256color' } });
  // -f /dev/null: no user tmux.conf; the server is started for this session alone.
  execFileSync('tmux', ['-S', socket, '-f', '/dev/null', 'new-session', '-d', '-s', SESSION, '-x', '200', '-y', '50', process.execPath, PTY_RUN, statusFile, process.execPath, BIN, ...args], {
    env: { ...env, TERM: env.TERM ?? 'xterm-256color' },
    cwd: ROOT,
  });

  const screen = (options: { colours?: boolean } = {}) => {
    const text = tmux('capture-pane', '-p', '-J', ...(options.colours ? ['-e'] : []), '-t', SESSION);
    const lines = text.split('\n').map((line) => line.replace(/\s+$/, ''));
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    return lines;
  };

  return {
    screen,
    async waitForLine(match, options = {}) {
      const test = typeof match === 'function' ? match : (line: string) => match.test(line);
      const deadline = Date.now() + TIMEOUT_MS;
      for (;;) {
        const lines = screen(options);
        const found = lines.find(test);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`no line matching ${String(match)} on the screen:\n${lines.join('\n')}`);
        await sleep(POLL_MS);
      }
    },
    sendKeys: (...keys) => void tmux('send-keys', '-t', SESSION, ...keys),
    cursorVisible: () => tmux('display-message', '-p', '-t', SESSION, '#{cursor_flag}').trim() === '1',
    async exitCode() {
      const deadline = Date.now() + TIMEOUT_MS;
      for (;;) {
        try {
          return readFileSync(statusFile, 'utf8');
        } catch {
          if (Date.now() > deadline) throw new Error(`mycli did not exit; the screen:\n${screen().join('\n')}`);
          await sleep(POLL_MS);
        }
      }
    },
    close() {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
