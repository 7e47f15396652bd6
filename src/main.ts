import { Command, CommanderError, Option } from 'commander';
import type { Context } from './context.js';
import { CliError, ExitCode, InterruptedError } from './errors.js';
import { DEFAULT_CALLBACK_PORT, DEFAULT_TIMEOUT_SECONDS } from './settings.js';
import { createTerminal } from './ui/terminal.js';
import { sanitizeForTerminal } from './ui/text.js';
import { VERSION } from './version.js';
// whoami and token are the hot paths (shell prompts, $(…) in loops): in the start-up bundle, not loaded later.
import { runToken } from './commands/token.js';
import { runWhoami } from './commands/whoami.js';

/** Options and arguments commander hands an action: the last argument is the command itself. */
type ActionArgs = unknown[];
function globalOptions<T>(args: ActionArgs): T {
  return (args[args.length - 1] as Command).optsWithGlobals() as T;
}

function providerOptions(command: Command): Command {
  return command
    .option('--issuer <url>', 'OpenID issuer URL (env MYCLI_ISSUER)')
    .option('--domain <host>', 'Auth0 domain, shorthand for --issuer https://HOST/ (env MYCLI_DOMAIN)')
    .option('--client-id <id>', 'OAuth client id (env MYCLI_CLIENT_ID)')
    .option('--audience <audience>', 'API audience for Auth0 access tokens (env MYCLI_AUDIENCE)')
    .option('--scope <scope>', 'scopes to request (env MYCLI_SCOPE)');
}

/**
 * Builds the program. Commands load their modules only when run, so `whoami` never pays for `login`;
 * and each command's options, help text and action are defined only when commander dispatches to it
 * (its preSubcommand hook), or when help may be shown (which lists every command with its options).
 * Defining them all cost `whoami` and `token` a millisecond of start-up.
 */
