/** Exit codes are part of the contract (SPEC.md): scripts branch on them. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  notLoggedIn: 4,
  interrupted: 130,
} as const;

/**
 * Every failure a user can see is a CliError: a one-line message, an optional one-line hint and the
 * exit code. main() prints these; anything else is a bug and is reported without its stack.
 */
export class CliError extends Error {
  readonly exitCode: number;
  readonly hint: string | undefined;
  constructor(message: string, exitCode: number, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** Bad flags, settings or configuration: found before any network request. */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
  }
}

/** No session, or one that can no longer be used or refreshed. */
export class NotLoggedInError extends CliError {
  constructor(message: string, hint = 'Run `mycli login` to log in.') {
    super(message, ExitCode.notLoggedIn, hint);
  }
}

/** The provider or the network failed, the login was denied or timed out. */
export class AuthError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.failed, hint);
  }
}

export class InterruptedError extends CliError {
  constructor(message = 'Interrupted.') {
    super(message, ExitCode.interrupted);
  }
}
