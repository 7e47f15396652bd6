import { Chalk, type ChalkInstance } from 'chalk';
import type { Context } from '../context.js';

export interface Spinner {
  update(text: string): void;
  /** Prints lines without the spinner drawing over them, then carries on spinning. */
  interrupt(print: () => void): void;
  stop(): void;
}

/** Messages for the person at the terminal, all on stderr; stdout stays for data. */
export interface Terminal {
  /** Colour and spinners: stderr is a TTY, NO_COLOR unset, TERM not dumb, not --json. */
  readonly fancy: boolean;
  info(line: string): void;
  warn(line: string): void;
  success(line: string): void;
  failure(line: string, hint?: string): void;
  /** A line of data on stdout. */
  data(line: string): void;
  bold(text: string): string;
  dim(text: string): string;
  spinner(text: string): Promise<Spinner>;
}

/** Elapsed time for a waiting line: "7s", "1m 05s", "12m 00s". */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return minutes === 0 ? `${seconds}s` : `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

export function createTerminal(ctx: Context, options: { json?: boolean } = {}): Terminal {
  const { env, io } = ctx;
  // Decided on the first styled line: asking whether stderr is a terminal loads node:tty, which
  // whoami and token, printing plain data, never need.
  let fancy: boolean | undefined;
  let chalk: ChalkInstance | undefined;
  const isFancy = () => (fancy ??= io.stderrIsTTY && !options.json && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb');
  const paint = () => (chalk ??= new Chalk({ level: isFancy() ? 1 : 0 }));
  const err = (line: string) => io.stderr.write(`${line}\n`);
  return {
    get fancy() {
      return isFancy();
    },
    info: err,
    warn: (line) => err(paint().yellow(`Warning: ${line}`)),
    success: (line) => err(paint().green(`✓ ${line}`)),
    failure: (line, hint) => {
      err(paint().red(`✗ ${line}`));
      if (hint) err(hint);
    },
    data: (line) => io.stdout.write(`${line}\n`),
    bold: (text) => paint().bold(text),
    dim: (text) => paint().dim(text),
    async spinner(text) {
      if (!isFancy()) {
        err(text);
        return { update() {}, interrupt: (print) => print(), stop() {} };
      }
      const { default: yoctoSpinner } = await import('yocto-spinner');
      // mycli handles Ctrl-C itself (exit 130, listener closed), so the spinner must not.
      const spin = yoctoSpinner({ text, stream: io.stderrStream as NodeJS.WriteStream, handleSignals: false }).start();
      return {
        update: (next) => void (spin.text = next),
        interrupt: (print) => {
          spin.stop();
          print();
          spin.start();
        },
        stop: () => void spin.stop(),
      };
    },
  };
}