export function buildProgram(ctx: Context, argv: readonly string[] = []): Command {
  const definitions = new Map<Command, (command: Command) => void>();
  /** A command whose name and description are known now, and the rest of it on dispatch. */
  const later = (command: Command, define: (command: Command) => void) => void definitions.set(command, define);
  const defineNow = (command: Command) => {
    const define = definitions.get(command);
    definitions.delete(command);
    define?.(command);
  };
  const program = new Command('mycli')
    .description('Log in to an OpenID Connect provider (Auth0 or any standards-compliant one) from the terminal.')
    .version(VERSION, '-v, --version')
    .option('--profile <name>', 'profile to use (env MYCLI_PROFILE)')
    .option('--debug', 'show each request to the provider on stderr, secrets redacted (env MYCLI_DEBUG=1)')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', `
Examples:
  $ mycli login --domain example.eu.auth0.com --client-id abc123
  $ mycli whoami
  $ curl -H "Authorization: Bearer $(mycli token)" https://api.example.com/
  $ mycli logout

Learn more:
  Run \`mycli <command> --help\` for a command's options and examples.`)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(text),
      writeErr: (text) => ctx.io.stderr.write(text),
    })
    .hook('preSubcommand', (_program, command) => defineNow(command))
    .hook('preAction', async (_program, action) => {
      // Known only once the options are parsed: from here on every provider request is logged.
      if (!action.optsWithGlobals().debug && !ctx.env.MYCLI_DEBUG) return;
      const { debugFromEnv, enableDebugLog } = await import('./net/debug.js');
      if (action.optsWithGlobals().debug || debugFromEnv(ctx.env)) enableDebugLog(ctx);
    });

  later(program.command('login').description('Log in through your browser and save the session'), (login) => {
    providerOptions(login)
      .option('--device', 'log in with a code entered on any device (SSH, containers: no loopback needed)')
      .option('--client-credentials', 'log in as the client itself, for CI (secret from env MYCLI_CLIENT_SECRET)')
      // Accepted only to be refused with a hint: a secret in argv is visible to other users.
      .addOption(new Option('--client-secret [secret]').hideHelp())
      .addOption(new Option('--port <port>', `callback port on 127.0.0.1; 0 = any free port (env MYCLI_CALLBACK_PORT)`).default(undefined, String(DEFAULT_CALLBACK_PORT)))
      .option('--no-browser', 'print the login URL instead of opening a browser')
      .option('--timeout <seconds>', `how long to wait: for the browser (default ${DEFAULT_TIMEOUT_SECONDS}); with --device, until the code expires`)
      .option('--json', 'print who logged in as JSON on stdout')
      .addHelpText('after', `
Examples:
  $ mycli login --domain example.eu.auth0.com --client-id abc123
  $ mycli login --issuer https://id.example.com/ --client-id mycli --port 0
  $ mycli login --no-browser      # print the URL, open it yourself (or paste back where it ends)
  $ mycli login --device          # over SSH or in a container: enter a code on any device
  $ MYCLI_CLIENT_SECRET=… mycli login --client-credentials --client-id ci-client   # in CI`)
      .action(async (...args: ActionArgs) => {
        const { runLogin } = await import('./commands/login.js');
        await runLogin(ctx, globalOptions(args));
      });
  });

  later(program.command('logout').description('Delete the saved session and end the browser session at the provider'), (logout) => {
    logout
      .option('--return-to <url>', 'where the provider sends the browser after logout (env MYCLI_RETURN_TO)')
      .option('--no-browser', 'print the logout URL instead of opening a browser')
      .option('--no-revoke', 'do not revoke the refresh token at the provider')
      .addHelpText('after', `
Examples:
  $ mycli logout
  $ mycli logout --profile work --no-browser`)
      .action(async (...args: ActionArgs) => {
        const { runLogout } = await import('./commands/logout.js');
        await runLogout(ctx, globalOptions(args));
      });
  });

  later(program.command('whoami').description('Show who is logged in (exit 0), or exit 4 when nobody is'), (whoami) => {
    whoami
      .option('--json', 'print one JSON document on stdout')
      .option('--verify', 'ask the provider whether it still accepts the session (refreshing first if needed)')
      .addHelpText('after', `
Examples:
  $ mycli whoami
  $ mycli whoami --json | jq -r .user.email
  $ mycli whoami >/dev/null 2>&1 || mycli login
  $ mycli whoami --verify    # exit 0 accepted, 4 revoked, 1 provider unreachable`)
      .action(async (...args: ActionArgs) => {
        await runWhoami(ctx, globalOptions(args));
      });
  });

  later(program.command('token').description('Print a valid access token on stdout, refreshing it first when it expires within 60 seconds'), (token) => {
    token
      .option('--json', 'print {"accessToken","expiresAt"} on stdout')
      .addHelpText('after', `
Examples:
  $ mycli token
  $ curl -H "Authorization: Bearer $(mycli token)" https://api.example.com/
  $ mycli token --json | jq -r .expiresAt
  $ MYCLI_TOKEN=eyJ... mycli token    # prints MYCLI_TOKEN, reads no file`)
      .action(async (...args: ActionArgs) => {
        await runToken(ctx, globalOptions(args));
      });
  });

  later(program.command('config').description('Read and change saved settings (issuer, client-id, audience, scope, port, return-to)'), (config) => {
    config
      .addHelpText('after', `
Examples:
  $ mycli config set issuer https://example.eu.auth0.com/
  $ mycli config set client-id abc123 --profile work
  $ mycli config list`);
    config
      .command('get <key>')
      .description('Print a setting')
      .addHelpText('after', `
Examples:
  $ mycli config get issuer
  $ mycli config get client-id --profile work`)
      .action(async (key: string, ...args: ActionArgs) => {
        const { runConfigGet } = await import('./commands/config.js');
        await runConfigGet(ctx, key, globalOptions(args));
      });
    config
      .command('set <key> <value>')
      .description('Save a setting')
      .addHelpText('after', `
Examples:
  $ mycli config set issuer https://example.eu.auth0.com/
  $ mycli config set port 0           # any free port (RFC 8252 providers)`)
      .action(async (key: string, value: string, ...args: ActionArgs) => {
        const { runConfigSet } = await import('./commands/config.js');
        await runConfigSet(ctx, key, value, globalOptions(args));
      });
    config
      .command('unset <key>')
      .description('Remove a setting')
      .addHelpText('after', `
Examples:
  $ mycli config unset audience`)
      .action(async (key: string, ...args: ActionArgs) => {
        const { runConfigUnset } = await import('./commands/config.js');
        await runConfigUnset(ctx, key, globalOptions(args));
      });
    config
      .command('list')
      .description('Print every saved setting of the profile')
      .option('--json', 'print one JSON object')
      .addHelpText('after', `
Examples:
  $ mycli config list
  $ mycli config list --profile work --json`)
      .action(async (...args: ActionArgs) => {
        const { runConfigList } = await import('./commands/config.js');
        await runConfigList(ctx, globalOptions(args));
      });
  });

  // Help (`--help`, `-h`, `help`, or no command at all) lists every command with its options.
  if (argv.length === 0 || argv.some((arg) => arg === '--help' || arg === '-h' || arg === 'help')) {
    for (const command of [...definitions.keys()]) defineNow(command);
  }
  return program;
}

/** Runs mycli and returns its exit code. Never exits the process and never prints a stack trace. */
export async function main(argv: string[], ctx: Context): Promise<number> {
  const program = buildProgram(ctx, argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
      // `mycli help [command]` asked for help (exit code 0); bare `mycli` gets it as an error (1).
      if (error.code === 'commander.help' && error.exitCode === 0) return ExitCode.ok;
      return ExitCode.usage; // commander has already printed the one-line reason
    }
    const ui = createTerminal(ctx);
    if (ctx.signal.aborted && !(error instanceof InterruptedError)) {
      // Whatever failed after Ctrl-C (an aborted request) failed because of it.
      ui.failure('Interrupted.');
      return ExitCode.interrupted;
    }
    if (error instanceof CliError) {
      ui.failure(error.message, error.hint);
      return error.exitCode;
    }
    // A bug: one line, never the stack (it could carry request details).
    const message = error instanceof Error ? error.message : String(error);
    ui.failure(`Unexpected error: ${sanitizeForTerminal(message)}`, 'Please report this at the mycli issue tracker.');
    return ExitCode.failed;
  }
}
