/** Exit codes are part of the contract (SPEC.md): scripts branch on them. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  notLoggedIn: 4,
  interrupted: 130,
} as const;

// Each error records the names of its classes under a registry symbol, and `instanceof` reads them:
// the start-up bundle and the lazily loaded one (scripts/build.mjs) each hold a copy of these classes,
// and an error thrown by one copy must still be recognised by the other.
const KINDS = Symbol.for('mycli.errorKinds');

function hasKind(value: unknown, kind: string): boolean {
  const kinds = typeof value === 'object' && value !== null ? (value as Record<symbol, unknown>)[KINDS] : undefined;
  return Array.isArray(kinds) && kinds.includes(kind);
}

/**
 * Every failure a user can see is a CliError: a one-line message, an optional one-line hint and the
 * exit code. main() prints these; anything else is a bug and is reported without its stack.
 */
export class CliError extends Error {
  /** The class's name, kept through minification; each subclass sets its own. */
  static readonly kind: string = 'CliError';
  readonly exitCode: number;
  readonly hint: string | undefined;
  constructor(message: string, exitCode: number, hint?: string) {
    super(message);
    const kinds: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c)) {
      if (Object.hasOwn(c, 'kind')) kinds.push((c as typeof CliError).kind);
    }
    Object.defineProperty(this, KINDS, { value: kinds });
    this.name = kinds[0] ?? 'CliError';
    this.exitCode = exitCode;
    this.hint = hint;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasKind(value, this.kind);
  }
}

/** Bad flags, settings or configuration: found before any network request. */
export class UsageError extends CliError {
  static override readonly kind: string = 'UsageError';
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
  }
}

/** No session, or one that can no longer be used or refreshed. */
export class NotLoggedInError extends CliError {
  static override readonly kind: string = 'NotLoggedInError';
  constructor(message: string, hint = 'Run `mycli login` to log in.') {
    super(message, ExitCode.notLoggedIn, hint);
  }
}

/** The provider or the network failed, the login was denied or timed out. */
export class AuthError extends CliError {
  static override readonly kind: string = 'AuthError';
  constructor(message: string, hint?: string) {
    super(message, ExitCode.failed, hint);
  }
}

export class InterruptedError extends CliError {
  static override readonly kind: string = 'InterruptedError';
  constructor(message = 'Interrupted.') {
    super(message, ExitCode.interrupted);
  }
}
