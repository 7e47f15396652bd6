import type { Readable } from 'node:stream';

/** Where text is written: the real process writes it at once (src/process-context.ts); tests collect it. */
export interface Output {
  write(text: string): unknown;
}

/** Terminal I/O. Data goes to stdout; progress, prompts, warnings and errors go to stderr. */
export interface IO {
  stdout: Output;
  stderr: Output;
  /** stderr as a stream, for the spinner, which draws on it; the real one is made only when asked for. */
  readonly stderrStream: NodeJS.WritableStream;
  stdin: Readable;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly stdinIsTTY: boolean;
}

/**
 * Every effect a command has enters through this object, so commands run in tests with buffers, a
 * recording browser and a chosen clock. Only the entry point (src/cli.ts) builds the real one.
 */
export interface Context {
  io: IO;
  /** The environment, read only through here. */
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  /** Home directory, for the default config directory. */
  homeDir: string;
  /** Milliseconds since the epoch; tests pin it to check expiry handling. */
  now(): number;
  /** Used for every request to the provider (openid-client's customFetch seam). */
  fetch: typeof globalThis.fetch;
  /**
   * Hands a URL to the user's browser: the BROWSER command when set, else the platform opener.
   * Resolves when the opener started; rejects when it could not be started, or when the BROWSER
   * command failed at once (non-zero exit).
   */
  openBrowser(url: string): Promise<void>;
  /** Aborted on Ctrl-C: long waits (the callback listener, polling) stop and exit 130. */
  signal: AbortSignal;
}
